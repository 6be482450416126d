import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import Projections
import SwiftProtobuf
import Testing

@Suite("Sales by period, rep, region, product and team, versus target")
struct SalesReadModelTests {
    typealias F = FinanceFixtures

    struct History {
        let world: CRMWorld
        let r1: String, r2: String, east: String, west: String, p: String, q: String
    }

    /// Two teams, two reps, products P (1,000) and Q (3,000), and contracts that sign on the day
    /// they become binding:
    ///
    /// - K1 r1/A 03-10: 2 P + 1 Q = 5,000, binding at once; paid 2,000.01 on 03-20 and 2,999.99
    ///   on 04-05.
    /// - K4 r1/A drafted 03-28: 4 Q = 12,000, above the 10,000 threshold, approved 04-01: April.
    /// - K5 r1/A drafted 03-29: 5 Q = 15,000, rejected 03-30: never signed.
    /// - K2 r2/B 04-02: 1 Q at 10% off = 2,700.
    /// - A moves from 华东 to 华北 on 04-03; r1 moves from East to West on 04-05.
    /// - K6 r1/A 04-10: 1 P = 1,000, so 华北 and West.
    ///
    /// Targets: r1 2026-Q2 20,000, replaced by 26,000 on 04-20; East 2026-Q2 10,000; r2 2026-04
    /// 5,000 and 2026-Q3 1,000.
    static func history() async throws -> History {
        let world = try CRMWorld.finance("sales")
        let crm = world.crm
        let (east, west) = (try await world.team("East"), try await world.team("West"))
        let r1 = try await world.user("r1", team: east)
        let r2 = try await world.user("r2", team: west)
        let manager = try await world.user("manager", role: .manager, team: east)
        let clerk = try await world.user("clerk", role: .finance)
        var policy = CRMApprovalPolicyConfigured()
        (policy.discountThresholdPercent, policy.amountThreshold) = (20, F.cny(10_000))
        policy.chain = [CRMApprovalStep.with { $0.approverRole = .manager }]
        try await crm.configureApprovalPolicy(policy, actor: "admin", occurredAt: F.at("2026-01-01"))
        let p = try await world.product("P", price: 1_000, cost: 300)
        let q = try await world.product("Q", price: 3_000, cost: 1_000)
        let a = try await world.ownedCustomer("A 公司", owner: r1, region: "华东")
        let b = try await world.ownedCustomer("B 公司", owner: r2, region: "华南")

        let k1 = try await world.contract(
            a,
            rep: r1,
            [.init(productID: p, quantity: 2), .init(productID: q, quantity: 1)],
            on: "2026-03-10"
        )
        try await crm.scheduleInstalments(
            k1,
            [.init(dueAt: F.at("2026-03-31"), amount: F.cny(5_000))],
            actor: r1,
            occurredAt: F.at("2026-03-10", 11)
        )
        _ = try await crm.recordPayment(
            k1,
            amount: F.fen(200_001),
            method: .bankTransfer,
            actor: clerk,
            occurredAt: F.at("2026-03-20")
        )
        let k4 = try await world.contract(a, rep: r1, [.init(productID: q, quantity: 4)], on: "2026-03-28")
        let k5 = try await world.contract(a, rep: r1, [.init(productID: q, quantity: 5)], on: "2026-03-29")
        try await crm.rejectContract(k5, comment: "no", actor: manager, occurredAt: F.at("2026-03-30"))
        try await crm.approveContract(k4, actor: manager, occurredAt: F.at("2026-04-01"))
        _ = try await world.contract(
            b,
            rep: r2,
            [.init(productID: q, quantity: 1, discountBasisPoints: 1_000)],
            on: "2026-04-02"
        )
        var move = CustomerDecisions.ProfileChanges()
        move.region = "华北"
        _ = try await crm.updateCustomerProfile(a, move, actor: r1, occurredAt: F.at("2026-04-03"))
        _ = try await crm.recordPayment(
            k1,
            amount: F.fen(299_999),
            method: .alipay,
            actor: clerk,
            occurredAt: F.at("2026-04-05")
        )
        try await crm.moveUser(r1, toTeam: west, actor: "admin", occurredAt: F.at("2026-04-05", 12))
        _ = try await world.contract(a, rep: r1, [.init(productID: p, quantity: 1)], on: "2026-04-10")

        try await crm.setSalesTarget(
            repID: r1,
            period: "2026-Q2",
            amount: F.cny(20_000),
            actor: "admin",
            occurredAt: F.at("2026-03-01")
        )
        try await crm.setSalesTarget(
            teamID: east,
            period: "2026-Q2",
            amount: F.cny(10_000),
            actor: "admin",
            occurredAt: F.at("2026-03-01")
        )
        try await crm.setSalesTarget(
            repID: r2,
            period: "2026-04",
            amount: F.cny(5_000),
            actor: "admin",
            occurredAt: F.at("2026-03-01")
        )
        try await crm.setSalesTarget(
            repID: r1,
            period: "2026-Q2",
            amount: F.cny(26_000),
            actor: "admin",
            occurredAt: F.at("2026-04-20")
        )
        try await crm.setSalesTarget(
            repID: r2,
            period: "2026-Q3",
            amount: F.cny(1_000),
            actor: "admin",
            occurredAt: F.at("2026-04-20")
        )
        return History(world: world, r1: r1, r2: r2, east: east, west: west, p: p, q: q)
    }

    /// `key: (signed, contracts, collected, payments)` in fen, from a breakdown's rows.
    private func table(_ breakdown: SalesBreakdown) -> [String: [Int64]] {
        Dictionary(
            uniqueKeysWithValues: breakdown.rows.map {
                ($0.key, [$0.signed, Int64($0.contracts), $0.collected, Int64($0.payments)])
            }
        )
    }

    @Test(
        "Signed on the binding day, collected on the payment day, credited to rep, region, product and team at signing"
    )
    func breakdowns() async throws {
        let h = try await Self.history()
        let sales = SalesQueries(store: try await h.world.readModels([SalesProjector.self]))

        // Q1: only K1 (K4 signs in April, K5 never).
        #expect(table(try sales.sales(period: "2026-Q1", by: .rep)) == [h.r1: [5_000_00, 1, 200_001, 1]])
        // The 2,000.01 payment split over P (2,000 of 5,000) and Q: ⌊200,001 × 2/5⌋ = 80,000 and
        // the remaining 120,001. Most signed first.
        let march = try sales.sales(period: "2026-03", by: .product)
        #expect(march.rows.map(\.key) == [h.q, h.p] && march.rows.map(\.label) == ["Product Q", "Product P"])
        #expect(table(march) == [h.p: [2_000_00, 1, 80_000, 1], h.q: [3_000_00, 1, 120_001, 1]])

        // Q2: r1 signs K4 12,000 and K6 1,000, collects 2,999.99; r2 signs K2 2,700.
        #expect(
            table(try sales.sales(period: "2026-Q2", by: .rep)) == [
                h.r1: [13_000_00, 2, 299_999, 1], h.r2: [2_700_00, 1, 0, 0],
            ]
        )
        // K4 signed on 04-01 in 华东, before A moved; K1's collection stays with K1's region.
        #expect(
            table(try sales.sales(period: "2026-Q2", by: .region))
                == ["华东": [12_000_00, 1, 299_999, 1], "华北": [1_000_00, 1, 0, 0], "华南": [2_700_00, 1, 0, 0]]
        )
        // K4 (04-01) went to East; K6 (04-10) to West after r1 moved; K2 is West's.
        #expect(
            table(try sales.sales(period: "2026-Q2", by: .team)) == [
                h.east: [12_000_00, 1, 299_999, 1], h.west: [3_700_00, 2, 0, 0],
            ]
        )
        // Products: Q 12,000 + 2,700; P 1,000. 2,999.99 over P and Q: ⌊299,999 × 2/5⌋ = 119,999
        // and 180,000.
        let q2Products = try sales.sales(period: "2026-Q2", by: .product)
        #expect(table(q2Products) == [h.q: [14_700_00, 2, 180_000, 1], h.p: [1_000_00, 1, 119_999, 1]])
        // The totals count each contract and payment once, whatever the dimension.
        #expect(
            q2Products.totals.map { [$0.signed, Int64($0.contracts), $0.collected, Int64($0.payments)] } == [
                [15_700_00, 3, 299_999, 1]
            ]
        )
        #expect(q2Products.totals.map(\.currency) == ["CNY"])

        // The year is the sum of its months: r1 5,000 + 13,000 and all of K1's 5,000 collected.
        #expect(
            table(try sales.sales(period: "2026", by: .rep)) == [
                h.r1: [18_000_00, 3, 500_000, 2], h.r2: [2_700_00, 1, 0, 0],
            ]
        )
        #expect(try sales.sales(period: "2025", by: .rep).rows.isEmpty)
        await h.world.close()
    }

    @Test("Targets of the exact period, the last one set, attainment in basis points rounded down")
    func targets() async throws {
        let h = try await Self.history()
        let sales = SalesQueries(store: try await h.world.readModels([SalesProjector.self]))
        func rows(_ list: [TargetAttainment]) -> [String: [Int64?]] {
            Dictionary(
                uniqueKeysWithValues: list.map {
                    ($0.holderID, [$0.target, $0.achieved, $0.attainmentBasisPoints.map(Int64.init)])
                }
            )
        }

        // Q2: r1 13,000 of 26,000 (the later target) = 5,000 bp; r2 has no Q2 target. East 12,000 of
        // 10,000 = 12,000 bp; West has none.
        let q2 = try sales.targets(period: "2026-Q2")
        #expect(rows(q2.reps) == [h.r1: [26_000_00, 13_000_00, 5_000], h.r2: [nil, 2_700_00, nil]])
        #expect(rows(q2.teams) == [h.east: [10_000_00, 12_000_00, 12_000], h.west: [nil, 3_700_00, nil]])
        // April: r2 2,700 of 5,000 = 5,400 bp.
        let april = try sales.targets(period: "2026-04")
        #expect(rows(april.reps) == [h.r1: [nil, 13_000_00, nil], h.r2: [5_000_00, 2_700_00, 5_400]])
        // A target with nothing signed still shows, at 0 bp.
        let q3 = try sales.targets(period: "2026-Q3")
        #expect(rows(q3.reps) == [h.r2: [1_000_00, 0, 0]] && q3.teams.isEmpty)
        await h.world.close()
    }

    @Test(
        "Malformed periods are refused",
        arguments: ["2026-Q5", "2026-Q0", "2026-13", "2026-00", "26", "2026-1", "", "2026-q1", "２０２６"]
    )
    func refusals(_ period: String) async throws {
        let world = try CRMWorld.finance("sales-refusals")
        let sales = SalesQueries(store: try await world.readModels([SalesProjector.self]))
        let breakdown = #expect(throws: ReadModelQueryError.self) { try sales.sales(period: period, by: .rep) }
        #expect(breakdown?.code == .invalidParameter && breakdown?.parameter == "period")
        let targets = #expect(throws: ReadModelQueryError.self) { try sales.targets(period: period) }
        #expect(targets?.parameter == "period")
        await world.close()
    }
}
