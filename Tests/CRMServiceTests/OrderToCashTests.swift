import CRMDomain
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import RapportTestSupport
import SwiftProtobuf
import Testing

@Suite("From lead to cash over a real log")
struct OrderToCashTests {
    func cny(_ yuan: Int64) -> CRMMoney { CRMMoney(minorUnits: yuan * 100, currency: "CNY") }

    @Test(
        "lead → customer → opportunity → quote → approval chain → contract → plan → payments → invoice → refund, every event checked"
    )
    func leadToCash() async throws {
        let world = try CRMWorld("order-to-cash")
        let (crm, clock) = (world.crm, world.clock)
        let team = try await world.team("East")
        let rep = try await world.user("rep", team: team)
        let manager = try await world.user("manager", role: .manager, team: team)
        let finance = try await world.user("finance", role: .finance)
        var policy = CRMApprovalPolicyConfigured()
        policy.discountThresholdPercent = 10
        policy.chain = [CRMRole.manager, .finance].map { role in CRMApprovalStep.with { $0.approverRole = role } }
        try await crm.configureApprovalPolicy(policy, actor: "admin", occurredAt: clock.now().addingTimeInterval(-60))
        try await crm.configureCommissionRate(
            .with { $0.rateBasisPoints = 250 },
            actor: "admin",
            occurredAt: clock.now().addingTimeInterval(-60)
        )
        let licence = try await crm.addProduct(
            NewProduct(sku: "crm-seat", name: "CRM seat", price: cny(1_200), cost: cny(300)),
            actor: "admin"
        )
        let setup = try await crm.addProduct(
            NewProduct(sku: "onboarding", name: "Onboarding", price: cny(5_000), cost: cny(2_000)),
            actor: "admin"
        )

        // Lead to customer and opportunity.
        var lead = NewLead(companyName: "苏州工业园区智造有限公司")
        (lead.contactName, lead.phone) = ("陈静", "0512-6666 8888")
        let leadID = try await crm.createLead(lead, actor: rep)
        try await crm.qualifyLead(leadID, actor: rep)
        let converted = try await crm.convertLead(
            leadID,
            opportunity: .init(name: "50 seats", amount: cny(60_000)),
            actor: rep
        )
        let customer = converted.customerID
        let start = try world.log.head().position

        // A quote at 15% off the seats passes the 10% threshold: manager, then finance.
        let quoteID = try await crm.createQuote(
            for: customer,
            opportunityID: converted.opportunityID,
            lines: [
                .init(productID: licence, quantity: 50, discountBasisPoints: 1_500),
                .init(productID: setup, quantity: 1),
            ],
            validUntil: clock.now().addingTimeInterval(14 * 86_400),
            actor: rep
        )
        try await crm.acceptQuote(quoteID, actor: rep)
        let contractID = try await crm.draftContract(for: customer, fromQuote: quoteID, actor: rep)
        let again = await #expect(throws: DomainError.self) {
            try await crm.draftContract(for: customer, fromQuote: quoteID, actor: rep)
        }
        #expect(again?.code == .quoteAlreadyContracted)
        let early = await #expect(throws: DomainError.self) {
            try await crm.scheduleInstalments(contractID, [.init(dueAt: clock.now(), amount: cny(1))], actor: rep)
        }
        #expect(early?.code == .contractNotBinding)
        let ownApproval = await #expect(throws: DomainError.self) {
            try await crm.approveContract(contractID, actor: rep)
        }
        #expect(ownApproval?.code == .notApprover)
        try await crm.approveContract(contractID, comment: "strategic account", actor: manager)
        let sameEyes = await #expect(throws: DomainError.self) {
            try await crm.approveContract(contractID, actor: manager)
        }
        #expect(sameEyes?.code == .notApprover)
        try await crm.approveContract(contractID, comment: "terms checked", actor: finance)

        // 50 × 1,200 × 85% = 51,000 plus 5,000 onboarding = 56,000 yuan, in two instalments.
        try await crm.scheduleInstalments(
            contractID,
            [
                .init(dueAt: clock.now().addingTimeInterval(60 * 86_400), amount: cny(26_000)),
                .init(dueAt: clock.now().addingTimeInterval(30 * 86_400), amount: cny(30_000)),
            ],
            actor: rep
        )
        let overPlan = await #expect(throws: DomainError.self) {
            try await crm.scheduleInstalments(contractID, [.init(dueAt: clock.now(), amount: cny(1))], actor: rep)
        }
        #expect(overPlan?.code == .planExceedsContract)
        clock.advance(days: 20)
        _ = try await crm.recordPayment(contractID, amount: cny(20_000), method: .bankTransfer, actor: finance)
        clock.advance(days: 20)
        _ = try await crm.recordPayment(contractID, amount: cny(40_000), method: .alipay, actor: finance)
        let invoiceID = try await crm.requestInvoice(contractID, amount: cny(56_000), title: "苏州工业园区智造有限公司", actor: rep)
        let overInvoice = await #expect(throws: DomainError.self) {
            _ = try await crm.requestInvoice(contractID, amount: cny(1), title: "x", actor: rep)
        }
        #expect(overInvoice?.code == .invoiceExceedsContract)
        try await crm.issueInvoice(invoiceID, of: contractID, number: "3200261130-00042", actor: finance)
        let refundID = try await crm.requestRefund(
            contractID,
            amount: cny(6_000),
            reason: "5 seats unused",
            returnGoods: false,
            actor: rep
        )
        let notApproved = await #expect(throws: DomainError.self) {
            try await crm.payRefund(refundID, of: contractID, method: .bankTransfer, actor: finance)
        }
        #expect(notApproved?.code == .refundNotReady)
        try await crm.approveRefund(refundID, of: contractID, actor: manager)
        try await crm.payRefund(refundID, of: contractID, method: .bankTransfer, actor: finance)
        try await crm.winOpportunity(converted.opportunityID, reason: "signed", amount: cny(56_000), actor: rep)

        // Every event the story appended, in order, refusals none.
        let events = try world.log.readAll(from: start + 1)
        #expect(
            events.map(\.type) == [
                "crm.v1.QuoteCreated", "crm.v1.QuoteAccepted", "crm.v1.ContractDrafted", "crm.v1.ContractApproved",
                "crm.v1.ContractApproved",
                "crm.v1.InstalmentsScheduled", "crm.v1.PaymentReceived", "crm.v1.CommissionEarned",
                "crm.v1.PaymentReceived", "crm.v1.CommissionEarned",
                "crm.v1.InvoiceRequested", "crm.v1.InvoiceIssued", "crm.v1.RefundRequested", "crm.v1.RefundApproved",
                "crm.v1.RefundPaid",
                "crm.v1.OpportunityWon",
            ]
        )
        func decoded<M: SwiftProtobuf.Message>(_ index: Int, as _: M.Type) throws -> M {
            try M(serializedBytes: events[index].payload)
        }
        let quote = try decoded(0, as: CRMQuoteCreated.self)
        #expect(quote.lines.map(\.lineTotal) == [cny(51_000), cny(5_000)])
        #expect((quote.listTotal, quote.total, quote.ownerID) == (cny(65_000), cny(56_000), rep))
        let drafted = try decoded(2, as: CRMContractDrafted.self)
        #expect(
            (drafted.amount, drafted.quoteID, drafted.opportunityID, drafted.ownerID) == (
                cny(56_000), quoteID, converted.opportunityID, rep
            )
        )
        #expect(drafted.discountBasisPoints == 1_384, "9,000 off 65,000 is 13.84%")
        #expect(drafted.approvalChain == [.manager, .finance])
        let approvals = try [decoded(3, as: CRMContractApproved.self), decoded(4, as: CRMContractApproved.self)]
        #expect(approvals.map(\.approverID) == [manager, finance])
        #expect(approvals.map(\.binding) == [false, true])
        let plan = try decoded(5, as: CRMInstalmentsScheduled.self)
        #expect(plan.instalments.map(\.number) == [1, 2])

        // The first payment goes to instalment 2, due first; the second fills 2, then 1, and 4,000 is credit.
        let first = try decoded(6, as: CRMPaymentReceived.self)
        #expect(first.allocations.map(\.instalmentNumber) == [2])
        #expect(first.allocations.map(\.amount) == [cny(20_000)])
        #expect((first.clerkID, first.customerID, first.credit) == (finance, customer, cny(0)))
        let second = try decoded(8, as: CRMPaymentReceived.self)
        #expect(second.allocations.map(\.instalmentNumber) == [2, 1])
        #expect(second.allocations.map(\.amount) == [cny(10_000), cny(26_000)])
        #expect(second.credit == cny(4_000))
        // 2.5% of what was collected: 500 and 900 yuan to the rep.
        let commissions = try [decoded(7, as: CRMCommissionEarned.self), decoded(9, as: CRMCommissionEarned.self)]
        #expect(commissions.map(\.commission) == [cny(500), cny(900)])
        #expect(commissions.map(\.repID) == [rep, rep])
        #expect(commissions.map(\.collected) == [cny(20_000), cny(36_000)])

        #expect(try decoded(11, as: CRMInvoiceIssued.self).invoiceNumber == "3200261130-00042")
        #expect(try decoded(14, as: CRMRefundPaid.self).amount == cny(6_000))
        #expect(events[14].actor == finance)
        #expect(
            events.allSatisfy {
                $0.stream.category == "quote" || $0.stream.category == "contract" || $0.stream.category == "opportunity"
            }
        )
        await world.close()
    }

    @Test("products have unique SKUs; a quote needs an owned customer and known products, and expires")
    func productsAndQuotes() async throws {
        let world = try CRMWorld("order-to-cash")
        let crm = world.crm
        let product = try await crm.addProduct(
            NewProduct(sku: "SEAT", name: "Seat", price: cny(100), cost: cny(40)),
            actor: "admin"
        )
        let duplicate = await #expect(throws: DomainError.self) {
            _ = try await crm.addProduct(
                NewProduct(sku: " seat ", name: "Seat again", price: cny(100), cost: cny(40)),
                actor: "admin"
            )
        }
        #expect(duplicate?.code == .duplicateProduct)
        #expect(duplicate?.facts["existing"] == "product-\(product)")
        let rep = try await world.user("rep")
        let customer = try await world.poolCustomer("报价客户有限公司")
        let validUntil = world.clock.now().addingTimeInterval(86_400)
        let inPool = await #expect(throws: DomainError.self) {
            _ = try await crm.createQuote(
                for: customer,
                lines: [.init(productID: product, quantity: 1)],
                validUntil: validUntil,
                actor: rep
            )
        }
        #expect(inPool?.code == .customerInPool)
        try await crm.claimCustomer(customer, actor: rep)
        let unknown = await #expect(throws: DomainError.self) {
            _ = try await crm.createQuote(
                for: customer,
                lines: [.init(productID: "nothing", quantity: 1)],
                validUntil: validUntil,
                actor: rep
            )
        }
        #expect(unknown?.code == .productNotFound)
        let quote = try await crm.createQuote(
            for: customer,
            lines: [.init(productID: product, quantity: 2)],
            validUntil: validUntil,
            actor: rep
        )
        try await crm.changeProductPrice(product, price: cny(120), cost: cny(40), actor: "admin")
        world.clock.advance(days: 2)
        let expired = await #expect(throws: DomainError.self) { try await crm.acceptQuote(quote, actor: rep) }
        #expect(expired?.code == .quoteExpired)
        // A contract without a quote prices at today's list price, and 0% needs no approval.
        let contract = try await crm.draftContract(
            for: customer,
            lines: [.init(productID: product, quantity: 2)],
            actor: rep
        )
        let drafted = try CRMContractDrafted(serializedBytes: try world.events(of: "contract-\(contract)")[0].payload)
        #expect(drafted.amount == cny(240))
        #expect(drafted.approvalChain.isEmpty)
        await world.close()
    }
}
