// Written by Tools/generate-openapi from Schemas/openapi.yaml; do not edit.

/// The fields a JSON object of a request body may carry, and the shape of each field that
/// holds an object or an array of objects.
package struct BodyFields: Sendable {
    /// Every field the object may carry.
    package var fields: Set<String>
    /// The shape of each field that holds an object or an array of objects.
    package var nested: [String: BodyFields]

    package init(_ fields: Set<String>, nested: [String: BodyFields] = [:]) {
        self.fields = fields
        self.nested = nested
    }
}

/// What a query parameter may hold, as the spec states it.
package struct QueryParameterRule: Sendable {
    package enum Value: Sendable {
        /// Any text; the handler reads it.
        case text
        /// An integer within the spec's minimum and maximum.
        case integer(ClosedRange<Int64>)
        /// `true` or `false`.
        case boolean
        /// One of the words the spec lists.
        case oneOf([String])
    }

    package var value: Value
    /// Whether the operation cannot do without it.
    package var isRequired: Bool

    package init(_ value: Value, required: Bool = false) {
        self.value = value
        isRequired = required
    }
}

/// Every operation the API describes.
package enum APIOperations {
    /// The operation of each route, `METHOD /path/{parameter}` → its `operationId`.
    package static let byRoute: [String: String] = [
        "GET /health": "health",
        "GET /metrics": "metrics",
        "GET /v1/activity": "repActivity",
        "GET /v1/activity/team": "teamActivity",
        "GET /v1/approvals": "approvals",
        "GET /v1/approvals/timings": "approvalTimings",
        "GET /v1/audit/backdated": "backdatedAppends",
        "GET /v1/campaigns": "campaigns",
        "GET /v1/campaigns/{campaign}": "campaign",
        "GET /v1/churn/customer-flow": "customerFlow",
        "GET /v1/churn/losses": "churnLosses",
        "GET /v1/churn/reasons": "churnReasons",
        "GET /v1/churn/win-backs": "churnWinBacks",
        "GET /v1/consumers/{consumer}": "consumerGroup",
        "GET /v1/contracts": "listContracts",
        "GET /v1/contracts/{contract}": "contract",
        "GET /v1/customers": "listCustomers",
        "GET /v1/customers/{customer}": "customer360",
        "GET /v1/customers/{customer}/segment": "customerSegment",
        "GET /v1/customers/{customer}/timeline": "customerTimeline",
        "GET /v1/events": "readLog",
        "GET /v1/finance/commission": "commission",
        "GET /v1/finance/expenses": "expenses",
        "GET /v1/finance/payables": "payables",
        "GET /v1/finance/payables/{supplier}": "supplierPayables",
        "GET /v1/finance/receipts": "receipts",
        "GET /v1/forecast": "forecast",
        "GET /v1/funnel": "funnel",
        "GET /v1/lead-conversion": "leadConversion",
        "GET /v1/leads": "listLeads",
        "GET /v1/leads/{lead}": "lead",
        "GET /v1/leads/{lead}/timeline": "leadTimeline",
        "GET /v1/opportunities": "listOpportunities",
        "GET /v1/opportunities/{opportunity}": "opportunity",
        "GET /v1/pipeline-coverage": "pipelineCoverage",
        "GET /v1/quotes": "listQuotes",
        "GET /v1/quotes/{quote}": "quote",
        "GET /v1/receivables/aging": "receivablesAging",
        "GET /v1/receivables/contracts/{contract}": "contractReceivables",
        "GET /v1/receivables/customers/{customer}": "customerReceivables",
        "GET /v1/reminders": "reminders",
        "GET /v1/sales": "sales",
        "GET /v1/sales/targets": "salesTargets",
        "GET /v1/search": "search",
        "GET /v1/segments": "segments",
        "GET /v1/service/months": "serviceMonths",
        "GET /v1/service/open": "serviceOpen",
        "GET /v1/service/reps": "serviceReps",
        "GET /v1/service/statistics": "serviceStatistics",
        "GET /v1/settings/approval-policy": "approvalPolicy",
        "GET /v1/settings/commission-rate": "commissionRate",
        "GET /v1/settings/lead-priority": "leadPriority",
        "GET /v1/settings/pipeline": "pipeline",
        "GET /v1/settings/pool-rules": "poolRules",
        "GET /v1/stock/margin": "margin",
        "GET /v1/stock/products": "products",
        "GET /v1/stock/products/{product}": "product",
        "GET /v1/streams/{stream}": "readStream",
        "GET /v1/subscribe": "subscribe",
        "GET /v1/teams": "listTeams",
        "GET /v1/users": "listUsers",
        "GET /v1/users/{user}": "user",
        "PATCH /v1/customers/{customer}": "updateCustomerProfile",
        "PATCH /v1/customers/{customer}/contacts/{contact}": "updateContact",
        "POST /v1/campaigns": "launchCampaign",
        "POST /v1/campaigns/{campaign}/responses": "recordCampaignResponse",
        "POST /v1/complaints": "fileComplaint",
        "POST /v1/complaints/{complaint}/resolve": "resolveComplaint",
        "POST /v1/contracts": "draftContract",
        "POST /v1/contracts/{contract}/approve": "approveContract",
        "POST /v1/contracts/{contract}/instalments": "scheduleInstalments",
        "POST /v1/contracts/{contract}/invoices": "requestInvoice",
        "POST /v1/contracts/{contract}/invoices/{invoice}/issue": "issueInvoice",
        "POST /v1/contracts/{contract}/payments": "recordPayment",
        "POST /v1/contracts/{contract}/refunds": "requestRefund",
        "POST /v1/contracts/{contract}/refunds/{refund}/approve": "approveRefund",
        "POST /v1/contracts/{contract}/refunds/{refund}/goods-returned": "receiveReturnedGoods",
        "POST /v1/contracts/{contract}/refunds/{refund}/pay": "payRefund",
        "POST /v1/contracts/{contract}/refunds/{refund}/reject": "rejectRefund",
        "POST /v1/contracts/{contract}/reject": "rejectContract",
        "POST /v1/contracts/{contract}/shipments": "shipGoods",
        "POST /v1/customers": "createCustomer",
        "POST /v1/customers/{customer}/claim": "claimCustomer",
        "POST /v1/customers/{customer}/contacts": "addContact",
        "POST /v1/customers/{customer}/follow-ups": "logFollowUp",
        "POST /v1/customers/{customer}/release": "releaseCustomer",
        "POST /v1/customers/{customer}/surveys": "recordSurvey",
        "POST /v1/customers/{customer}/tags": "tagCustomer",
        "POST /v1/customers/{customer}/transfer": "transferCustomer",
        "POST /v1/expenses": "recordExpense",
        "POST /v1/leads": "createLead",
        "POST /v1/leads/{lead}/assign": "assignLead",
        "POST /v1/leads/{lead}/convert": "convertLead",
        "POST /v1/leads/{lead}/disqualify": "disqualifyLead",
        "POST /v1/leads/{lead}/follow-ups": "followUpLead",
        "POST /v1/leads/{lead}/qualify": "qualifyLead",
        "POST /v1/opportunities": "openOpportunity",
        "POST /v1/opportunities/{opportunity}/lose": "loseOpportunity",
        "POST /v1/opportunities/{opportunity}/reopen": "reopenOpportunity",
        "POST /v1/opportunities/{opportunity}/stage": "moveOpportunity",
        "POST /v1/opportunities/{opportunity}/win": "winOpportunity",
        "POST /v1/pool/sweep": "sweepPool",
        "POST /v1/products": "addProduct",
        "POST /v1/products/{product}/price": "changeProductPrice",
        "POST /v1/purchase-orders/{order}/receipts": "receiveGoods",
        "POST /v1/quotes": "createQuote",
        "POST /v1/quotes/{quote}/accept": "acceptQuote",
        "POST /v1/quotes/{quote}/reject": "rejectQuote",
        "POST /v1/sales-targets": "setSalesTarget",
        "POST /v1/suppliers": "addSupplier",
        "POST /v1/suppliers/{supplier}/bills": "receiveSupplierBill",
        "POST /v1/suppliers/{supplier}/bills/{bill}/payments": "paySupplier",
        "POST /v1/suppliers/{supplier}/purchase-orders": "orderFromSupplier",
        "POST /v1/teams": "createTeam",
        "POST /v1/users": "addUser",
        "POST /v1/users/{user}/deactivate": "deactivateUser",
        "POST /v1/users/{user}/role": "changeRole",
        "POST /v1/users/{user}/team": "moveUser",
        "POST /v1/work-orders": "openWorkOrder",
        "POST /v1/work-orders/{workOrder}/assign": "assignWorkOrder",
        "POST /v1/work-orders/{workOrder}/close": "closeWorkOrder",
        "POST /v1/work-orders/{workOrder}/resolve": "resolveWorkOrder",
        "PUT /v1/consumers/{consumer}/position": "acknowledge",
        "PUT /v1/settings/approval-policy": "configureApprovalPolicy",
        "PUT /v1/settings/commission-rate": "configureCommissionRate",
        "PUT /v1/settings/lead-priority": "configureLeadPriority",
        "PUT /v1/settings/pipeline": "configurePipeline",
        "PUT /v1/settings/pool-rules": "configurePoolRules",
    ]

    /// The fields of each operation's JSON body, by `operationId`.
    package static let bodyFields: [String: BodyFields] = [
        "acceptQuote": BodyFields(["occurredAt"]),
        "acknowledge": BodyFields(["position"]),
        "addContact": BodyFields(["birthday", "email", "name", "occurredAt", "phone", "title"]),
        "addProduct": BodyFields(
            ["cost", "name", "occurredAt", "price", "sku", "unit"],
            nested: [
                "cost": BodyFields(["amount", "currency"]),
                "price": BodyFields(["amount", "currency"]),
            ]
        ),
        "addSupplier": BodyFields(["contact", "name", "occurredAt"]),
        "addUser": BodyFields(["email", "name", "occurredAt", "role", "teamId"]),
        "approveContract": BodyFields(["comment", "occurredAt"]),
        "approveRefund": BodyFields(["occurredAt"]),
        "assignLead": BodyFields(["occurredAt", "repId"]),
        "assignWorkOrder": BodyFields(["assigneeId", "occurredAt"]),
        "changeProductPrice": BodyFields(
            ["cost", "occurredAt", "price"],
            nested: [
                "cost": BodyFields(["amount", "currency"]),
                "price": BodyFields(["amount", "currency"]),
            ]
        ),
        "changeRole": BodyFields(["occurredAt", "role"]),
        "claimCustomer": BodyFields(["occurredAt"]),
        "closeWorkOrder": BodyFields(["occurredAt"]),
        "configureApprovalPolicy": BodyFields(
            ["amountThreshold", "chain", "discountThresholdPercent", "occurredAt"],
            nested: [
                "amountThreshold": BodyFields(["amount", "currency"]),
            ]
        ),
        "configureCommissionRate": BodyFields(["occurredAt", "rateBasisPoints"]),
        "configureLeadPriority": BodyFields(
            ["campaignResponseCap", "freshPoints", "occurredAt", "pointsLostPerIdleDay", "pointsPerCampaignResponse", "sizePoints", "sourcePoints"],
            nested: [
                "sizePoints": BodyFields(["points", "value"]),
                "sourcePoints": BodyFields(["points", "value"]),
            ]
        ),
        "configurePipeline": BodyFields(
            ["occurredAt", "stages"],
            nested: [
                "stages": BodyFields(["name", "order", "stageId", "winProbabilityPercent"]),
            ]
        ),
        "configurePoolRules": BodyFields(
            ["dailyClaimLimit", "holdingCap", "idleLimits", "occurredAt", "previousOwnerCooldownDays", "warningDaysBeforeRelease"],
            nested: [
                "idleLimits": BodyFields(["idleDays", "level"]),
            ]
        ),
        "convertLead": BodyFields(["amount", "currency", "expectedCloseAt", "name", "occurredAt", "stageId"]),
        "createCustomer": BodyFields(["creditCode", "email", "industry", "level", "name", "occurredAt", "ownerId", "phone", "region", "size", "source", "tags"]),
        "createLead": BodyFields(["campaignId", "companyName", "companySize", "contactName", "creditCode", "email", "occurredAt", "ownerId", "phone", "source"]),
        "createQuote": BodyFields(
            ["customerId", "lines", "occurredAt", "opportunityId", "validUntil"],
            nested: [
                "lines": BodyFields(["discountBasisPoints", "productId", "quantity"]),
            ]
        ),
        "createTeam": BodyFields(["name", "occurredAt"]),
        "deactivateUser": BodyFields(["occurredAt", "reason", "successorId"]),
        "disqualifyLead": BodyFields(["occurredAt", "reason"]),
        "draftContract": BodyFields(
            ["customerId", "lines", "occurredAt", "opportunityId", "quoteId"],
            nested: [
                "lines": BodyFields(["discountBasisPoints", "productId", "quantity"]),
            ]
        ),
        "fileComplaint": BodyFields(["category", "customerId", "description", "occurredAt"]),
        "followUpLead": BodyFields(["channel", "nextContactAt", "note", "occurredAt"]),
        "issueInvoice": BodyFields(["number", "occurredAt"]),
        "launchCampaign": BodyFields(
            ["budget", "channel", "endsAt", "name", "occurredAt", "targetSegment"],
            nested: [
                "budget": BodyFields(["amount", "currency"]),
            ]
        ),
        "logFollowUp": BodyFields(["channel", "contactId", "nextContactAt", "note", "occurredAt"]),
        "loseOpportunity": BodyFields(["occurredAt", "reason"]),
        "moveOpportunity": BodyFields(["occurredAt", "stageId"]),
        "moveUser": BodyFields(["occurredAt", "teamId"]),
        "openOpportunity": BodyFields(["amount", "currency", "customerId", "expectedCloseAt", "name", "occurredAt", "stageId"]),
        "openWorkOrder": BodyFields(["contractId", "customerId", "description", "occurredAt", "title"]),
        "orderFromSupplier": BodyFields(
            ["lines", "occurredAt"],
            nested: [
                "lines": BodyFields(["productId", "quantity"]),
            ]
        ),
        "payRefund": BodyFields(["method", "occurredAt"]),
        "paySupplier": BodyFields(["amount", "currency", "method", "occurredAt"]),
        "qualifyLead": BodyFields(["note", "occurredAt"]),
        "receiveGoods": BodyFields(
            ["lines", "occurredAt"],
            nested: [
                "lines": BodyFields(["productId", "quantity"]),
            ]
        ),
        "receiveReturnedGoods": BodyFields(["occurredAt"]),
        "receiveSupplierBill": BodyFields(["amount", "currency", "dueAt", "occurredAt", "purchaseOrderId"]),
        "recordCampaignResponse": BodyFields(["customerId", "leadId", "occurredAt", "response"]),
        "recordExpense": BodyFields(["amount", "category", "currency", "customerId", "item", "occurredAt"]),
        "recordPayment": BodyFields(["amount", "bankReference", "currency", "method", "occurredAt"]),
        "recordSurvey": BodyFields(["comment", "occurredAt", "score", "workOrderId"]),
        "rejectContract": BodyFields(["comment", "occurredAt"]),
        "rejectQuote": BodyFields(["occurredAt", "reason"]),
        "rejectRefund": BodyFields(["occurredAt", "reason"]),
        "releaseCustomer": BodyFields(["note", "occurredAt"]),
        "reopenOpportunity": BodyFields(["occurredAt", "reason", "stageId"]),
        "requestInvoice": BodyFields(["amount", "currency", "occurredAt", "title"]),
        "requestRefund": BodyFields(["amount", "currency", "occurredAt", "reason", "returnGoods"]),
        "resolveComplaint": BodyFields(["occurredAt", "resolution", "rootCause"]),
        "resolveWorkOrder": BodyFields(["occurredAt", "resolution"]),
        "scheduleInstalments": BodyFields(
            ["instalments", "occurredAt"],
            nested: [
                "instalments": BodyFields(["amount", "currency", "dueAt"]),
            ]
        ),
        "setSalesTarget": BodyFields(["amount", "currency", "occurredAt", "period", "repId", "teamId"]),
        "shipGoods": BodyFields(
            ["lines", "occurredAt"],
            nested: [
                "lines": BodyFields(["productId", "quantity"]),
            ]
        ),
        "sweepPool": BodyFields(["occurredAt"]),
        "tagCustomer": BodyFields(["add", "occurredAt", "remove"]),
        "transferCustomer": BodyFields(["note", "occurredAt", "toOwnerId"]),
        "updateContact": BodyFields(["birthday", "email", "name", "occurredAt", "phone", "title"]),
        "updateCustomerProfile": BodyFields(["industry", "level", "name", "occurredAt", "region", "size", "source"]),
        "winOpportunity": BodyFields(["amount", "currency", "occurredAt", "reason"]),
    ]

    /// What each operation's query parameters may hold, by `operationId` and name.
    package static let queryParameters: [String: [String: QueryParameterRule]] = [
        "approvalTimings": ["from": QueryParameterRule(.text, required: true), "to": QueryParameterRule(.text, required: true)],
        "approvals": ["limit": QueryParameterRule(.integer(1...500))],
        "backdatedAppends": ["from": QueryParameterRule(.integer(1...9223372036854775807)), "limit": QueryParameterRule(.integer(1...1000)), "minimumSeconds": QueryParameterRule(.integer(0...9000000000))],
        "campaigns": ["limit": QueryParameterRule(.integer(1...1000)), "status": QueryParameterRule(.oneOf(["not-launched", "running", "ended"]))],
        "churnLosses": ["period": QueryParameterRule(.text, required: true)],
        "churnReasons": ["period": QueryParameterRule(.text, required: true)],
        "churnWinBacks": ["period": QueryParameterRule(.text, required: true)],
        "commission": ["period": QueryParameterRule(.text, required: true)],
        "contractReceivables": ["asOf": QueryParameterRule(.text, required: true)],
        "customer360": ["basis": QueryParameterRule(.oneOf(["recorded", "occurred"]))],
        "customerFlow": ["from": QueryParameterRule(.text, required: true), "to": QueryParameterRule(.text, required: true)],
        "customerReceivables": ["asOf": QueryParameterRule(.text, required: true)],
        "customerTimeline": ["after": QueryParameterRule(.integer(0...9223372036854775807)), "limit": QueryParameterRule(.integer(1...1000))],
        "expenses": ["period": QueryParameterRule(.text, required: true)],
        "forecast": ["period": QueryParameterRule(.text, required: true)],
        "funnel": ["period": QueryParameterRule(.text, required: true)],
        "leadConversion": ["by": QueryParameterRule(.oneOf(["source", "campaign", "rep"])), "period": QueryParameterRule(.text, required: true)],
        "leadTimeline": ["after": QueryParameterRule(.integer(0...9223372036854775807)), "limit": QueryParameterRule(.integer(1...1000))],
        "listContracts": ["limit": QueryParameterRule(.integer(1...500)), "status": QueryParameterRule(.oneOf(["pending_approval", "binding", "rejected"]))],
        "listCustomers": ["limit": QueryParameterRule(.integer(1...1000)), "pool": QueryParameterRule(.boolean)],
        "listLeads": ["limit": QueryParameterRule(.integer(1...1000)), "sort": QueryParameterRule(.oneOf(["priority", "created", "id"])), "status": QueryParameterRule(.oneOf(["open", "qualified", "disqualified", "converted"]))],
        "listOpportunities": ["limit": QueryParameterRule(.integer(1...1000)), "sort": QueryParameterRule(.oneOf(["expected_close", "opened", "id"])), "status": QueryParameterRule(.oneOf(["open", "won", "lost"]))],
        "listQuotes": ["limit": QueryParameterRule(.integer(1...500)), "status": QueryParameterRule(.oneOf(["open", "accepted", "rejected", "expired"]))],
        "listUsers": ["limit": QueryParameterRule(.integer(1...1000))],
        "margin": ["period": QueryParameterRule(.text, required: true)],
        "payables": ["limit": QueryParameterRule(.integer(1...1000)), "outstanding": QueryParameterRule(.boolean)],
        "pipelineCoverage": ["period": QueryParameterRule(.text, required: true)],
        "products": ["inStock": QueryParameterRule(.boolean), "limit": QueryParameterRule(.integer(1...1000))],
        "readLog": ["from": QueryParameterRule(.integer(1...9223372036854775807)), "limit": QueryParameterRule(.integer(1...1000))],
        "readStream": ["direction": QueryParameterRule(.oneOf(["forward", "backward"])), "from": QueryParameterRule(.integer(0...9223372036854775807)), "limit": QueryParameterRule(.integer(1...1000))],
        "receipts": ["period": QueryParameterRule(.text, required: true)],
        "receivablesAging": ["asOf": QueryParameterRule(.text, required: true), "top": QueryParameterRule(.integer(1...1000))],
        "reminders": ["dueWithinDays": QueryParameterRule(.integer(0...36500)), "noOrderDays": QueryParameterRule(.integer(0...36500))],
        "sales": ["by": QueryParameterRule(.oneOf(["rep", "team", "region", "product"])), "period": QueryParameterRule(.text, required: true)],
        "salesTargets": ["period": QueryParameterRule(.text, required: true)],
        "search": ["limit": QueryParameterRule(.integer(1...100)), "q": QueryParameterRule(.text, required: true)],
        "serviceMonths": ["period": QueryParameterRule(.text, required: true)],
        "serviceReps": ["period": QueryParameterRule(.text, required: true)],
        "serviceStatistics": ["period": QueryParameterRule(.text, required: true)],
        "subscribe": ["from": QueryParameterRule(.integer(0...9223372036854775807))],
    ]
}
