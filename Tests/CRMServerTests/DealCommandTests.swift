import CRMSchema
import Foundation
import RapportAPI
import Testing

/// Opportunities, products, quotes and contracts over a real socket, from the first stage to
/// the refund paid out, each outcome read back from the log.
@Suite("Deal commands over HTTP")
struct DealCommandTests {
    /// A server with a product (100.00 CNY, cost 60.00) and a customer of the rep.
    private func start(_ name: String) async throws -> (CommandServer, product: String, customer: String) {
        let crm = try await CommandServer.start(name)
        let product = try await crm.client(as: .finance).addProduct(
            body: .json(
                .init(
                    sku: "tea-500",
                    name: "Longjing 500 g",
                    price: .init(amount: 10_000, currency: "CNY"),
                    cost: .init(amount: 6_000, currency: "CNY"),
                    unit: "box"
                )
            )
        ).created.body.json.productId
        let customer = try await crm.client(as: .rep).createCustomer(
            body: .json(.init(name: "Hangzhou Tea House", ownerId: crm.id(.rep)))
        ).created.body.json.customerId
        try await crm.settle()
        return (crm, product, customer)
    }

    @Test("an opportunity moves, is lost, reopened and won; a rep outside the team may not touch it")
    func opportunityLifecycle() async throws {
        let (crm, _, customer) = try await start("commands-opportunities")
        let (rep, outsider, manager) = (
            try crm.client(as: .rep), try crm.client(as: .outsider), try crm.client(as: .manager)
        )
        var head = try crm.head()
        let outside = try await outsider.openOpportunity(
            body: .json(.init(customerId: customer, name: "Spring order", amount: 500_000, currency: "CNY"))
        )
        #expect(try outside.forbidden.body.json.value1.error.code == "outside_scope", "\(outside)")
        let opened = try await rep.openOpportunity(
            body: .json(
                .init(
                    customerId: customer,
                    name: "Spring order",
                    amount: 500_000,
                    currency: "CNY",
                    expectedCloseAt: try Date("2027-03-01T00:00:00Z", strategy: .iso8601)
                )
            )
        )
        let opportunity = try opened.created.body.json.opportunityId
        #expect(try crm.event(CRMOpportunityOpened.self, after: head).stageID == "qualification")

        head = try crm.head()
        let intruder = try await outsider.moveOpportunity(
            path: .init(opportunity: opportunity),
            body: .json(.init(stageId: "proposal"))
        )
        #expect(try intruder.forbidden.body.json.value1.error.code == "outside_scope", "\(intruder)")
        let unknownStage = try await rep.moveOpportunity(
            path: .init(opportunity: opportunity),
            body: .json(.init(stageId: "dreaming"))
        )
        #expect(try unknownStage.unprocessableContent.body.json.error.code == "unknown_stage", "\(unknownStage)")
        #expect(try crm.head() == head)
        let moved = try await rep.moveOpportunity(
            path: .init(opportunity: opportunity),
            body: .json(.init(stageId: "proposal"))
        )
        #expect(try moved.ok.body.json.changed, "\(moved)")
        #expect(try crm.event(CRMOpportunityStageChanged.self, after: head).toStageID == "proposal")

        head = try crm.head()
        let lost = try await rep.loseOpportunity(
            path: .init(opportunity: opportunity),
            body: .json(.init(reason: "price"))
        )
        #expect(try lost.ok.body.json.changed, "\(lost)")
        #expect(try crm.event(CRMOpportunityLost.self, after: head).stageID == "proposal")
        let again = try await rep.loseOpportunity(
            path: .init(opportunity: opportunity),
            body: .json(.init(reason: "price"))
        )
        #expect(try again.unprocessableContent.body.json.error.code == "opportunity_closed", "\(again)")
        head = try crm.head()
        let reopened = try await manager.reopenOpportunity(
            path: .init(opportunity: opportunity),
            body: .json(.init(reason: "new budget", stageId: "negotiation"))
        )
        #expect(try reopened.ok.body.json.changed, "\(reopened)")
        #expect(try crm.event(CRMOpportunityReopened.self, after: head).stageID == "negotiation")
        let open = try await manager.reopenOpportunity(
            path: .init(opportunity: opportunity),
            body: .json(.init(reason: "again"))
        )
        #expect(try open.unprocessableContent.body.json.error.code == "opportunity_open", "\(open)")
        head = try crm.head()
        let won = try await rep.winOpportunity(
            path: .init(opportunity: opportunity),
            body: .json(.init(reason: "tasting won them", amount: 450_000, currency: "CNY"))
        )
        #expect(try won.ok.body.json.changed, "\(won)")
        #expect(try crm.event(CRMOpportunityWon.self, after: head).amount.minorUnits == 450_000)
        try await crm.stop()
    }

    @Test("products are priced, quotes accepted or rejected, and expired or closed quotes refuse")
    func productsAndQuotes() async throws {
        let (crm, product, customer) = try await start("commands-quotes")
        let (rep, manager, finance) = (
            try crm.client(as: .rep), try crm.client(as: .manager), try crm.client(as: .finance)
        )
        var head = try crm.head()
        let duplicate = try await crm.client(as: .admin).addProduct(
            body: .json(
                .init(
                    sku: "TEA-500",
                    name: "Copy",
                    price: .init(amount: 1, currency: "CNY"),
                    cost: .init(amount: 1, currency: "CNY")
                )
            )
        )
        #expect(try duplicate.conflict.body.json.error.code == "duplicate_product", "\(duplicate)")
        let newPrice = Operations.ChangeProductPrice.Input.Body.json(
            .init(price: .init(amount: 12_000, currency: "CNY"), cost: .init(amount: 6_500, currency: "CNY"))
        )
        let repriced = try await finance.changeProductPrice(path: .init(product: product), body: newPrice)
        #expect(try repriced.ok.body.json.changed, "\(repriced)")
        #expect(try crm.event(CRMProductPriceChanged.self, after: head).price.minorUnits == 12_000)
        let unchanged = try await finance.changeProductPrice(path: .init(product: product), body: newPrice)
        #expect(try unchanged.unprocessableContent.body.json.error.code == "no_change", "\(unchanged)")

        head = try crm.head()
        let lines: [Components.Schemas.PricedLineRequest] = [
            .init(productId: product, quantity: 10, discountBasisPoints: 500)
        ]
        let quote = try await rep.createQuote(
            body: .json(
                .init(
                    customerId: customer,
                    lines: lines,
                    validUntil: try Date("2027-01-31T00:00:00Z", strategy: .iso8601)
                )
            )
        )
        let quoteID = try quote.created.body.json.quoteId
        #expect(try crm.event(CRMQuoteCreated.self, after: head).total.minorUnits == 114_000, "10 × 120.00 less 5%")
        head = try crm.head()
        let accepted = try await rep.acceptQuote(path: .init(quote: quoteID))
        #expect(try accepted.ok.body.json.changed, "\(accepted)")
        #expect(try crm.event(CRMQuoteAccepted.self, after: head).quoteID == quoteID)
        let closed = try await rep.rejectQuote(path: .init(quote: quoteID), body: .json(.init(reason: "too late")))
        #expect(try closed.unprocessableContent.body.json.error.code == "quote_closed", "\(closed)")

        let short = try await crm.client(as: .admin).createQuote(
            body: .json(
                .init(
                    customerId: customer,
                    lines: lines,
                    validUntil: try Date("2026-02-01T00:00:00Z", strategy: .iso8601),
                    occurredAt: "2026-01-15T00:00:00Z"
                )
            )
        ).created.body.json.quoteId
        head = try crm.head()
        let expired = try await rep.acceptQuote(path: .init(quote: short))
        #expect(try expired.unprocessableContent.body.json.error.code == "quote_expired", "\(expired)")
        #expect(try crm.head() == head)
        let rejected = try await manager.rejectQuote(path: .init(quote: short), body: .json(.init(reason: "expired")))
        #expect(try rejected.ok.body.json.changed, "\(rejected)")
        #expect(try crm.event(CRMQuoteRejected.self, after: head).reason == "expired")
        try await crm.stop()
    }

    @Test(
        "a discounted contract waits for the manager's approval, then takes a plan, a payment, an invoice and a refund with goods back"
    )
    func contractLifecycle() async throws {
        let (crm, product, customer) = try await start("commands-contracts")
        let (rep, manager, finance) = (
            try crm.client(as: .rep), try crm.client(as: .manager), try crm.client(as: .finance)
        )
        var head = try crm.head()
        // 25% off passes the default policy's 20% threshold: the team's manager must approve.
        let drafted = try await rep.draftContract(
            body: .json(
                .init(
                    customerId: customer,
                    lines: [.init(productId: product, quantity: 10, discountBasisPoints: 2_500)]
                )
            )
        )
        let contract = try drafted.created.body.json.contractId
        #expect(try crm.event(CRMContractDrafted.self, after: head).approvalChain == [.manager])
        head = try crm.head()
        let early = try await rep.scheduleInstalments(
            path: .init(contract: contract),
            body: .json(
                .init(instalments: [
                    .init(dueAt: try Date("2026-12-31T00:00:00Z", strategy: .iso8601), amount: 75_000, currency: "CNY")
                ])
            )
        )
        #expect(try early.unprocessableContent.body.json.error.code == "contract_not_binding", "\(early)")
        let byFinance = try await finance.approveContract(path: .init(contract: contract))
        #expect(try byFinance.forbidden.body.json.value1.error.code == "not_approver", "\(byFinance)")
        #expect(try crm.head() == head)
        let approved = try await manager.approveContract(
            path: .init(contract: contract),
            body: .json(.init(comment: "strategic"))
        )
        #expect(try approved.ok.body.json.changed, "\(approved)")
        #expect(try crm.event(CRMContractApproved.self, after: head).binding)
        let twice = try await crm.client(as: .admin).approveContract(path: .init(contract: contract))
        #expect(try twice.unprocessableContent.body.json.error.code == "approval_not_pending", "\(twice)")

        head = try crm.head()
        let plan = try await rep.scheduleInstalments(
            path: .init(contract: contract),
            body: .json(
                .init(instalments: [
                    .init(dueAt: try Date("2026-12-31T00:00:00Z", strategy: .iso8601), amount: 50_000, currency: "CNY"),
                    .init(dueAt: try Date("2027-01-31T00:00:00Z", strategy: .iso8601), amount: 25_000, currency: "CNY"),
                ])
            )
        )
        #expect(try plan.ok.body.json.changed, "\(plan)")
        #expect(try crm.event(CRMInstalmentsScheduled.self, after: head).instalments.map(\.number) == [1, 2])
        let over = try await rep.scheduleInstalments(
            path: .init(contract: contract),
            body: .json(
                .init(instalments: [
                    .init(dueAt: try Date("2027-02-28T00:00:00Z", strategy: .iso8601), amount: 1, currency: "CNY")
                ])
            )
        )
        #expect(try over.unprocessableContent.body.json.error.code == "plan_exceeds_contract", "\(over)")

        head = try crm.head()
        let paid = try await finance.recordPayment(
            path: .init(contract: contract),
            body: .json(.init(amount: 50_000, currency: "CNY", method: .alipay, occurredAt: "2026-11-20T08:00:00Z"))
        )
        #expect(try !paid.created.body.json.paymentId.isEmpty, "\(paid)")
        #expect(
            try crm.events(after: head).first?.occurredAt == Date(timeIntervalSince1970: 1_795_161_600),
            "the payment's business time"
        )

        // The same transfer entered twice, the second time by hand without an idempotency key.
        head = try crm.head()
        let referenced = try await finance.recordPayment(
            path: .init(contract: contract),
            body: .json(.init(amount: 100, currency: "CNY", method: .bankTransfer, bankReference: "CMB-0042"))
        )
        let firstPayment = try referenced.created.body.json.paymentId
        #expect(try crm.event(CRMPaymentReceived.self, after: head).bankReference == "CMB-0042")
        head = try crm.head()
        let enteredTwice = try await finance.recordPayment(
            path: .init(contract: contract),
            body: .json(.init(amount: 100, currency: "CNY", method: .bankTransfer, bankReference: "cmb-0042"))
        )
        let duplicate = try enteredTwice.conflict.body.json.error
        #expect(duplicate.code == "duplicate_bank_reference", "\(enteredTwice)")
        #expect(duplicate.facts.additionalProperties["existing"] == firstPayment)
        #expect(try crm.head() == head, "a refused payment appends nothing")

        head = try crm.head()
        let invoice = try await rep.requestInvoice(
            path: .init(contract: contract),
            body: .json(.init(amount: 50_000, currency: "CNY", title: "Hangzhou Tea House Ltd"))
        )
        let invoiceID = try invoice.created.body.json.invoiceId
        #expect(try crm.event(CRMInvoiceRequested.self, after: head).invoiceID == invoiceID)
        head = try crm.head()
        let issued = try await finance.issueInvoice(
            path: .init(contract: contract, invoice: invoiceID),
            body: .json(.init(number: "FP-2026-0001"))
        )
        #expect(try issued.ok.body.json.changed, "\(issued)")
        #expect(try crm.event(CRMInvoiceIssued.self, after: head).invoiceNumber == "FP-2026-0001")
        let reissued = try await finance.issueInvoice(
            path: .init(contract: contract, invoice: invoiceID),
            body: .json(.init(number: "FP-2026-0002"))
        )
        #expect(try reissued.unprocessableContent.body.json.error.code == "invoice_already_issued", "\(reissued)")

        head = try crm.head()
        let tooMuch = try await rep.requestRefund(
            path: .init(contract: contract),
            body: .json(.init(amount: 60_000, currency: "CNY", reason: "broken"))
        )
        #expect(try tooMuch.unprocessableContent.body.json.error.code == "refund_exceeds_collected", "\(tooMuch)")
        let refund = try await rep.requestRefund(
            path: .init(contract: contract),
            body: .json(.init(amount: 10_000, currency: "CNY", reason: "two boxes broken", returnGoods: true))
        )
        let refundID = try refund.created.body.json.refundId
        #expect(try crm.event(CRMRefundRequested.self, after: head).returnGoods)
        head = try crm.head()
        let refundApproved = try await finance.approveRefund(path: .init(contract: contract, refund: refundID))
        #expect(try refundApproved.ok.body.json.changed, "\(refundApproved)")
        #expect(try crm.event(CRMRefundApproved.self, after: head).approverID == crm.id(.finance))
        head = try crm.head()
        let beforeGoods = try await finance.payRefund(
            path: .init(contract: contract, refund: refundID),
            body: .json(.init(method: .alipay))
        )
        #expect(try beforeGoods.unprocessableContent.body.json.error.code == "refund_not_ready", "\(beforeGoods)")
        let goodsBack = try await manager.receiveReturnedGoods(path: .init(contract: contract, refund: refundID))
        #expect(try goodsBack.ok.body.json.changed, "\(goodsBack)")
        #expect(try crm.event(CRMReturnedGoodsReceived.self, after: head).refundID == refundID)
        head = try crm.head()
        let refundPaid = try await finance.payRefund(
            path: .init(contract: contract, refund: refundID),
            body: .json(.init(method: .alipay))
        )
        #expect(try refundPaid.ok.body.json.changed, "\(refundPaid)")
        #expect(try crm.event(CRMRefundPaid.self, after: head).amount.minorUnits == 10_000)

        let second = try await rep.requestRefund(
            path: .init(contract: contract),
            body: .json(.init(amount: 5_000, currency: "CNY", reason: "changed mind"))
        ).created.body.json.refundId
        head = try crm.head()
        let ownManager = try await manager.rejectRefund(
            path: .init(contract: contract, refund: second),
            body: .json(.init(reason: "not our fault"))
        )
        #expect(try ownManager.ok.body.json.changed, "\(ownManager)")
        #expect(try crm.event(CRMRefundRejected.self, after: head).reason == "not our fault")
        try await crm.stop()
    }

    @Test("an approver rejects a contract with a comment, and not without one")
    func contractRejection() async throws {
        let (crm, product, customer) = try await start("commands-contract-rejection")
        let manager = try crm.client(as: .manager)
        let contract = try await crm.client(as: .rep).draftContract(
            body: .json(
                .init(customerId: customer, lines: [.init(productId: product, quantity: 1, discountBasisPoints: 5_000)])
            )
        ).created.body.json.contractId
        let head = try crm.head()
        let silent = try await manager.rejectContract(path: .init(contract: contract))
        #expect(try silent.badRequest.body.json.error.code == "reason_required", "\(silent)")
        #expect(try crm.head() == head)
        let rejected = try await manager.rejectContract(
            path: .init(contract: contract),
            body: .json(.init(comment: "half price is too much"))
        )
        #expect(try rejected.ok.body.json.changed, "\(rejected)")
        #expect(try crm.event(CRMContractRejected.self, after: head).comment == "half price is too much")
        try await crm.stop()
    }
}
