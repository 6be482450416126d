import NIOHTTP1
import Testing

/// Every command route refuses a role it does not admit, a record that does not exist, and a
/// body it cannot use, each with its code, and appends nothing when it refuses.
@Suite("Command refusals over HTTP")
struct CommandRefusalTests {
    /// One route of each command, with a role it refuses.
    static let forbidden: [(HTTPMethod, String, CommandServer.Person?)] = [
        (.POST, "/v1/leads", .auditor), (.POST, "/v1/leads/l/assign", .finance),
        (.POST, "/v1/leads/l/qualify", .auditor),
        (.POST, "/v1/leads/l/disqualify", .finance), (.POST, "/v1/leads/l/convert", .auditor),
        (.POST, "/v1/customers", .finance), (.PATCH, "/v1/customers/c", .auditor),
        (.POST, "/v1/customers/c/tags", .finance),
        (.POST, "/v1/customers/c/contacts", .auditor), (.PATCH, "/v1/customers/c/contacts/k", .finance),
        (.POST, "/v1/customers/c/follow-ups", .auditor), (.POST, "/v1/customers/c/claim", .finance),
        (.POST, "/v1/customers/c/release", .auditor), (.POST, "/v1/customers/c/transfer", .rep),
        (.POST, "/v1/pool/sweep", .manager),
        (.POST, "/v1/opportunities", .finance), (.POST, "/v1/opportunities/o/stage", .auditor),
        (.POST, "/v1/opportunities/o/win", .finance),
        (.POST, "/v1/opportunities/o/lose", .auditor), (.POST, "/v1/opportunities/o/reopen", .finance),
        (.POST, "/v1/products", .rep), (.POST, "/v1/products/p/price", .manager), (.POST, "/v1/quotes", .finance),
        (.POST, "/v1/quotes/q/accept", .auditor), (.POST, "/v1/quotes/q/reject", .finance),
        (.POST, "/v1/contracts", .finance), (.POST, "/v1/contracts/k/approve", .rep),
        (.POST, "/v1/contracts/k/reject", .auditor),
        (.POST, "/v1/contracts/k/instalments", .auditor), (.POST, "/v1/contracts/k/payments", .rep),
        (.POST, "/v1/contracts/k/invoices", .auditor), (.POST, "/v1/contracts/k/invoices/i/issue", .rep),
        (.POST, "/v1/contracts/k/refunds", .auditor), (.POST, "/v1/contracts/k/refunds/r/approve", .rep),
        (.POST, "/v1/contracts/k/refunds/r/reject", .rep), (.POST, "/v1/contracts/k/refunds/r/goods-returned", .rep),
        (.POST, "/v1/contracts/k/refunds/r/pay", .manager), (.POST, "/v1/contracts/k/shipments", .rep),
        (.POST, "/v1/suppliers", .rep), (.POST, "/v1/suppliers/s/purchase-orders", .rep),
        (.POST, "/v1/purchase-orders/o/receipts", .auditor),
        (.POST, "/v1/suppliers/s/bills", .manager), (.POST, "/v1/suppliers/s/bills/b/payments", .rep),
        (.POST, "/v1/expenses", .manager),
        (.POST, "/v1/campaigns", .rep), (.POST, "/v1/campaigns/c/responses", .finance),
        (.POST, "/v1/sales-targets", .rep),
        (.POST, "/v1/work-orders", .finance), (.POST, "/v1/work-orders/w/assign", .auditor),
        (.POST, "/v1/work-orders/w/resolve", .finance),
        (.POST, "/v1/work-orders/w/close", .auditor), (.POST, "/v1/complaints", .finance),
        (.POST, "/v1/complaints/c/resolve", .auditor),
        (.POST, "/v1/customers/c/surveys", .finance),
        (.PUT, "/v1/settings/pool-rules", .manager), (.PUT, "/v1/settings/pipeline", .rep),
        (.PUT, "/v1/settings/approval-policy", .finance),
        (.PUT, "/v1/settings/commission-rate", .auditor), (.GET, "/v1/settings/pipeline", nil),
        (.POST, "/v1/teams", .manager), (.POST, "/v1/users", .finance), (.POST, "/v1/users/u/team", .manager),
        (.POST, "/v1/users/u/role", .manager), (.POST, "/v1/users/u/deactivate", .rep),
    ]

    /// A command on each kind of record that does not exist, and the refusal's code.
    static let missing: [(HTTPMethod, String, String, CommandServer.Person, String)] = [
        (.POST, "/v1/leads/none/assign", #"{"repId":"none"}"#, .admin, "lead_not_found"),
        (.POST, "/v1/leads/none/qualify", "", .rep, "lead_not_found"),
        (.POST, "/v1/leads/none/disqualify", #"{"reason":"spam"}"#, .rep, "lead_not_found"),
        (.POST, "/v1/leads/none/convert", #"{"name":"Deal","amount":100,"currency":"CNY"}"#, .rep, "lead_not_found"),
        (.PATCH, "/v1/customers/none", #"{"region":"Jiangsu"}"#, .rep, "customer_not_found"),
        (.POST, "/v1/customers/none/tags", #"{"add":["vip"]}"#, .rep, "customer_not_found"),
        (.POST, "/v1/customers/none/contacts", #"{"name":"Li"}"#, .rep, "customer_not_found"),
        (.PATCH, "/v1/customers/none/contacts/none", #"{"title":"CFO"}"#, .rep, "customer_not_found"),
        (.POST, "/v1/customers/none/transfer", #"{"toOwnerId":"none"}"#, .manager, "customer_not_found"),
        (
            .POST, "/v1/opportunities", #"{"customerId":"none","name":"Deal","amount":100,"currency":"CNY"}"#, .rep,
            "customer_not_found"
        ),
        (.POST, "/v1/opportunities/none/stage", #"{"stageId":"proposal"}"#, .rep, "opportunity_not_found"),
        (.POST, "/v1/opportunities/none/win", #"{"reason":"price"}"#, .rep, "opportunity_not_found"),
        (.POST, "/v1/opportunities/none/lose", #"{"reason":"price"}"#, .rep, "opportunity_not_found"),
        (.POST, "/v1/opportunities/none/reopen", #"{"reason":"back"}"#, .rep, "opportunity_not_found"),
        (
            .POST, "/v1/products/none/price",
            #"{"price":{"amount":1,"currency":"CNY"},"cost":{"amount":1,"currency":"CNY"}}"#, .finance,
            "product_not_found"
        ),
        (
            .POST, "/v1/quotes", #"{"customerId":"none","lines":[],"validUntil":"2030-01-01T00:00:00Z"}"#, .rep,
            "customer_not_found"
        ),
        (.POST, "/v1/quotes/none/accept", "", .rep, "quote_not_found"),
        (.POST, "/v1/quotes/none/reject", #"{"reason":"price"}"#, .rep, "quote_not_found"),
        (.POST, "/v1/contracts", #"{"customerId":"none","quoteId":"none"}"#, .rep, "customer_not_found"),
        (.POST, "/v1/contracts/none/approve", "", .manager, "contract_not_found"),
        (.POST, "/v1/contracts/none/reject", #"{"comment":"no"}"#, .manager, "contract_not_found"),
        (
            .POST, "/v1/contracts/none/instalments",
            #"{"instalments":[{"dueAt":"2030-01-01T00:00:00Z","amount":1,"currency":"CNY"}]}"#, .rep,
            "contract_not_found"
        ),
        (
            .POST, "/v1/contracts/none/invoices", #"{"amount":1,"currency":"CNY","title":"Acme"}"#, .rep,
            "contract_not_found"
        ),
        (.POST, "/v1/contracts/none/invoices/none/issue", #"{"number":"F-1"}"#, .finance, "invoice_not_found"),
        (
            .POST, "/v1/contracts/none/refunds", #"{"amount":1,"currency":"CNY","reason":"broken"}"#, .rep,
            "contract_not_found"
        ),
        (.POST, "/v1/contracts/none/refunds/none/approve", "", .finance, "contract_not_found"),
        (.POST, "/v1/contracts/none/refunds/none/reject", #"{"reason":"no"}"#, .finance, "contract_not_found"),
        (.POST, "/v1/contracts/none/refunds/none/goods-returned", "", .manager, "refund_not_found"),
        (.POST, "/v1/contracts/none/refunds/none/pay", #"{"method":"cash"}"#, .finance, "refund_not_found"),
        (
            .POST, "/v1/contracts/none/shipments", #"{"lines":[{"productId":"none","quantity":1}]}"#, .manager,
            "contract_not_found"
        ),
        (
            .POST, "/v1/suppliers/none/purchase-orders", #"{"lines":[{"productId":"none","quantity":1}]}"#, .manager,
            "supplier_not_found"
        ),
        (
            .POST, "/v1/purchase-orders/none/receipts", #"{"lines":[{"productId":"none","quantity":1}]}"#, .manager,
            "purchase_order_not_found"
        ),
        (
            .POST, "/v1/suppliers/none/bills", #"{"amount":1,"currency":"CNY","dueAt":"2030-01-01T00:00:00Z"}"#,
            .finance, "supplier_not_found"
        ),
        (
            .POST, "/v1/suppliers/none/bills/none/payments", #"{"amount":1,"currency":"CNY","method":"cash"}"#,
            .finance, "supplier_not_found"
        ),
        (.POST, "/v1/campaigns/none/responses", #"{"customerId":"none","response":"yes"}"#, .rep, "campaign_not_found"),
        (
            .POST, "/v1/sales-targets", #"{"teamId":"none","period":"2026","amount":1,"currency":"CNY"}"#, .admin,
            "team_not_found"
        ),
        (.POST, "/v1/work-orders", #"{"customerId":"none","title":"Leak"}"#, .rep, "customer_not_found"),
        (.POST, "/v1/work-orders/none/assign", #"{"assigneeId":"none"}"#, .rep, "work_order_not_found"),
        (.POST, "/v1/work-orders/none/resolve", #"{"resolution":"fixed"}"#, .rep, "work_order_not_found"),
        (.POST, "/v1/work-orders/none/close", "", .rep, "work_order_not_found"),
        (.POST, "/v1/complaints", #"{"customerId":"none","category":"delivery"}"#, .rep, "customer_not_found"),
        (
            .POST, "/v1/complaints/none/resolve", #"{"rootCause":"courier","resolution":"resent"}"#, .rep,
            "complaint_not_found"
        ),
        (.POST, "/v1/customers/none/surveys", #"{"score":4}"#, .rep, "customer_not_found"),
        (
            .POST, "/v1/users", #"{"name":"Nia","email":"nia@example.com","role":"sales_rep","teamId":"none"}"#, .admin,
            "team_not_found"
        ),
        (.POST, "/v1/users/none/team", #"{"teamId":"none"}"#, .admin, "user_not_found"),
        (.POST, "/v1/users/none/role", #"{"role":"manager"}"#, .admin, "user_not_found"),
        (.POST, "/v1/users/none/deactivate", #"{"reason":"left"}"#, .admin, "user_not_found"),
    ]

    @Test("each command refuses a role it does not admit and a record that does not exist, appending nothing")
    func rolesAndMissingRecords() async throws {
        let crm = try await CommandServer.start("commands-refusals")
        let head = try crm.head()
        for (method, path, person) in Self.forbidden {
            let answer = try await crm.send(method, path, "{}", as: person)
            #expect(answer.status == 403, "\(method) \(path) as \(String(describing: person)): \(answer.json)")
            #expect(answer.code == "forbidden", "\(method) \(path)")
        }
        for (method, path, body, person, code) in Self.missing {
            let answer = try await crm.send(method, path, body, as: person)
            #expect(answer.status == 404, "\(method) \(path): \(answer.json)")
            #expect(answer.code == code, "\(method) \(path): \(answer.json)")
        }
        #expect(try crm.head() == head, "no refusal appended anything")
        try await crm.stop()
    }

    @Test(
        "bad bodies are refused with what was wrong, in every area",
        arguments: [
            // Leads
            (HTTPMethod.POST, "/v1/leads/l/assign", #"{"repId":"r","rep":"x"}"#, "unknown_field", "rep"),
            (.POST, "/v1/leads/l/convert", #"{"name":"Deal","amount":"100","currency":"CNY"}"#, "wrong_type", "amount"),
            (.POST, "/v1/leads/l/disqualify", "{}", "field_required", "reason"),
            (.POST, "/v1/leads/l/qualify", #"{"occurredAt":"yesterday"}"#, "invalid_value", "occurredAt"),
            // Customers
            (.PATCH, "/v1/customers/c", #"{"colour":"red"}"#, "unknown_field", "colour"),
            (.POST, "/v1/customers/c/tags", #"{"add":"vip"}"#, "wrong_type", "add"),
            (.POST, "/v1/customers/c/transfer", "{}", "field_required", "toOwnerId"),
            (.POST, "/v1/customers/c/contacts", #"{"name":"Li","birthday":"17/04/1990"}"#, "invalid_value", "birthday"),
            // Deals
            (
                .POST, "/v1/products",
                #"{"sku":"A","name":"B","price":{"amount":1,"currency":"CNY","tax":0},"cost":{"amount":1,"currency":"CNY"}}"#,
                "unknown_field", "price.tax"
            ),
            (
                .POST, "/v1/quotes",
                #"{"customerId":"c","lines":[{"productId":"p","quantity":"1"}],"validUntil":"2030-01-01T00:00:00Z"}"#,
                "wrong_type", "lines.0.quantity"
            ),
            (
                .POST, "/v1/opportunities", #"{"customerId":"c","name":"Deal","currency":"CNY"}"#, "field_required",
                "amount"
            ),
            (.POST, "/v1/opportunities/o/win", #"{"reason":"price","amount":100}"#, "field_required", "currency"),
            (
                .POST, "/v1/contracts", #"{"customerId":"c","lines":[{"productId":"p","quantity":1,"discount":5}]}"#,
                "unknown_field", "lines.0.discount"
            ),
            (.POST, "/v1/contracts/k/refunds/r/pay", #"{"method":"bitcoin"}"#, "invalid_value", "method"),
            // Operations
            (
                .POST, "/v1/suppliers/s/purchase-orders", #"{"lines":[{"product":"p","quantity":1}]}"#, "unknown_field",
                "lines.0.product"
            ),
            (.POST, "/v1/suppliers/s/bills", #"{"amount":1,"currency":"CNY","dueAt":17}"#, "wrong_type", "dueAt"),
            (.POST, "/v1/expenses", #"{"category":"travel","amount":1,"currency":"CNY"}"#, "field_required", "item"),
            (
                .POST, "/v1/campaigns",
                #"{"name":"Spring","channel":"fax","budget":{"amount":1,"currency":"CNY"},"endsAt":"2030-01-01T00:00:00Z"}"#,
                "invalid_value", "channel"
            ),
            (.POST, "/v1/work-orders", #"{"customerId":"c","title":"Leak","priority":1}"#, "unknown_field", "priority"),
            (.POST, "/v1/customers/c/surveys", #"{"score":"5"}"#, "wrong_type", "score"),
            // Administration
            (
                .PUT, "/v1/settings/pipeline", #"{"stages":[{"stageId":"a","name":"A","order":1}]}"#, "field_required",
                "stages.0.winProbabilityPercent"
            ),
            (
                .PUT, "/v1/settings/approval-policy", #"{"discountThresholdPercent":10,"chain":["boss"]}"#,
                "invalid_value", "chain.0"
            ),
            (.PUT, "/v1/settings/commission-rate", #"{"rateBasisPoints":150,"rate":1}"#, "unknown_field", "rate"),
            (.POST, "/v1/users", #"{"name":"Nia","email":"nia@example.com","role":"ceo"}"#, "invalid_value", "role"),
            (.POST, "/v1/teams", #"{"name":7}"#, "wrong_type", "name"),
        ]
    )
    func badBodies(method: HTTPMethod, path: String, body: String, code: String, field: String) async throws {
        let crm = try await CommandServer.start("commands-bad-bodies")
        let head = try crm.head()
        let answer = try await crm.send(method, path, body, as: .admin)
        #expect(answer.status == 400, "\(answer.json)")
        #expect(answer.code == code, "\(answer.json)")
        #expect(answer.facts["field"] == field, "\(answer.json)")
        #expect(try crm.head() == head)
        try await crm.stop()
    }
}
