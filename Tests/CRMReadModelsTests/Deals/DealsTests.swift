import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import CRMWorkload
import EventStore
import Foundation
import Projections
import RapportTestSupport
import SwiftProtobuf
import Testing

/// The deals read model over one hand-built history, every figure worked out by hand.
///
/// Staff: East team — alice (rep), erin (manager); West team — bob (rep), will (manager);
/// fay (finance), ada (admin). Approval policy: an overall discount above 10% needs the
/// manager, then finance. Products: SEAT at 1,200 yuan, SETUP at 5,000 yuan. Customers: acme
/// (alice's), beta (bob's).
///
/// Day `d` is `d` days after the world's clock start (2026-03-02 10:00 China time):
///
/// | day      | what                                                                           |
/// | -------- | ------------------------------------------------------------------------------ |
/// | 0 − 3h   | q1: alice quotes acme 10 SEAT at 15% off + 1 SETUP, valid to day 14            |
/// | 0 − 2h   | q2: bob quotes beta 5 SEAT, valid to day 3 (never decided: expires)            |
/// | 1 − 2h   | q3: bob quotes beta 20 SEAT at 20% off, valid to day 20                        |
/// | 1 − 1h   | q4: alice quotes acme 1 SETUP                                                  |
/// | 1        | q1 and q3 accepted                                                             |
/// | 2        | q4 rejected ("price too high"); k1 drafted from q1 → manager step pending      |
/// | 3        | k2 drafted from q3 → manager step pending                                      |
/// | 5        | erin approves k1's manager step (3 days) → finance step pending                |
/// | 6        | fay approves k1's finance step (1 day): binding; two instalments scheduled     |
/// | 7        | will rejects k2's manager step (4 days)                                        |
/// | 10       | fay records 10,000 yuan: 8,000 to instalment 1, 2,000 to instalment 2          |
/// | 11       | invoice for 15,200 yuan requested and issued; 10 SEAT shipped                  |
/// | 12       | alice asks for a 1,000 yuan refund with the goods back                         |
/// | 14       | erin approves the refund (2 days)                                              |
/// | 15, 16   | the goods come back; the refund is paid                                        |
/// | 16       | k3 drafted directly: 5 SEAT at 12% off → manager step pending                  |
///
/// q1: 10 × 1,200 × 85% = 10,200 + 5,000 = 15,200 yuan of a list 17,000: 1,800 / 17,000 =
/// 1,058 basis points off (rounded down). q3: 24,000 list, 19,200 total. k3: 6,000 list,
/// 5,280 total.
@Suite("Deals read model: quotes, contracts, approvals inbox and timing")
struct DealsTests {
    static func cny(_ yuan: Int64) -> CRMMoney { FinanceFixtures.cny(yuan) }

    struct Staff {
        var alice = "", erin = "", bob = "", will = "", fay = "", ada = ""

        var erinApprover: DealApprover { DealApprover(userID: erin, role: "manager", manages: [alice, erin]) }
        var willApprover: DealApprover { DealApprover(userID: will, role: "manager", manages: [bob, will]) }
        var fayApprover: DealApprover { DealApprover(userID: fay, role: "finance") }
        var aliceApprover: DealApprover { DealApprover(userID: alice, role: "sales_rep") }
        var adaApprover: DealApprover { DealApprover(userID: ada, role: "admin") }
    }

    struct History {
        var world: CRMWorld
        var staff = Staff()
        var start = Date()
        var acme = "", beta = "", seat = "", setup = ""
        var q1 = "", q2 = "", q3 = "", q4 = ""
        var k1 = "", k2 = "", k3 = ""
        var payment = "", invoice = "", refund = "", shipment = ""

        /// Day `days` of the history (see the table above).
        func day(_ days: Double) -> Date { start.addingTimeInterval(days * 86_400) }
    }

    /// The moments the inbox test looks at while the history is written.
    enum Stage {
        case k1Drafted, k1FirstStepApproved, refundRequested
    }

    /// Writes the history; `checkpoint` is called at each ``Stage``.
    static func history(
        _ name: String,
        checkpoint: (Stage, History) async throws -> Void = { _, _ in }
    ) async throws -> History {
        let world = try CRMWorld(name)
        let (crm, clock) = (world.crm, world.clock)
        var h = History(world: world, start: clock.now())
        let east = try await world.team("East")
        let west = try await world.team("West")
        h.staff.alice = try await world.user("alice", team: east)
        h.staff.erin = try await world.user("erin", role: .manager, team: east)
        h.staff.bob = try await world.user("bob", team: west)
        h.staff.will = try await world.user("will", role: .manager, team: west)
        h.staff.fay = try await world.user("fay", role: .finance)
        h.staff.ada = try await world.user("ada", role: .admin)
        let s = h.staff
        var policy = CRMApprovalPolicyConfigured()
        policy.discountThresholdPercent = 10
        policy.chain = [CRMRole.manager, .finance].map { role in CRMApprovalStep.with { $0.approverRole = role } }
        try await crm.configureApprovalPolicy(policy, actor: "admin", occurredAt: h.day(-1))
        h.seat = try await crm.addProduct(
            NewProduct(sku: "SEAT", name: "CRM seat", price: cny(1_200), cost: cny(300)),
            actor: "admin",
            occurredAt: h.day(-1)
        )
        h.setup = try await crm.addProduct(
            NewProduct(sku: "SETUP", name: "Onboarding", price: cny(5_000), cost: cny(2_000)),
            actor: "admin",
            occurredAt: h.day(-1)
        )
        var acme = NewCustomer(name: "甲方科技有限公司")
        acme.ownerID = s.alice
        h.acme = try await crm.createCustomer(acme, actor: "admin", occurredAt: h.day(-1))
        var beta = NewCustomer(name: "乙方贸易有限公司")
        beta.ownerID = s.bob
        h.beta = try await crm.createCustomer(beta, actor: "admin", occurredAt: h.day(-1))
        let supplier = try await crm.addSupplier(named: "Supplier", actor: "admin", occurredAt: h.day(-1))
        let order = try await crm.orderFromSupplier(
            supplier,
            [.init(productID: h.seat, quantity: 20)],
            actor: "buyer",
            occurredAt: h.day(-1)
        )
        try await crm.receiveGoods(
            order,
            [.init(productID: h.seat, quantity: 20)],
            actor: "buyer",
            occurredAt: h.day(-1)
        )

        // Day 0 and 1: four quotes.
        h.q1 = try await crm.createQuote(
            for: h.acme,
            lines: [
                .init(productID: h.seat, quantity: 10, discountBasisPoints: 1_500),
                .init(productID: h.setup, quantity: 1),
            ],
            validUntil: h.day(14),
            actor: s.alice,
            occurredAt: h.day(-3.0 / 24)
        )
        h.q2 = try await crm.createQuote(
            for: h.beta,
            lines: [.init(productID: h.seat, quantity: 5)],
            validUntil: h.day(3),
            actor: s.bob,
            occurredAt: h.day(-2.0 / 24)
        )
        clock.advance(days: 1)
        h.q3 = try await crm.createQuote(
            for: h.beta,
            lines: [.init(productID: h.seat, quantity: 20, discountBasisPoints: 2_000)],
            validUntil: h.day(20),
            actor: s.bob,
            occurredAt: h.day(1 - 2.0 / 24)
        )
        h.q4 = try await crm.createQuote(
            for: h.acme,
            lines: [.init(productID: h.setup, quantity: 1)],
            validUntil: h.day(10),
            actor: s.alice,
            occurredAt: h.day(1 - 1.0 / 24)
        )
        try await crm.acceptQuote(h.q1, actor: s.alice)
        try await crm.acceptQuote(h.q3, actor: s.bob)

        // Day 2 and 3: q4 rejected; k1 and k2 drafted.
        clock.advance(days: 1)
        try await crm.rejectQuote(h.q4, reason: "price too high", actor: s.alice)
        h.k1 = try await crm.draftContract(for: h.acme, fromQuote: h.q1, actor: s.alice)
        try await checkpoint(.k1Drafted, h)
        clock.advance(days: 1)
        h.k2 = try await crm.draftContract(for: h.beta, fromQuote: h.q3, actor: s.bob)

        // Day 5 to 7: k1 approved in two steps, k2 rejected.
        clock.advance(days: 2)
        try await crm.approveContract(h.k1, comment: "strategic account", actor: s.erin)
        try await checkpoint(.k1FirstStepApproved, h)
        clock.advance(days: 1)
        try await crm.approveContract(h.k1, comment: "terms checked", actor: s.fay)
        try await crm.scheduleInstalments(
            h.k1,
            [.init(dueAt: h.day(30), amount: cny(8_000)), .init(dueAt: h.day(60), amount: cny(7_200))],
            actor: s.alice
        )
        clock.advance(days: 1)
        try await crm.rejectContract(h.k2, comment: "discount too deep", actor: s.will)

        // Day 10 to 16: money, invoice, goods, refund; k3 drafted.
        clock.advance(days: 3)
        h.payment = try await crm.recordPayment(h.k1, amount: cny(10_000), method: .bankTransfer, actor: s.fay)
        clock.advance(days: 1)
        h.invoice = try await crm.requestInvoice(h.k1, amount: cny(15_200), title: "甲方科技有限公司", actor: s.alice)
        try await crm.issueInvoice(h.invoice, of: h.k1, number: "INV-2026-001", actor: s.fay)
        h.shipment = try await crm.shipGoods(of: h.k1, [.init(productID: h.seat, quantity: 10)], actor: "warehouse")
        clock.advance(days: 1)
        h.refund = try await crm.requestRefund(
            h.k1,
            amount: cny(1_000),
            reason: "one seat returned",
            returnGoods: true,
            actor: s.alice
        )
        try await checkpoint(.refundRequested, h)
        clock.advance(days: 2)
        try await crm.approveRefund(h.refund, of: h.k1, actor: s.erin)
        clock.advance(days: 1)
        try await crm.receiveReturnedGoods(h.refund, of: h.k1, actor: "warehouse")
        clock.advance(days: 1)
        try await crm.payRefund(h.refund, of: h.k1, method: .bankTransfer, actor: s.fay)
        h.k3 = try await crm.draftContract(
            for: h.acme,
            lines: [.init(productID: h.seat, quantity: 5, discountBasisPoints: 1_200)],
            actor: s.alice
        )
        return h
    }

    /// The deals read model built from the log as it stands.
    static func deals(_ world: CRMWorld) async throws -> DealQueries {
        DealQueries(store: try await world.readModels([DealsProjector.self]))
    }

    static func ids(_ page: ApprovalInboxPage) -> [String] {
        page.items.map { item in item.refundID ?? "\(item.contractID)#\(item.step ?? -1)" }
    }

    // MARK: - Inbox

    @Test(
        "The inbox follows the chain and the refund: each item to its role, the owner's manager, admin; never the owner"
    )
    func inbox() async throws {
        var seen: [Stage] = []
        let h = try await Self.history("deals-inbox") { stage, h in
            seen.append(stage)
            let deals = try await Self.deals(h.world)
            let s = h.staff
            let now = h.world.clock.now()
            func inbox(_ approver: DealApprover) throws -> [String] {
                Self.ids(try deals.approvals(for: approver, now: now))
            }
            switch stage {
            case .k1Drafted:
                // Day 2: k1's manager step, for alice's manager and an admin only.
                #expect(try inbox(s.erinApprover) == ["\(h.k1)#0"])
                #expect(try inbox(s.adaApprover) == ["\(h.k1)#0"])
                #expect(try inbox(s.willApprover) == [], "another team's manager")
                #expect(try inbox(s.fayApprover) == [], "finance does not decide a manager step")
                #expect(try inbox(s.aliceApprover) == [], "never one's own contract")
                let item = try #require(try deals.approvals(for: s.erinApprover, now: now).items.first)
                #expect(item.kind == .contractStep && item.role == "manager" && item.refundID == nil)
                #expect((item.customerID, item.ownerID) == (h.acme, s.alice))
                #expect(item.amount == CustomerMoney(minorUnits: 1_520_000, currency: "CNY"))
                #expect(item.waitingSince == h.day(2) && item.ageSeconds == 0)
                // An admin who is the owner's manager by role is still refused their own contract.
                let aliceAsAdmin = DealApprover(userID: s.alice, role: "admin")
                #expect(try inbox(aliceAsAdmin) == [])
            case .k1FirstStepApproved:
                // Day 5: k1 waits for finance; k2 (day 3) for bob's manager.
                #expect(try inbox(s.fayApprover) == ["\(h.k1)#1"])
                #expect(try inbox(s.erinApprover) == [], "finance's step, and erin approved the first")
                #expect(try inbox(s.willApprover) == ["\(h.k2)#0"])
                #expect(try inbox(s.adaApprover) == ["\(h.k2)#0", "\(h.k1)#1"], "oldest first")
                let page = try deals.approvals(for: s.adaApprover, now: now)
                #expect(page.items.map(\.ageSeconds) == [2 * 86_400, 0])
                #expect(page.items.map(\.waitingSince) == [h.day(3), h.day(5)])
                // An admin who approved the first step is no second pair of eyes.
                let erinPromoted = DealApprover(userID: s.erin, role: "admin")
                #expect(try inbox(erinPromoted) == ["\(h.k2)#0"])
                // Paged one at a time.
                let first = try deals.approvals(for: s.adaApprover, now: now, limit: 1)
                #expect(Self.ids(first) == ["\(h.k2)#0"] && first.next != nil)
                let second = try deals.approvals(for: s.adaApprover, now: now, after: first.next, limit: 1)
                #expect(Self.ids(second) == ["\(h.k1)#1"] && second.next == nil)
            case .refundRequested:
                // Day 12: the refund, for finance, the owner's manager and an admin.
                #expect(try inbox(s.fayApprover) == [h.refund])
                #expect(try inbox(s.erinApprover) == [h.refund])
                #expect(try inbox(s.adaApprover) == [h.refund])
                #expect(try inbox(s.willApprover) == [], "another team's manager")
                #expect(try inbox(s.aliceApprover) == [], "the owner")
                #expect(try inbox(DealApprover(userID: s.alice, role: "finance")) == [], "the owner, even in finance")
                let item = try #require(try deals.approvals(for: s.fayApprover, now: now).items.first)
                #expect(item.kind == .refund && item.contractID == h.k1 && item.step == nil && item.role == nil)
                #expect(item.amount == CustomerMoney(minorUnits: 100_000, currency: "CNY"))
                #expect(item.reason == "one seat returned" && item.waitingSince == h.day(12))
            }
        }
        #expect(seen == [.k1Drafted, .k1FirstStepApproved, .refundRequested])
        // Day 16: only k3's manager step is left, two days old on day 18.
        let deals = try await Self.deals(h.world)
        let page = try deals.approvals(for: h.staff.erinApprover, now: h.day(18))
        #expect(Self.ids(page) == ["\(h.k3)#0"])
        #expect(page.items.map(\.ageSeconds) == [2 * 86_400])
        #expect(try deals.approvals(for: h.staff.fayApprover, now: h.day(18)).items.isEmpty)
        await h.world.close()
    }

    // MARK: - Details

    @Test("Quote detail: lines, totals, discount, validity, status as of now, the contract made from it")
    func quoteDetail() async throws {
        let h = try await Self.history("deals-quote")
        let deals = try await Self.deals(h.world)
        let q1 = try deals.quote(id: h.q1, now: h.day(18))
        #expect(q1.status == .accepted && q1.decidedAt == h.day(1) && q1.contractID == h.k1)
        #expect((q1.customerID, q1.ownerID, q1.opportunityID) == (h.acme, h.staff.alice, ""))
        #expect(q1.createdAt == h.day(-3.0 / 24) && q1.validUntil == h.day(14))
        #expect(q1.listTotal == CustomerMoney(minorUnits: 1_700_000, currency: "CNY"))
        #expect(q1.total == CustomerMoney(minorUnits: 1_520_000, currency: "CNY"))
        #expect(q1.discountBasisPoints == 1_058)
        #expect(
            q1.lines.map { [$0.productID, $0.productName, "\($0.quantity)", "\($0.unitPrice.minorUnits)"] } == [
                [h.seat, "CRM seat", "10", "120000"], [h.setup, "Onboarding", "1", "500000"],
            ]
        )
        #expect(q1.lines.map(\.discountBasisPoints) == [1_500, 0])
        #expect(q1.lines.map(\.lineTotal.minorUnits) == [1_020_000, 500_000])

        // q2 is open until day 3 (its last valid moment included), expired after.
        #expect(try deals.quote(id: h.q2, now: h.day(3)).status == .open)
        let q2 = try deals.quote(id: h.q2, now: h.day(3.5))
        #expect(q2.status == .expired && q2.decidedAt == nil && q2.contractID == nil)
        let q4 = try deals.quote(id: h.q4, now: h.day(18))
        #expect(q4.status == .rejected && q4.rejectionReason == "price too high" && q4.decidedAt == h.day(2))

        let missing = #expect(throws: ReadModelQueryError.self) { try deals.quote(id: "no-such-quote", now: h.day(1)) }
        #expect(missing?.code == .notFound)
        let malformed = #expect(throws: ReadModelQueryError.self) { try deals.quote(id: "a|b", now: h.day(1)) }
        #expect(malformed?.code == .invalidParameter && malformed?.parameter == "id")
        await h.world.close()
    }

    @Test(
        "Contract detail: approvals with who and when, a payment split over two instalments, invoice, refund, shipment"
    )
    func contractDetail() async throws {
        let h = try await Self.history("deals-contract")
        let s = h.staff
        let deals = try await Self.deals(h.world)
        let k1 = try deals.contract(id: h.k1)
        #expect(k1.status == .binding && k1.boundAt == h.day(6) && k1.rejectedAt == nil)
        #expect((k1.customerID, k1.ownerID, k1.quoteID) == (h.acme, s.alice, h.q1))
        #expect(k1.draftedAt == h.day(2) && k1.lines.count == 2 && k1.discountBasisPoints == 1_058)
        #expect(k1.amount.minorUnits == 1_520_000 && k1.listTotal.minorUnits == 1_700_000)

        #expect(k1.approvals.count == 2)
        let manager = k1.approvals[0]
        #expect((manager.step, manager.role, manager.status) == (0, "manager", .approved))
        #expect((manager.decidedBy, manager.comment) == (s.erin, "strategic account"))
        #expect((manager.pendingSince, manager.decidedAt) == (h.day(2), h.day(5)))
        let finance = k1.approvals[1]
        #expect((finance.step, finance.role, finance.status) == (1, "finance", .approved))
        #expect((finance.decidedBy, finance.comment) == (s.fay, "terms checked"))
        #expect((finance.pendingSince, finance.decidedAt) == (h.day(5), h.day(6)))

        // 10,000 yuan on day 10: 8,000 fills instalment 1 (due first), 2,000 goes to instalment 2.
        #expect(k1.instalments.map(\.number) == [1, 2])
        #expect(k1.instalments.map(\.dueAt) == [h.day(30), h.day(60)])
        #expect(k1.instalments.map(\.amount.minorUnits) == [800_000, 720_000])
        #expect(k1.instalments.map(\.paid.minorUnits) == [800_000, 200_000])
        #expect(k1.instalments.map(\.outstanding.minorUnits) == [0, 520_000])
        #expect(k1.instalments.allSatisfy { $0.scheduledAt == h.day(6) })
        let payment = try #require(k1.payments.first)
        #expect(k1.payments.count == 1)
        #expect((payment.paymentID, payment.method, payment.clerkID) == (h.payment, "bank_transfer", s.fay))
        #expect(payment.receivedAt == h.day(10) && payment.amount.minorUnits == 1_000_000)
        #expect(payment.allocations.map(\.instalment) == [1, 2])
        #expect(payment.allocations.map(\.amount.minorUnits) == [800_000, 200_000])
        #expect(payment.credit.minorUnits == 0)

        let invoice = try #require(k1.invoices.first)
        #expect((invoice.invoiceID, invoice.number, invoice.title) == (h.invoice, "INV-2026-001", "甲方科技有限公司"))
        #expect((invoice.requestedAt, invoice.issuedAt) == (h.day(11), h.day(11)))
        #expect(invoice.amount.minorUnits == 1_520_000)

        let refund = try #require(k1.refunds.first)
        #expect((refund.refundID, refund.status, refund.returnGoods) == (h.refund, .paid, true))
        #expect((refund.requestedAt, refund.decidedBy, refund.decidedAt) == (h.day(12), s.erin, h.day(14)))
        #expect((refund.goodsReturnedAt, refund.paidAt, refund.method) == (h.day(15), h.day(16), "bank_transfer"))
        #expect(refund.paidAmount?.minorUnits == 100_000 && refund.rejectionReason == nil)

        let shipment = try #require(k1.shipments.first)
        #expect(shipment.shipmentID == h.shipment && shipment.dispatchedAt == h.day(11))
        #expect(shipment.lines.map { "\($0.productID) \($0.productName) \($0.quantity)" } == ["\(h.seat) CRM seat 10"])

        let t = k1.totals
        #expect(t.currency == "CNY" && (t.scheduled, t.collected, t.outstanding) == (1_520_000, 1_000_000, 520_000))
        #expect((t.credit, t.invoiced, t.refunded) == (0, 1_520_000, 100_000))

        // k2: rejected at the manager step; the finance step never comes.
        let k2 = try deals.contract(id: h.k2)
        #expect(k2.status == .rejected && k2.rejectedAt == h.day(7) && k2.boundAt == nil)
        #expect(k2.approvals.map(\.status) == [.rejected, .closed])
        #expect((k2.approvals[0].decidedBy, k2.approvals[0].comment) == (s.will, "discount too deep"))
        #expect(k2.approvals[1].decidedBy == nil && k2.approvals[1].pendingSince == nil)
        #expect(k2.amount.minorUnits == 1_920_000 && k2.discountBasisPoints == 2_000)
        // k3: waiting for its manager, finance after.
        let k3 = try deals.contract(id: h.k3)
        #expect(k3.status == .pendingApproval && k3.quoteID == "" && k3.amount.minorUnits == 528_000)
        #expect(k3.approvals.map(\.status) == [.pending, .waiting])

        let missing = #expect(throws: ReadModelQueryError.self) { try deals.contract(id: "no-such-contract") }
        #expect(missing?.code == .notFound)
        await h.world.close()
    }

    // MARK: - Lists

    @Test("Lists by customer, owner(s), status and period, newest first, paged by the last id")
    func lists() async throws {
        let h = try await Self.history("deals-lists")
        let s = h.staff
        let deals = try await Self.deals(h.world)
        let now = h.day(18)
        func quotes(
            customer: String? = nil,
            owners: [String]? = nil,
            status: QuoteStatus? = nil,
            from: Date? = nil,
            to: Date? = nil,
            at: Date? = nil
        ) throws -> [String] {
            try deals.quotes(customer: customer, owners: owners, status: status, from: from, to: to, now: at ?? now)
                .quotes.map(\.quoteID)
        }
        #expect(try quotes() == [h.q4, h.q3, h.q2, h.q1])
        #expect(try quotes(owners: [s.alice]) == [h.q4, h.q1])
        #expect(try quotes(owners: [s.bob, s.alice]) == [h.q4, h.q3, h.q2, h.q1], "a team: several owners merged")
        #expect(try quotes(owners: []) == [])
        #expect(try quotes(customer: h.beta) == [h.q3, h.q2])
        #expect(try quotes(customer: h.beta, owners: [s.alice]) == [])
        #expect(try quotes(status: .accepted) == [h.q3, h.q1])
        #expect(try quotes(status: .rejected) == [h.q4])
        #expect(try quotes(status: .expired) == [h.q2])
        #expect(try quotes(status: .open) == [])
        #expect(try quotes(status: .open, at: h.day(2)) == [h.q2], "not yet expired on day 2")
        #expect(try quotes(owners: [s.bob], status: .expired) == [h.q2])
        #expect(try quotes(from: h.day(0)) == [h.q4, h.q3])
        #expect(try quotes(to: h.day(0)) == [h.q2, h.q1])
        #expect(try quotes(from: h.day(-2.0 / 24), to: h.day(1 - 2.0 / 24)) == [h.q3, h.q2], "both ends included")
        let summary = try #require(try deals.quotes(customer: h.acme, status: .accepted, now: now).quotes.first)
        #expect(summary.total.minorUnits == 1_520_000 && summary.contractID == h.k1 && summary.ownerID == s.alice)

        // Paged one by one, with and without a filter.
        var pages: [[String]] = []
        var after: String?
        repeat {
            let page = try deals.quotes(now: now, after: after, limit: 1)
            pages.append(page.quotes.map(\.quoteID))
            after = page.next
        } while after != nil
        #expect(pages == [[h.q4], [h.q3], [h.q2], [h.q1]])
        let firstTwo = try deals.quotes(owners: [s.alice, s.bob], now: now, limit: 2)
        #expect(firstTwo.quotes.map(\.quoteID) == [h.q4, h.q3] && firstTwo.next == h.q3)
        let rest = try deals.quotes(owners: [s.alice, s.bob], now: now, after: h.q3, limit: 2)
        #expect(rest.quotes.map(\.quoteID) == [h.q2, h.q1] && rest.next == nil)
        let periodPage = try deals.quotes(to: h.day(1), now: now, after: h.q3, limit: 5)
        #expect(periodPage.quotes.map(\.quoteID) == [h.q2, h.q1], "the cursor and the period together")

        func contracts(
            customer: String? = nil,
            owners: [String]? = nil,
            status: ContractApprovalStatus? = nil,
            from: Date? = nil,
            to: Date? = nil
        ) throws -> [String] {
            try deals.contracts(customer: customer, owners: owners, status: status, from: from, to: to)
                .contracts.map(\.contractID)
        }
        #expect(try contracts() == [h.k3, h.k2, h.k1])
        #expect(try contracts(owners: [s.alice]) == [h.k3, h.k1])
        #expect(try contracts(customer: h.acme, status: .binding) == [h.k1])
        #expect(try contracts(status: .rejected) == [h.k2])
        #expect(try contracts(status: .pendingApproval) == [h.k3])
        #expect(try contracts(owners: [s.bob], status: .binding) == [])
        #expect(try contracts(from: h.day(2.5), to: h.day(10)) == [h.k2])
        #expect(try contracts(from: h.day(2), to: h.day(3)) == [h.k2, h.k1])
        let page = try deals.contracts(owners: [s.alice, s.bob], limit: 2)
        #expect(page.contracts.map(\.contractID) == [h.k3, h.k2] && page.next == h.k2)
        let last = try deals.contracts(owners: [s.alice, s.bob], after: h.k2, limit: 2)
        #expect(last.contracts.map(\.contractID) == [h.k1] && last.next == nil)
        let k3 = try #require(try deals.contracts(status: .pendingApproval).contracts.first)
        #expect((k3.pendingStep, k3.pendingRole, k3.draftedAt) == (0, "manager", h.day(16)))
        await h.world.close()
    }

    @Test("Malformed filters are refused naming the parameter")
    func refusals() async throws {
        let world = try CRMWorld("deals-refusals")
        let deals = try await Self.deals(world)
        let now = world.clock.now()
        func parameter(_ body: () throws -> Void) -> String? {
            do {
                try body()
                return nil
            } catch let error as ReadModelQueryError {
                return error.code == .invalidParameter ? error.parameter : "code \(error.code)"
            } catch {
                return "\(error)"
            }
        }
        #expect(parameter { _ = try deals.quotes(now: now, limit: 0) } == "limit")
        #expect(parameter { _ = try deals.contracts(limit: 501) } == "limit")
        #expect(parameter { _ = try deals.contracts(limit: 500) } == nil)
        #expect(parameter { _ = try deals.quotes(customer: "", now: now) } == "customer")
        #expect(parameter { _ = try deals.contracts(owners: ["ok", "not ok"]) } == "owner")
        #expect(parameter { _ = try deals.contracts(from: now, to: now.addingTimeInterval(-1)) } == "to")
        #expect(parameter { _ = try deals.contracts(after: "unknown") } == "after")
        #expect(parameter { _ = try deals.quotes(now: now, after: "x|y") } == "after")
        #expect(parameter { _ = try deals.approvals(for: DealApprover(userID: "u", role: "boss"), now: now) } == "role")
        #expect(
            parameter { _ = try deals.approvals(for: DealApprover(userID: "", role: "admin"), now: now) } == "approver"
        )
        #expect(
            parameter { _ = try deals.approvals(for: DealApprover(userID: "u", role: "admin"), now: now, limit: 0) }
                == "limit"
        )
        #expect(parameter { _ = try deals.approvalTimings(from: "2026-3-1", to: "2026-03-31", now: now) } == "from")
        #expect(parameter { _ = try deals.approvalTimings(from: "2026-04-01", to: "2026-03-31", now: now) } == "to")
        // An empty read model answers empty, not refused.
        #expect(try deals.contracts().contracts.isEmpty)
        #expect(try deals.approvalTimings(from: "2026-03-01", to: "2026-03-31", now: now).timings.isEmpty)
        await world.close()
    }

    // MARK: - Timing

    @Test("Approval timing per step and for refunds: counts, mean, median, longest; pending now and the oldest's age")
    func timing() async throws {
        let h = try await Self.history("deals-timing")
        let deals = try await Self.deals(h.world)
        let day = 86_400 as Int64
        // March: the manager step decided twice (k1 approved after 3 days, k2 rejected after 4),
        // finance once (1 day), the refund once (2 days); k3's manager step pending since day 16.
        let march = try deals.approvalTimings(from: "2026-03-01", to: "2026-03-31", now: h.day(18))
        #expect(march.from == "2026-03-01" && march.to == "2026-03-31" && march.now == h.day(18))
        func figures(_ t: ApprovalTiming) -> [Int64?] {
            [Int64(t.decided), Int64(t.approved), Int64(t.rejected), t.meanSeconds, t.medianSeconds, t.maxSeconds]
                + [Int64(t.pendingNow), t.oldestPendingSeconds]
        }
        #expect(march.timings.map(\.kind) == [.contractStep, .contractStep, .refund])
        #expect(march.timings.map(\.step) == [0, 1, nil] && march.timings.map(\.role) == ["manager", "finance", nil])
        #expect(figures(march.timings[0]) == [2, 1, 1, 7 * day / 2, 7 * day / 2, 4 * day, 1, 2 * day])
        #expect(figures(march.timings[1]) == [1, 1, 0, day, day, day, 0, nil])
        #expect(figures(march.timings[2]) == [1, 1, 0, 2 * day, 2 * day, 2 * day, 0, nil])
        // From day 6 (2026-03-08) on: k1's manager approval (day 5, 03-07) falls outside.
        let later = try deals.approvalTimings(from: "2026-03-08", to: "2026-03-16", now: h.day(18))
        let manager = try #require(later.timings.first)
        #expect((manager.decided, manager.approved, manager.rejected) == (1, 0, 1))
        #expect((manager.meanSeconds, manager.medianSeconds, manager.maxSeconds) == (4 * day, 4 * day, 4 * day))
        #expect(later.timings.map(\.decided) == [1, 1, 1])
        // Before anything was decided only the pending item shows.
        let before = try deals.approvalTimings(from: "2026-02-01", to: "2026-02-28", now: h.day(20))
        #expect(before.timings.count == 1)
        #expect((before.timings[0].decided, before.timings[0].meanSeconds) == (0, nil))
        #expect((before.timings[0].pendingNow, before.timings[0].oldestPendingSeconds) == (1, 4 * day))
        await h.world.close()
    }
}

// MARK: - A generated history

extension DealsTests {
    /// Over a small generated history (300 customers, 6 reps, 150 days), lists, details, the
    /// inbox and the timing report agree with one another.
    @Test(
        "Every contract listed once; details hang together; the inbox and the timing report count what the details show"
    )
    func agreement() async throws {
        var options = WorkloadOptions()
        (options.customers, options.reps, options.teams, options.days) = (300, 6, 2, 150)
        let directory = TemporaryDirectory("deals-workload")
        let log = try openTestLog(directory)
        _ = try await WorkloadGenerator(options: options, log: log).run()
        let store = try ReadModelStore(directory: directory.path + "/read-models")
        try await ProjectionBuilder.build([DealsProjector.self], log: log, decoder: CRMProjections.decoder, into: store)
        await log.close()
        let deals = DealQueries(store: store)
        let now = options.start.addingTimeInterval(Double(options.days + 30) * 86_400)

        // Every contract, page by page, newest first.
        var listed: [ContractSummary] = []
        var after: String?
        repeat {
            let page = try deals.contracts(after: after, limit: 97)
            listed += page.contracts
            after = page.next
        } while after != nil
        let stored = try store.contents(of: DealsProjector.name).filter { $0.table == "contracts" }.map(\.key)
        #expect(listed.count > 20, "\(listed.count) contracts")
        #expect(listed.map(\.contractID).sorted() == stored.sorted(), "each contract listed once")
        #expect(zip(listed, listed.dropFirst()).allSatisfy { $0.draftedAt >= $1.draftedAt })
        var byStatus = 0
        for status in [ContractApprovalStatus.pendingApproval, .binding, .rejected] {
            byStatus += try deals.contracts(status: status, limit: 500).contracts.count
        }
        #expect(byStatus == listed.count)

        var decidedSteps = 0
        var pendingSteps = 0
        var decidedRefunds = 0
        var pendingRefunds = 0
        for summary in listed {
            let contract = try deals.contract(id: summary.contractID)
            let statuses = contract.approvals.map(\.status)
            switch contract.status {
            case .binding:
                #expect(statuses.allSatisfy { $0 == .approved })
            case .rejected:
                #expect(statuses.filter { $0 == .rejected }.count == 1 && !statuses.contains(.pending))
            case .pendingApproval:
                #expect(statuses.filter { $0 == .pending }.count == 1 && summary.pendingStep != nil)
                pendingSteps += 1
            }
            decidedSteps += statuses.filter { $0 == .approved || $0 == .rejected }.count
            for instalment in contract.instalments {
                #expect(instalment.outstanding.minorUnits == instalment.amount.minorUnits - instalment.paid.minorUnits)
                #expect(instalment.outstanding.minorUnits >= 0)
            }
            let allocated = contract.payments.flatMap(\.allocations).reduce(0) { $0 + $1.amount.minorUnits }
            #expect(allocated == contract.totals.collected)
            #expect(contract.totals.refunded <= contract.totals.collected)
            for refund in contract.refunds {
                if refund.decidedAt == nil { pendingRefunds += 1 } else { decidedRefunds += 1 }
            }
        }

        // Someone who owns nothing and approved nothing sees, as an admin, every pending item.
        var inbox: [ApprovalInboxItem] = []
        var cursor: String?
        repeat {
            let page = try deals.approvals(
                for: DealApprover(userID: "inspector", role: "admin"),
                now: now,
                after: cursor,
                limit: 50
            )
            inbox += page.items
            cursor = page.next
        } while cursor != nil
        #expect(inbox.filter { $0.kind == .contractStep }.count == pendingSteps)
        #expect(inbox.filter { $0.kind == .refund }.count == pendingRefunds)
        #expect(zip(inbox, inbox.dropFirst()).allSatisfy { $0.waitingSince <= $1.waitingSince }, "oldest first")

        let report = try deals.approvalTimings(from: "2000-01-01", to: "2100-12-31", now: now)
        let steps = report.timings.filter { $0.kind == .contractStep }
        let refunds = report.timings.filter { $0.kind == .refund }
        #expect(steps.reduce(0) { $0 + $1.decided } == decidedSteps && decidedSteps > 0)
        // Refunds are rare in so short a history (3% of payments): the hand-built one checks them.
        #expect(refunds.reduce(0) { $0 + $1.decided } == decidedRefunds)
        #expect(steps.reduce(0) { $0 + $1.pendingNow } == pendingSteps)
        #expect(refunds.reduce(0) { $0 + $1.pendingNow } == pendingRefunds)
        for timing in report.timings where timing.decided > 0 {
            let (mean, median, longest) = (
                timing.meanSeconds ?? -1, timing.medianSeconds ?? -1, timing.maxSeconds ?? -1
            )
            #expect(0 <= mean && mean <= longest && 0 <= median && median <= longest)
            #expect(timing.approved + timing.rejected == timing.decided)
        }
    }
}
