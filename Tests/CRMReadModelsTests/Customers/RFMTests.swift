import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import Projections
import Testing

@Suite("RFM segments")
struct RFMTests {
    typealias Kit = CustomerTestKit

    /// The day scored: Monday 2026-03-02, the test clock's first day.
    static let today = Kit.day("2026-03-02")

    static func daysAgo(_ days: Int) -> Date { Kit.at(today.adding(days: -days).description, 10) }

    @Test(
        "the score is 1 + 5 × below / n: fifths, with a tie scored as its lowest member",
        arguments: [
            (0, 10, 1), (1, 10, 1), (2, 10, 2), (5, 10, 3), (6, 10, 4), (7, 10, 4), (8, 10, 5), (9, 10, 5),
            (0, 1, 1), (0, 7, 1), (4, 7, 3), (6, 7, 5),
        ]
    )
    func quintiles(below: Int, n: Int, score: Int) {
        #expect(RFMScoring.score(below: below, of: n) == score)
    }

    @Test(
        "segments follow the documented grid",
        arguments: [
            (5, 5, 5, RFMSegment.champions), (4, 4, 4, .champions), (4, 4, 3, .loyal), (3, 5, 1, .loyal),
            (5, 1, 5, .new), (4, 2, 1, .potentialLoyalists), (4, 3, 5, .potentialLoyalists), (3, 3, 5, .needsAttention),
            (3, 1, 1, .needsAttention), (1, 4, 1, .cantLose), (1, 5, 5, .cantLose), (2, 4, 5, .atRisk),
            (1, 3, 1, .atRisk),
            (2, 2, 5, .hibernating), (1, 1, 1, .hibernating),
        ]
    )
    func grid(r: Int, f: Int, m: Int, segment: RFMSegment) {
        #expect(RFMSegment(r: r, f: f, m: m) == segment)
    }

    /// Ten customers with orders (and one without) whose values put ties on quintile edges.
    ///
    /// Orders (days before 2026-03-02, thousands of yuan):
    /// c0: 100 (50) · c1: 90 (5), paid 52 days ago · c2: 80 (20) · c3: 75 (10), 70 (20) ·
    /// c4: 65 (4), 60 (4) · c5: 58, 54, 50 (20 each) · c6: 50 (20) · c7: 45, 40, 35, 30 (25 each) ·
    /// c8: 60, 45, 35, 25, 20 (2 each) · c9: drafted 12 days ago at 25% off 400k, approved 10 days
    /// ago: 300 · c10: one contract pending approval and one rejected: no order.
    static func history() async throws -> (world: CRMWorld, ids: [String], store: ReadModelStore) {
        let world = try CRMWorld("rfm")
        let crm = world.crm
        let (manager, reps) = try await Kit.staff(world, reps: ["rep"])
        let rep = reps[0]
        let finance = try await world.user("finance", role: .finance)
        let unit = try await crm.addProduct(
            NewProduct(sku: "k", name: "Thousand", price: Kit.cny(1_000), cost: Kit.cny(1)),
            actor: "admin"
        )
        var ids: [String] = []
        for index in 0...10 {
            var new = NewCustomer(name: "RFM \(index) Co., Ltd.")
            new.ownerID = rep
            ids.append(try await crm.createCustomer(new, actor: rep, occurredAt: daysAgo(120)))
        }
        func order(_ customer: Int, _ thousands: Int32, daysAgo days: Int) async throws -> String {
            try await crm.draftContract(
                for: ids[customer],
                lines: [.init(productID: unit, quantity: thousands)],
                actor: rep,
                occurredAt: daysAgo(days)
            )
        }
        _ = try await order(0, 50, daysAgo: 100)
        let c1 = try await order(1, 5, daysAgo: 90)
        try await crm.scheduleInstalments(
            c1,
            [.init(dueAt: daysAgo(60), amount: Kit.cny(5_000))],
            actor: rep,
            occurredAt: daysAgo(90)
        )
        _ = try await crm.recordPayment(
            c1,
            amount: Kit.cny(5_000),
            method: .bankTransfer,
            actor: finance,
            occurredAt: daysAgo(52)
        )
        _ = try await order(2, 20, daysAgo: 80)
        for (thousands, days) in [(10, 75), (20, 70)] { _ = try await order(3, Int32(thousands), daysAgo: days) }
        for days in [65, 60] { _ = try await order(4, 4, daysAgo: days) }
        for days in [58, 54, 50] { _ = try await order(5, 20, daysAgo: days) }
        _ = try await order(6, 20, daysAgo: 50)
        for days in [45, 40, 35, 30] { _ = try await order(7, 25, daysAgo: days) }
        for days in [60, 45, 35, 25, 20] { _ = try await order(8, 2, daysAgo: days) }
        let big = try await crm.draftContract(
            for: ids[9],
            lines: [.init(productID: unit, quantity: 400, discountBasisPoints: 2_500)],
            actor: rep,
            occurredAt: daysAgo(12)
        )
        try await crm.approveContract(big, actor: manager, occurredAt: daysAgo(10))
        _ = try await crm.draftContract(
            for: ids[10],
            lines: [.init(productID: unit, quantity: 10, discountBasisPoints: 2_500)],
            actor: rep
        )
        let refused = try await crm.draftContract(
            for: ids[10],
            lines: [.init(productID: unit, quantity: 10, discountBasisPoints: 3_000)],
            actor: rep
        )
        try await crm.rejectContract(refused, comment: "no", actor: manager)
        let store = try await world.readModels([RFMProjector.self, Customer360Projector.self])
        return (world, ids, store)
    }

    @Test("today: recency from the later of order and payment, ties on quintile edges, named segments and counts")
    func today() async throws {
        let (world, ids, store) = try await Self.history()
        let queries = RFMQueries(store: store)
        // n = 10, so the score is 1 + below / 2.
        // R by last day (c1's payment 52 days ago counts): c0 100, c2 80, c3 70, c4 60, c1 52,
        //   c5 50 = c6 50, c7 30, c8 20, c9 10 → below 0,1,2,3,4,5,5,7,8,9 → 1,1,2,2,3,3,3,4,5,5.
        // F: five with 1 order (below 0 → 1), c3 c4 with 2 (below 5 → 3), c5 3 (7 → 4), c7 4 (8 → 5), c8 5 (9 → 5).
        // M: c1 5k, c4 8k, c8 10k, c2 = c6 20k, c3 30k, c0 50k, c5 60k, c7 100k, c9 300k
        //   → below 0,1,2,3,3,5,6,7,8,9 → 1,1,2,2,2,3,4,4,5,5.
        let expected: [(r: Int, f: Int, m: Int, segment: RFMSegment)] = [
            (1, 1, 4, .hibernating),  // c0
            (3, 1, 1, .needsAttention),  // c1
            (1, 1, 2, .hibernating),  // c2
            (2, 3, 3, .atRisk),  // c3
            (2, 3, 1, .atRisk),  // c4
            (3, 4, 4, .loyal),  // c5
            (3, 1, 2, .needsAttention),  // c6
            (4, 5, 5, .champions),  // c7
            (5, 5, 2, .loyal),  // c8
            (5, 1, 5, .new),  // c9
        ]
        for (index, want) in expected.enumerated() {
            let score = try #require(try queries.segment(of: ids[index], asOf: Self.today), "c\(index)")
            #expect((score.r, score.f, score.m, score.segment) == want, "c\(index)")
        }
        let c1 = try #require(try queries.segment(of: ids[1], asOf: Self.today))
        #expect(c1.lastOrderDay == Self.today.adding(days: -52).description && c1.recencyDays == 52)
        #expect(c1.orders == 1 && c1.monetary == [CustomerMoney(minorUnits: 5_000_00, currency: "CNY")])
        let c9 = try #require(try queries.segment(of: ids[9], asOf: Self.today))
        #expect(
            c9.recencyDays == 10 && c9.monetary.first?.minorUnits == 300_000_00,
            "ordered when approved, at the discounted amount"
        )
        #expect(
            try queries.segment(of: ids[10], asOf: Self.today) == nil,
            "a pending and a rejected contract are no orders"
        )

        let counts = try queries.segments(asOf: Self.today)
        #expect((counts.scored, counts.withoutOrders) == (10, 1))
        #expect(counts.segments.map(\.segment) == RFMSegment.allCases)
        let bySegment = Dictionary(uniqueKeysWithValues: counts.segments.map { ($0.segment, $0.customers) })
        #expect(
            bySegment == [
                .champions: 1, .loyal: 2, .new: 1, .potentialLoyalists: 0, .needsAttention: 2, .cantLose: 0, .atRisk: 2,
                .hibernating: 2,
            ]
        )
        // Scored later, only the recency days change: the ranks do not.
        let later = try #require(try queries.segment(of: ids[7], asOf: Self.today.adding(days: 100)))
        #expect((later.recencyDays, later.r, later.segment) == (130, 4, .champions))
        // The 360 view carries the segment.
        let view = try #require(try Customer360Queries(store: store).view(customerID: ids[7], segmentDay: Self.today))
        #expect(view.segment?.segment == .champions && view.segment?.recencyDays == 30)
        #expect(try Customer360Queries(store: store).view(customerID: ids[10], segmentDay: Self.today)?.segment == nil)
        await world.close()
    }

    @Test("as of an earlier day, later orders and payments are left out and every rank is taken again")
    func asOfEarlierDay() async throws {
        let (world, ids, store) = try await Self.history()
        let queries = RFMQueries(store: store)
        let day = Self.today.adding(days: -55)
        // By then: c0 (100: 50k), c1 (90: 5k; paid later), c2 (80: 20k), c3 (75, 70: 30k), c4 (65, 60: 8k),
        // c5 (58: 20k), c8 (60: 2k); n = 7, score = 1 + 5 × below / 7.
        // R: c0 100, c1 90, c2 80, c3 70, c4 = c8 60, c5 58 → below 0,1,2,3,4,4,6 → 1,1,2,3,3,3,5.
        // F: five with 1 (→ 1), c3 and c4 with 2 (below 5 → 4).
        // M: c8 2k, c1 5k, c4 8k, c2 = c5 20k, c3 30k, c0 50k → below 0,1,2,3,3,5,6 → 1,1,2,3,3,4,5.
        let expected: [Int: (r: Int, f: Int, m: Int, segment: RFMSegment)] = [
            0: (1, 1, 5, .hibernating), 1: (1, 1, 1, .hibernating), 2: (2, 1, 3, .hibernating), 3: (3, 4, 4, .loyal),
            4: (3, 4, 2, .loyal), 5: (5, 1, 3, .new), 8: (3, 1, 1, .needsAttention),
        ]
        for (index, want) in expected {
            let score = try #require(try queries.segment(of: ids[index], asOf: day), "c\(index)")
            #expect((score.r, score.f, score.m, score.segment) == want, "c\(index)")
        }
        #expect(try queries.segment(of: ids[1], asOf: day)?.recencyDays == 35, "90 - 55: the payment came later")
        #expect(try queries.segment(of: ids[5], asOf: day)?.orders == 1)
        for index in [6, 7, 9, 10] { #expect(try queries.segment(of: ids[index], asOf: day) == nil, "c\(index)") }
        let counts = try queries.segments(asOf: day)
        #expect((counts.scored, counts.withoutOrders) == (7, 4))
        #expect(
            counts.segments.filter { $0.customers > 0 }.map(\.segment) == [.loyal, .new, .needsAttention, .hibernating]
        )
        #expect(counts.segments.map(\.customers).reduce(0, +) == 7)
        // Before anyone was created, nobody counts.
        let before = try queries.segments(asOf: Self.today.adding(days: -200))
        #expect((before.scored, before.withoutOrders) == (0, 0))
        await world.close()
    }

    @Test("monetary is scored per currency; a customer ordering in two takes its best score")
    func currencies() async throws {
        let world = try CRMWorld("rfm-currencies")
        let crm = world.crm
        let rep = try await world.user("rep")
        let yuan = try await crm.addProduct(
            NewProduct(sku: "y", name: "Yuan", price: Kit.cny(100), cost: Kit.cny(1)),
            actor: "admin"
        )
        let dollar = CRMMoney(minorUnits: 10_00, currency: "USD")
        let usd = try await crm.addProduct(
            NewProduct(sku: "u", name: "Dollar", price: dollar, cost: CRMMoney(minorUnits: 1, currency: "USD")),
            actor: "admin"
        )
        var ids: [String] = []
        for index in 0..<3 {
            var new = NewCustomer(name: "FX \(index) Co., Ltd.")
            new.ownerID = rep
            ids.append(try await crm.createCustomer(new, actor: rep))
        }
        // a: 100 CNY and 50 USD; b: 10 USD; c: 1,000 CNY.
        _ = try await crm.draftContract(for: ids[0], lines: [.init(productID: yuan, quantity: 1)], actor: rep)
        _ = try await crm.draftContract(for: ids[0], lines: [.init(productID: usd, quantity: 5)], actor: rep)
        _ = try await crm.draftContract(for: ids[1], lines: [.init(productID: usd, quantity: 1)], actor: rep)
        _ = try await crm.draftContract(for: ids[2], lines: [.init(productID: yuan, quantity: 10)], actor: rep)
        let store = try await world.readModels([RFMProjector.self])
        let queries = RFMQueries(store: store)
        let a = try #require(try queries.segment(of: ids[0], asOf: Self.today))
        // In USD, a is above b: below 1 of 2 → 1 + 5/2 = 3; in CNY a is below c: 1. The best is 3.
        #expect(
            a.monetary == [
                CustomerMoney(minorUnits: 100_00, currency: "CNY"), CustomerMoney(minorUnits: 50_00, currency: "USD"),
            ]
        )
        #expect(a.m == 3 && a.orders == 2)
        #expect(try queries.segment(of: ids[1], asOf: Self.today)?.m == 1)
        #expect(try queries.segment(of: ids[2], asOf: Self.today)?.m == 3)
        // All ordered today: all tie on recency, so all score R 1.
        #expect(try ids.map { try queries.segment(of: $0, asOf: Self.today)?.r } == [1, 1, 1])
        await world.close()
    }

    @Test("malformed customer ids are refused")
    func refusals() async throws {
        let world = try CRMWorld("rfm-refusals")
        let store = try await world.readModels([RFMProjector.self])
        let queries = RFMQueries(store: store)
        #expect(
            Kit.refuses(
                #expect(throws: ReadModelQueryError.self) { try queries.segment(of: "", asOf: Self.today) },
                "customerID"
            )
        )
        #expect(
            Kit.refuses(
                #expect(throws: ReadModelQueryError.self) { try queries.segment(of: "x|y", asOf: Self.today) },
                "customerID"
            )
        )
        #expect(try queries.segment(of: "unknown", asOf: Self.today) == nil)
        await world.close()
    }
}
