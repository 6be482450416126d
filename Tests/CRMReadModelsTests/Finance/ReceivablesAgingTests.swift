import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import Projections
import Testing

@Suite("Receivables: aging as of any day")
struct ReceivablesAgingTests {
    typealias F = FinanceFixtures

    /// A 10,000-yuan contract paid in ten instalments of 1,000 whose due days sit on either side
    /// of every bucket edge as seen from D = 2026-09-30, and three payments: one long before,
    /// one on D itself and one the day after.
    ///
    /// | #  | due        | days overdue on 09-29 / 09-30 / 10-01 |
    /// | 1  | 2026-04-02 | 180 / 181 / 182 (paid by P1)          |
    /// | 2  | 2026-04-03 | 179 / 180 / 181                       |
    /// | 3  | 2026-07-01 |  90 /  91 /  92                       |
    /// | 4  | 2026-07-02 |  89 /  90 /  91                       |
    /// | 5  | 2026-07-31 |  60 /  61 /  62                       |
    /// | 6  | 2026-08-01 |  59 /  60 /  61                       |
    /// | 7  | 2026-08-30 |  30 /  31 /  32                       |
    /// | 8  | 2026-08-31 |  29 /  30 /  31                       |
    /// | 9  | 2026-09-30 |  -1 /   0 /   1                       |
    /// | 10 | 2026-10-01 |  -2 /  -1 /   0                       |
    ///
    /// P1 2026-04-20 1,200 → #1 1,000, #2 200; P2 2026-09-30 18:00 500 → #2; P3 2026-10-01
    /// 09:00 100 → #2. So #2 owes 800, then 300, then 200.
    private func straddlingHistory() async throws -> (CRMWorld, contract: String, customer: String, rep: String) {
        let world = try CRMWorld.finance("aging-edges")
        let rep = try await world.user("rep")
        let clerk = try await world.user("clerk", role: .finance)
        let customer = try await world.ownedCustomer("边界测试有限公司", owner: rep)
        let seat = try await world.product("SEAT", price: 10_000, cost: 4_000)
        let contract = try await world.contract(
            customer,
            rep: rep,
            [.init(productID: seat, quantity: 1)],
            on: "2026-03-02"
        )
        let d = F.day("2026-09-30")
        let dues = [-181, -180, -91, -90, -61, -60, -31, -30, 0, 1].map { F.at(d.adding(days: $0).description) }
        #expect(
            dues.map { BusinessDay(Timestamp($0)).description } == [
                "2026-04-02", "2026-04-03", "2026-07-01", "2026-07-02", "2026-07-31", "2026-08-01", "2026-08-30",
                "2026-08-31",
                "2026-09-30", "2026-10-01",
            ]
        )
        try await world.crm.scheduleInstalments(
            contract,
            dues.map { .init(dueAt: $0, amount: F.cny(1_000)) },
            actor: rep,
            occurredAt: F.at("2026-03-02", 11)
        )
        _ = try await world.crm.recordPayment(
            contract,
            amount: F.cny(1_200),
            method: .bankTransfer,
            actor: clerk,
            occurredAt: F.at("2026-04-20")
        )
        _ = try await world.crm.recordPayment(
            contract,
            amount: F.cny(500),
            method: .alipay,
            actor: clerk,
            occurredAt: F.at("2026-09-30", 18)
        )
        _ = try await world.crm.recordPayment(
            contract,
            amount: F.cny(100),
            method: .cash,
            actor: clerk,
            occurredAt: F.at("2026-10-01", 9)
        )
        return (world, contract, customer, rep)
    }

    private func buckets(_ yuan: [AgingBucket: Int64]) -> AgingBuckets {
        var buckets = AgingBuckets()
        for (bucket, amount) in yuan { buckets[bucket] = amount * 100 }
        return buckets
    }

    @Test("Payments and due days straddling every bucket edge, the day before, on and after D")
    func straddlingEdges() async throws {
        let (world, contract, customer, _) = try await straddlingHistory()
        let queries = ReceivablesQueries(store: try await world.readModels([ReceivablesProjector.self]))

        // 09-29: P1 only. #2 owes 800 at 179 days; #3 (90) and #4 (89) in 61-90; #5 (60) and #6
        // (59) in 31-60; #7 (30) and #8 (29) in 0-30; #9 and #10 not yet due. 8,800 in all.
        let before = try queries.contract(id: contract, asOf: "2026-09-29")
        #expect(
            before.figures.buckets
                == buckets([
                    .notYetDue: 2_000, .days0to30: 2_000, .days31to60: 2_000, .days61to90: 2_000, .days91to180: 800,
                ])
        )
        #expect(
            before.figures.outstanding == 8_800_00 && before.figures.collected == 1_200_00
                && before.figures.overdue == 6_800_00
        )

        // 09-30 (D): P2 counts, #2 owes 300 at exactly 180 days, still 91-180; #3 at 91 joins it;
        // #4 at 90 stays in 61-90, #5 at 61 moves in; #6 at 60 and #7 at 31 are 31-60; #8 at 30
        // and #9 due today (0) are 0-30. 300 + 1,000 = 1,300 in 91-180; 8,300 in all.
        let onD = try queries.contract(id: contract, asOf: "2026-09-30")
        #expect(
            onD.figures.buckets
                == buckets([
                    .notYetDue: 1_000, .days0to30: 2_000, .days31to60: 2_000, .days61to90: 2_000, .days91to180: 1_300,
                ])
        )
        #expect(
            onD.figures.outstanding == 8_300_00 && onD.figures.overdue == 7_300_00 && onD.figures.collected == 1_700_00
        )
        let second = try #require(onD.instalments.first { $0.number == 2 })
        #expect(
            (second.allocated, second.outstanding, second.daysOverdue, second.bucket) == (
                700_00, 300_00, 180, .days91to180
            )
        )
        #expect(second.allocations.map(\.on) == ["2026-04-20", "2026-09-30"])
        #expect(second.allocations.map(\.amount) == [200_00, 500_00])
        let ninth = try #require(onD.instalments.first { $0.number == 9 })
        #expect((ninth.daysOverdue, ninth.bucket) == (0, .days0to30), "due on D itself: 0 days, in 0-30")
        #expect(onD.payments.map(\.on) == ["2026-04-20", "2026-09-30"], "P3 of 10-01 is not known on 09-30")

        // 10-01: P3 takes #2 to 200, now 181 days: 180+. #3 (92) and #4 (91) are 91-180; #5 (62)
        // and #6 (61) 61-90; #7 (32) and #8 (31) 31-60; #9 (1) and #10 due today (0) 0-30.
        let after = try queries.contract(id: contract, asOf: "2026-10-01")
        #expect(
            after.figures.buckets
                == buckets([
                    .days0to30: 2_000, .days31to60: 2_000, .days61to90: 2_000, .days91to180: 2_000, .over180: 200,
                ])
        )
        #expect(after.figures.outstanding == 8_200_00 && after.figures.overdue == 8_200_00)
        #expect(after.instalments.first { $0.number == 2 }?.bucket == .over180)

        // Before the first payment: #1 (17 days) and #2 (16) are 0-30; the rest is not yet due.
        let early = try queries.contract(id: contract, asOf: "2026-04-19")
        #expect(early.figures.buckets == buckets([.notYetDue: 8_000, .days0to30: 2_000]))

        // The customer and everyone's aging agree with the one contract.
        let mine = try queries.customer(id: customer, asOf: "2026-09-30")
        #expect(mine.currencies.map(\.buckets) == [onD.figures.buckets])
        #expect(mine.currencies.first?.balance == 8_300_00, "nothing unscheduled, no credit: balance = outstanding")
        let aging = try queries.aging(asOf: "2026-09-30")
        #expect(aging.currencies.map(\.figures) == [onD.figures])
        let top = try #require(aging.currencies.first?.topOverdueCustomers.first)
        #expect((top.customerID, top.overdue, top.oldestDaysOverdue) == (customer, 7_300_00, 180))
        await world.close()
    }

    @Test(
        "Every bucket's edges: 0 and 30 in 0-30, 31 and 60 in 31-60, ..., 180 in 91-180, 181 in 180+",
        arguments: [
            (-1, AgingBucket.notYetDue), (0, .days0to30), (30, .days0to30), (31, .days31to60), (60, .days31to60),
            (61, .days61to90),
            (90, .days61to90), (91, .days91to180), (180, .days91to180), (181, .over180), (10_000, .over180),
        ]
    )
    func edges(days: Int, bucket: AgingBucket) {
        #expect(AgingBucket(daysOverdue: days) == bucket)
    }

    @Test("Bad parameters are refused, naming the parameter; an unknown or not-yet-drafted contract is not found")
    func refusals() async throws {
        let (world, contract, _, _) = try await straddlingHistory()
        let queries = ReceivablesQueries(store: try await world.readModels([ReceivablesProjector.self]))
        for (parameter, call) in [
            ("asOf", { _ = try queries.contract(id: contract, asOf: "2026-13-01") }),
            ("asOf", { _ = try queries.contract(id: contract, asOf: "30/09/2026") }),
            ("asOf", { _ = try queries.customer(id: "c", asOf: "") }),
            ("asOf", { _ = try queries.aging(asOf: "2026-02-30") }),
            ("id", { _ = try queries.contract(id: "", asOf: "2026-09-30") }),
            ("id", { _ = try queries.customer(id: "", asOf: "2026-09-30") }),
            ("owner", { _ = try queries.aging(asOf: "2026-09-30", owner: "") }),
            ("top", { _ = try queries.aging(asOf: "2026-09-30", top: 0) }),
            ("top", { _ = try queries.aging(asOf: "2026-09-30", top: 1_001) }),
        ] as [(String, () throws -> Void)] {
            let error = #expect(throws: ReadModelQueryError.self) { try call() }
            #expect(
                error?.code == .invalidParameter && error?.parameter == parameter,
                "\(parameter): \(String(describing: error))"
            )
        }
        let unknown = #expect(throws: ReadModelQueryError.self) {
            try queries.contract(id: "no-such-contract", asOf: "2026-09-30")
        }
        #expect(unknown?.code == .notFound)
        let notYet = #expect(throws: ReadModelQueryError.self) {
            try queries.contract(id: contract, asOf: "2026-03-01")
        }
        #expect(notYet?.code == .notFound, "drafted on 03-02")
        #expect(try queries.customer(id: "nobody", asOf: "2026-09-30").contracts.isEmpty)
        await world.close()
    }
}
