import CRMDomain
import Foundation
import RapportAPI
import Testing

/// Quotes, contracts and approvals over HTTP, through the generated client: a quote accepted
/// into a contract that waits for a manager and then finance, each seeing it in their inbox
/// only when it is theirs to decide; the contract's page and lists cut to the caller; how
/// long the approvals took.
@Suite("Quotes, contracts and approvals over HTTP")
struct DealQueryTests {
    @Test("a two-step approval through the inboxes; the quote and contract in lists and pages; approval timings")
    func approvalsThroughTheInbox() async throws {
        let crm = try await CommandServer.start("deal-queries")
        let (admin, rep, manager, finance, outsider, auditor) = (
            try crm.client(as: .admin), try crm.client(as: .rep), try crm.client(as: .manager),
            try crm.client(as: .finance), try crm.client(as: .outsider), try crm.client(as: .auditor)
        )
        let policy = try await admin.configureApprovalPolicy(
            body: .json(.init(discountThresholdPercent: 10, chain: [.manager, .finance]))
        )
        #expect(try policy.ok.body.json.changed)
        let product = try await finance.addProduct(
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
        let customer = try await rep.createCustomer(
            body: .json(.init(name: "Hangzhou Tea House", ownerId: crm.id(.rep)))
        ).created.body.json.customerId
        let quote = try await rep.createQuote(
            body: .json(
                .init(
                    customerId: customer,
                    lines: [.init(productId: product, quantity: 10, discountBasisPoints: 2_000)],
                    validUntil: try Date("2027-01-31T00:00:00Z", strategy: .iso8601)
                )
            )
        ).created.body.json.quoteId
        #expect(try await rep.acceptQuote(path: .init(quote: quote)).ok.body.json.changed)
        let contract = try await rep.draftContract(body: .json(.init(customerId: customer, quoteId: quote)))
            .created.body.json.contractId
        try await crm.settle()

        let waiting = try await manager.approvals().ok.body.json.items
        #expect(waiting.map(\.contractID) == [contract] && waiting.first?.kind == .contractStep)
        #expect((waiting.first?.step, waiting.first?.role, waiting.first?.amount.minorUnits) == (0, "manager", 80_000))
        #expect(try await finance.approvals().ok.body.json.items.isEmpty, "finance's step comes second")
        let repInbox = try await rep.approvals()
        #expect(try repInbox.forbidden.body.json.value1.error.code == "forbidden", "\(repInbox)")

        #expect(try await manager.approveContract(path: .init(contract: contract)).ok.body.json.changed)
        try await crm.settle()
        #expect(try await manager.approvals().ok.body.json.items.isEmpty)
        let financeInbox = try await finance.approvals().ok.body.json.items
        #expect(financeInbox.map(\.step) == [1] && financeInbox.first?.role == "finance")
        #expect(try await finance.approveContract(path: .init(contract: contract)).ok.body.json.changed)
        try await crm.settle()

        let detail = try await rep.contract(path: .init(contract: contract)).ok.body.json
        #expect(detail.status == .binding && detail.quoteID == quote && detail.lines.count == 1)
        #expect(detail.approvals.map(\.decidedBy) == [crm.id(.manager), crm.id(.finance)])
        #expect(detail.approvals.map(\.status) == [.approved, .approved])
        let hidden = try await outsider.contract(path: .init(contract: contract))
        #expect(try hidden.forbidden.body.json.value1.error.code == "outside_scope", "\(hidden)")
        #expect(try await outsider.listContracts().ok.body.json.contracts.isEmpty, "another team's rep sees none")
        let binding = try await manager.listContracts(query: .init(status: .binding)).ok.body.json.contracts
        #expect(binding.map(\.contractID) == [contract])

        let quotes = try await rep.listQuotes().ok.body.json.quotes
        #expect(quotes.map(\.quoteID) == [quote] && quotes.first?.status == .accepted)
        #expect(quotes.first?.contractID == contract && quotes.first?.total.minorUnits == 80_000)
        let page = try await rep.quote(path: .init(quote: quote)).ok.body.json
        #expect(page.lines.first?.discountBasisPoints == 2_000 && page.decidedAt != nil)
        let backwards = try await rep.listQuotes(query: .init(from: "2026-11-21", to: "2026-11-20"))
        #expect(try backwards.badRequest.body.json.error.code == "invalid_query_parameter", "\(backwards)")

        let timings = try await auditor.approvalTimings(query: .init(from: "2026-11-20", to: "2026-11-20")).ok.body
            .json.timings
        let steps = timings.filter { $0.kind == .contractStep }
        #expect(
            steps.map(\.step) == [0, 1] && steps.map(\.approved) == [1, 1] && steps.allSatisfy { $0.pendingNow == 0 }
        )
        try await crm.stop()
    }
}
