import CRMSchema
import Foundation
import Testing

/// Opportunities, products, quotes and contracts over a real socket, from the first stage to
/// the refund paid out, each outcome read back from the log.
@Suite("Deal commands over HTTP")
struct DealCommandTests {
    /// A server with a product (100.00 CNY, cost 60.00) and a customer of the rep.
    private func start(_ name: String) async throws -> (CommandServer, product: String, customer: String) {
        let crm = try await CommandServer.start(name)
        let product = try await crm.post(
            "/v1/products",
            #"{"sku":"tea-500","name":"Longjing 500 g","price":{"amount":10000,"currency":"CNY"},"cost":{"amount":6000,"currency":"CNY"},"unit":"box"}"#,
            as: .finance
        ).id("productId")
        let customer = try await crm.post(
            "/v1/customers",
            #"{"name":"Hangzhou Tea House","ownerId":"\#(crm.id(.rep))"}"#,
            as: .rep
        ).id("customerId")
        try await crm.settle()
        return (crm, product, customer)
    }

    @Test("an opportunity moves, is lost, reopened and won; a rep outside the team may not touch it")
    func opportunityLifecycle() async throws {
        let (crm, _, customer) = try await start("commands-opportunities")
        var head = try crm.head()
        let outside = try await crm.post(
            "/v1/opportunities",
            #"{"customerId":"\#(customer)","name":"Spring order","amount":500000,"currency":"CNY"}"#,
            as: .outsider
        )
        #expect(outside.status == 403 && outside.code == "outside_scope", "\(outside.json)")
        let opened = try await crm.post(
            "/v1/opportunities",
            #"{"customerId":"\#(customer)","name":"Spring order","amount":500000,"currency":"CNY","expectedCloseAt":"2027-03-01T00:00:00Z"}"#,
            as: .rep
        )
        #expect(opened.status == 201, "\(opened.json)")
        let opportunity = try opened.id("opportunityId")
        #expect(try crm.event(CRMOpportunityOpened.self, after: head).stageID == "qualification")

        head = try crm.head()
        let intruder = try await crm.post(
            "/v1/opportunities/\(opportunity)/stage",
            #"{"stageId":"proposal"}"#,
            as: .outsider
        )
        #expect(intruder.status == 403 && intruder.code == "outside_scope", "\(intruder.json)")
        let unknownStage = try await crm.post(
            "/v1/opportunities/\(opportunity)/stage",
            #"{"stageId":"dreaming"}"#,
            as: .rep
        )
        #expect(unknownStage.status == 422 && unknownStage.code == "unknown_stage", "\(unknownStage.json)")
        #expect(try crm.head() == head)
        #expect(
            try await crm.post("/v1/opportunities/\(opportunity)/stage", #"{"stageId":"proposal"}"#, as: .rep).status
                == 200
        )
        #expect(try crm.event(CRMOpportunityStageChanged.self, after: head).toStageID == "proposal")

        head = try crm.head()
        #expect(
            try await crm.post("/v1/opportunities/\(opportunity)/lose", #"{"reason":"price"}"#, as: .rep).status == 200
        )
        #expect(try crm.event(CRMOpportunityLost.self, after: head).stageID == "proposal")
        let again = try await crm.post("/v1/opportunities/\(opportunity)/lose", #"{"reason":"price"}"#, as: .rep)
        #expect(again.status == 422 && again.code == "opportunity_closed", "\(again.json)")
        head = try crm.head()
        #expect(
            try await crm.post(
                "/v1/opportunities/\(opportunity)/reopen",
                #"{"reason":"new budget","stageId":"negotiation"}"#,
                as: .manager
            ).status == 200
        )
        #expect(try crm.event(CRMOpportunityReopened.self, after: head).stageID == "negotiation")
        let open = try await crm.post("/v1/opportunities/\(opportunity)/reopen", #"{"reason":"again"}"#, as: .manager)
        #expect(open.status == 422 && open.code == "opportunity_open", "\(open.json)")
        head = try crm.head()
        #expect(
            try await crm.post(
                "/v1/opportunities/\(opportunity)/win",
                #"{"reason":"tasting won them","amount":450000,"currency":"CNY"}"#,
                as: .rep
            ).status == 200
        )
        #expect(try crm.event(CRMOpportunityWon.self, after: head).amount.minorUnits == 450_000)
        try await crm.stop()
    }

    @Test("products are priced, quotes accepted or rejected, and expired or closed quotes refuse")
    func productsAndQuotes() async throws {
        let (crm, product, customer) = try await start("commands-quotes")
        var head = try crm.head()
        let duplicate = try await crm.post(
            "/v1/products",
            #"{"sku":"TEA-500","name":"Copy","price":{"amount":1,"currency":"CNY"},"cost":{"amount":1,"currency":"CNY"}}"#,
            as: .admin
        )
        #expect(duplicate.status == 409 && duplicate.code == "duplicate_product", "\(duplicate.json)")
        let repriced = try await crm.post(
            "/v1/products/\(product)/price",
            #"{"price":{"amount":12000,"currency":"CNY"},"cost":{"amount":6500,"currency":"CNY"}}"#,
            as: .finance
        )
        #expect(repriced.status == 200, "\(repriced.json)")
        #expect(try crm.event(CRMProductPriceChanged.self, after: head).price.minorUnits == 12_000)
        let unchanged = try await crm.post(
            "/v1/products/\(product)/price",
            #"{"price":{"amount":12000,"currency":"CNY"},"cost":{"amount":6500,"currency":"CNY"}}"#,
            as: .finance
        )
        #expect(unchanged.status == 422 && unchanged.code == "no_change", "\(unchanged.json)")

        head = try crm.head()
        let lines = #""lines":[{"productId":"\#(product)","quantity":10,"discountBasisPoints":500}]"#
        let quote = try await crm.post(
            "/v1/quotes",
            #"{"customerId":"\#(customer)",\#(lines),"validUntil":"2027-01-31T00:00:00Z"}"#,
            as: .rep
        )
        #expect(quote.status == 201, "\(quote.json)")
        #expect(try crm.event(CRMQuoteCreated.self, after: head).total.minorUnits == 114_000, "10 × 120.00 less 5%")
        let quoteID = try quote.id("quoteId")
        head = try crm.head()
        #expect(try await crm.post("/v1/quotes/\(quoteID)/accept", "", as: .rep).status == 200)
        #expect(try crm.event(CRMQuoteAccepted.self, after: head).quoteID == quoteID)
        let closed = try await crm.post("/v1/quotes/\(quoteID)/reject", #"{"reason":"too late"}"#, as: .rep)
        #expect(closed.status == 422 && closed.code == "quote_closed", "\(closed.json)")

        let short = try await crm.post(
            "/v1/quotes",
            #"{"customerId":"\#(customer)",\#(lines),"validUntil":"2026-02-01T00:00:00Z","occurredAt":"2026-01-15T00:00:00Z"}"#,
            as: .admin
        ).id("quoteId")
        head = try crm.head()
        let expired = try await crm.post("/v1/quotes/\(short)/accept", "", as: .rep)
        #expect(expired.status == 422 && expired.code == "quote_expired", "\(expired.json)")
        #expect(try crm.head() == head)
        #expect(try await crm.post("/v1/quotes/\(short)/reject", #"{"reason":"expired"}"#, as: .manager).status == 200)
        #expect(try crm.event(CRMQuoteRejected.self, after: head).reason == "expired")
        try await crm.stop()
    }

    @Test(
        "a discounted contract waits for the manager's approval, then takes a plan, a payment, an invoice and a refund with goods back"
    )
    func contractLifecycle() async throws {
        let (crm, product, customer) = try await start("commands-contracts")
        var head = try crm.head()
        // 25% off passes the default policy's 20% threshold: the team's manager must approve.
        let drafted = try await crm.post(
            "/v1/contracts",
            #"{"customerId":"\#(customer)","lines":[{"productId":"\#(product)","quantity":10,"discountBasisPoints":2500}]}"#,
            as: .rep
        )
        #expect(drafted.status == 201, "\(drafted.json)")
        let contract = try drafted.id("contractId")
        #expect(try crm.event(CRMContractDrafted.self, after: head).approvalChain == [.manager])
        head = try crm.head()
        let early = try await crm.post(
            "/v1/contracts/\(contract)/instalments",
            #"{"instalments":[{"dueAt":"2026-12-31T00:00:00Z","amount":75000,"currency":"CNY"}]}"#,
            as: .rep
        )
        #expect(early.status == 422 && early.code == "contract_not_binding", "\(early.json)")
        let finance = try await crm.post("/v1/contracts/\(contract)/approve", "", as: .finance)
        #expect(finance.status == 403 && finance.code == "not_approver", "\(finance.json)")
        #expect(try crm.head() == head)
        #expect(
            try await crm.post("/v1/contracts/\(contract)/approve", #"{"comment":"strategic"}"#, as: .manager).status
                == 200
        )
        #expect(try crm.event(CRMContractApproved.self, after: head).binding)
        let twice = try await crm.post("/v1/contracts/\(contract)/approve", "", as: .admin)
        #expect(twice.status == 422 && twice.code == "approval_not_pending", "\(twice.json)")

        head = try crm.head()
        let plan = try await crm.post(
            "/v1/contracts/\(contract)/instalments",
            #"{"instalments":[{"dueAt":"2026-12-31T00:00:00Z","amount":50000,"currency":"CNY"},{"dueAt":"2027-01-31T00:00:00Z","amount":25000,"currency":"CNY"}]}"#,
            as: .rep
        )
        #expect(plan.status == 200, "\(plan.json)")
        #expect(try crm.event(CRMInstalmentsScheduled.self, after: head).instalments.map(\.number) == [1, 2])
        let over = try await crm.post(
            "/v1/contracts/\(contract)/instalments",
            #"{"instalments":[{"dueAt":"2027-02-28T00:00:00Z","amount":1,"currency":"CNY"}]}"#,
            as: .rep
        )
        #expect(over.status == 422 && over.code == "plan_exceeds_contract", "\(over.json)")

        head = try crm.head()
        let paid = try await crm.post(
            "/v1/contracts/\(contract)/payments",
            #"{"amount":50000,"currency":"CNY","method":"alipay","occurredAt":"2026-11-20T08:00:00Z"}"#,
            as: .finance
        )
        #expect(paid.status == 201, "\(paid.json)")
        #expect(
            try crm.events(after: head).first?.occurredAt == Date(timeIntervalSince1970: 1_795_161_600),
            "the payment's business time"
        )

        // The same transfer entered twice, the second time by hand without an idempotency key.
        head = try crm.head()
        let referenced = try await crm.post(
            "/v1/contracts/\(contract)/payments",
            #"{"amount":100,"currency":"CNY","method":"bank_transfer","bankReference":"CMB-0042"}"#,
            as: .finance
        )
        #expect(referenced.status == 201, "\(referenced.json)")
        #expect(try crm.event(CRMPaymentReceived.self, after: head).bankReference == "CMB-0042")
        head = try crm.head()
        let enteredTwice = try await crm.post(
            "/v1/contracts/\(contract)/payments",
            #"{"amount":100,"currency":"CNY","method":"bank_transfer","bankReference":"cmb-0042"}"#,
            as: .finance
        )
        #expect(enteredTwice.status == 409 && enteredTwice.code == "duplicate_bank_reference", "\(enteredTwice.json)")
        let firstPayment = try referenced.id("paymentId")
        #expect(enteredTwice.facts["existing"] == firstPayment)
        #expect(try crm.head() == head, "a refused payment appends nothing")

        head = try crm.head()
        let invoice = try await crm.post(
            "/v1/contracts/\(contract)/invoices",
            #"{"amount":50000,"currency":"CNY","title":"Hangzhou Tea House Ltd"}"#,
            as: .rep
        )
        #expect(invoice.status == 201, "\(invoice.json)")
        let invoiceID = try invoice.id("invoiceId")
        #expect(try crm.event(CRMInvoiceRequested.self, after: head).invoiceID == invoiceID)
        head = try crm.head()
        #expect(
            try await crm.post(
                "/v1/contracts/\(contract)/invoices/\(invoiceID)/issue",
                #"{"number":"FP-2026-0001"}"#,
                as: .finance
            ).status == 200
        )
        #expect(try crm.event(CRMInvoiceIssued.self, after: head).invoiceNumber == "FP-2026-0001")
        let reissued = try await crm.post(
            "/v1/contracts/\(contract)/invoices/\(invoiceID)/issue",
            #"{"number":"FP-2026-0002"}"#,
            as: .finance
        )
        #expect(reissued.status == 422 && reissued.code == "invoice_already_issued", "\(reissued.json)")

        head = try crm.head()
        let tooMuch = try await crm.post(
            "/v1/contracts/\(contract)/refunds",
            #"{"amount":60000,"currency":"CNY","reason":"broken"}"#,
            as: .rep
        )
        #expect(tooMuch.status == 422 && tooMuch.code == "refund_exceeds_collected", "\(tooMuch.json)")
        let refund = try await crm.post(
            "/v1/contracts/\(contract)/refunds",
            #"{"amount":10000,"currency":"CNY","reason":"two boxes broken","returnGoods":true}"#,
            as: .rep
        )
        #expect(refund.status == 201, "\(refund.json)")
        let refundID = try refund.id("refundId")
        #expect(try crm.event(CRMRefundRequested.self, after: head).returnGoods)
        head = try crm.head()
        #expect(
            try await crm.post("/v1/contracts/\(contract)/refunds/\(refundID)/approve", "", as: .finance).status == 200
        )
        #expect(try crm.event(CRMRefundApproved.self, after: head).approverID == crm.id(.finance))
        head = try crm.head()
        let beforeGoods = try await crm.post(
            "/v1/contracts/\(contract)/refunds/\(refundID)/pay",
            #"{"method":"alipay"}"#,
            as: .finance
        )
        #expect(beforeGoods.status == 422 && beforeGoods.code == "refund_not_ready", "\(beforeGoods.json)")
        #expect(
            try await crm.post("/v1/contracts/\(contract)/refunds/\(refundID)/goods-returned", "", as: .manager).status
                == 200
        )
        #expect(try crm.event(CRMReturnedGoodsReceived.self, after: head).refundID == refundID)
        head = try crm.head()
        #expect(
            try await crm.post(
                "/v1/contracts/\(contract)/refunds/\(refundID)/pay",
                #"{"method":"alipay"}"#,
                as: .finance
            ).status == 200
        )
        #expect(try crm.event(CRMRefundPaid.self, after: head).amount.minorUnits == 10_000)

        let second = try await crm.post(
            "/v1/contracts/\(contract)/refunds",
            #"{"amount":5000,"currency":"CNY","reason":"changed mind"}"#,
            as: .rep
        ).id("refundId")
        head = try crm.head()
        let ownManager = try await crm.post(
            "/v1/contracts/\(contract)/refunds/\(second)/reject",
            #"{"reason":"not our fault"}"#,
            as: .manager
        )
        #expect(ownManager.status == 200, "\(ownManager.json)")
        #expect(try crm.event(CRMRefundRejected.self, after: head).reason == "not our fault")
        try await crm.stop()
    }

    @Test("an approver rejects a contract with a comment, and not without one")
    func contractRejection() async throws {
        let (crm, product, customer) = try await start("commands-contract-rejection")
        let contract = try await crm.post(
            "/v1/contracts",
            #"{"customerId":"\#(customer)","lines":[{"productId":"\#(product)","quantity":1,"discountBasisPoints":5000}]}"#,
            as: .rep
        ).id("contractId")
        let head = try crm.head()
        let silent = try await crm.post("/v1/contracts/\(contract)/reject", "", as: .manager)
        #expect(silent.status == 400 && silent.code == "reason_required", "\(silent.json)")
        #expect(try crm.head() == head)
        #expect(
            try await crm.post(
                "/v1/contracts/\(contract)/reject",
                #"{"comment":"half price is too much"}"#,
                as: .manager
            ).status == 200
        )
        #expect(try crm.event(CRMContractRejected.self, after: head).comment == "half price is too much")
        try await crm.stop()
    }
}
