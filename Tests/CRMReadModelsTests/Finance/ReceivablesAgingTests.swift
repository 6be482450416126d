import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import Projections
import RapportTestSupport
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

    @Test(
        "A contract paid off counts in aging from the per-day sums from the day it settled; a refund paid later moves that day, another instalment reopens it; every day agrees with the contracts one by one"
    )
    func settledContracts() async throws {
        let world = try CRMWorld.finance("aging-settled")
        let rep = try await world.user("rep")
        let clerk = try await world.user("clerk", role: .finance)
        let paying = try await world.ownedCustomer("按时付款有限公司", owner: rep)
        let owing = try await world.ownedCustomer("长期欠款有限公司", owner: rep)
        let seat = try await world.product("SEAT", price: 3_000, cost: 1_000)
        let paid = try await world.contract(paying, rep: rep, [.init(productID: seat, quantity: 1)], on: "2026-03-02")
        let unpaid = try await world.contract(owing, rep: rep, [.init(productID: seat, quantity: 1)], on: "2026-03-03")
        // Two of the 3,000 scheduled, both paid on 05-15: settled that day, 1,000 unscheduled.
        try await world.crm.scheduleInstalments(
            paid,
            [
                .init(dueAt: F.at("2026-04-01"), amount: F.cny(1_000)),
                .init(dueAt: F.at("2026-05-01"), amount: F.cny(1_000)),
            ],
            actor: rep,
            occurredAt: F.at("2026-03-02", 11)
        )
        try await world.crm.scheduleInstalments(
            unpaid,
            [.init(dueAt: F.at("2026-04-15"), amount: F.cny(3_000))],
            actor: rep,
            occurredAt: F.at("2026-03-03", 11)
        )
        _ = try await world.crm.recordPayment(
            paid,
            amount: F.cny(2_000),
            method: .bankTransfer,
            actor: clerk,
            occurredAt: F.at("2026-05-15")
        )

        let store = try ReadModelStore(directory: world.directory.appending("live-read-models"))
        let runner = ProjectionRunner(
            log: world.log,
            store: store,
            decoder: CRMProjections.decoder,
            projectors: [ReceivablesProjector.self]
        )
        try await runner.start()
        let queries = ReceivablesQueries(store: store)
        func filed() throws -> (settled: [String], aging: [String]) {
            let rows = try store.contents(of: ReceivablesProjector.name)
            return (
                rows.filter { $0.table == "settled" }.map(\.key), rows.filter { $0.table == "aging" }.map(\.key)
            )
        }
        let open = String(repeating: "f", count: 16)
        let may15 = "CNY|" + String(UInt64(F.day("2026-05-15").number) ^ (1 << 63), radix: 16)
        #expect(try filed().settled == [may15])
        #expect(try filed().aging.map { $0.hasPrefix(open) } == [false, true], "the paid contract sorts first")
        try expectAgingByContract(queries, contracts: [paid, unpaid], from: "2026-03-01", through: "2026-12-31")
        let settled = try queries.aging(asOf: "2026-06-30").currencies[0]
        #expect(settled.figures.unscheduled == 1_000_00 && settled.figures.collected == 2_000_00)
        #expect(settled.topOverdueCustomers.map(\.customerID) == [owing])

        // A refund of 500 paid on 07-10: the paid contract now settles on 07-10.
        let refund = try await world.crm.requestRefund(
            paid,
            amount: F.cny(500),
            reason: "one seat unused",
            returnGoods: false,
            actor: rep,
            occurredAt: F.at("2026-07-01")
        )
        _ = try await world.crm.approveRefund(refund, of: paid, actor: clerk, occurredAt: F.at("2026-07-02"))
        _ = try await world.crm.payRefund(
            refund,
            of: paid,
            method: .bankTransfer,
            actor: clerk,
            occurredAt: F.at("2026-07-10")
        )
        try await runner.catchUp()
        #expect(try filed().settled.count == 1 && filed().settled != [may15])
        try expectAgingByContract(queries, contracts: [paid, unpaid], from: "2026-05-01", through: "2026-12-31")
        #expect(try queries.aging(asOf: "2026-07-09").currencies[0].figures.refunded == 0)
        #expect(try queries.aging(asOf: "2026-07-10").currencies[0].figures.refunded == 500_00)

        // The last 1,000 scheduled on 08-01, due 09-01 and never paid: open again, no sums left.
        try await world.crm.scheduleInstalments(
            paid,
            [.init(dueAt: F.at("2026-09-01"), amount: F.cny(1_000))],
            actor: rep,
            occurredAt: F.at("2026-08-01")
        )
        try await runner.catchUp()
        #expect(try filed().settled.isEmpty)
        #expect(try filed().aging.allSatisfy { $0.hasPrefix(open) })
        try expectAgingByContract(queries, contracts: [paid, unpaid], from: "2026-05-01", through: "2027-01-31")
        #expect(
            try queries.aging(asOf: "2026-09-02").currencies[0].topOverdueCustomers.map(\.customerID) == [
                owing, paying,
            ]
        )

        // Built from scratch, the read model holds the same rows.
        let rebuilt = try await world.readModels([ReceivablesProjector.self])
        #expect(try rebuilt.contents(of: ReceivablesProjector.name) == store.contents(of: ReceivablesProjector.name))
        await world.close()
    }

    /// Everyone's aging on each day from `first` through `last` is the sum of `contracts`' own
    /// figures that day, and lists every customer with money overdue, by how much.
    private func expectAgingByContract(
        _ queries: ReceivablesQueries,
        contracts: [String],
        from first: String,
        through last: String
    ) throws {
        var day = F.day(first)
        while day <= F.day(last) {
            var figures: [String: ReceivablesFigures] = [:]
            var overdue: [String: Int64] = [:]
            for id in contracts {
                guard let contract = try? queries.contract(id: id, asOf: day.description), contract.status == .binding
                else { continue }
                figures[contract.figures.currency, default: .init(currency: contract.figures.currency)].add(
                    contract.figures
                )
                if contract.figures.overdue > 0 { overdue[contract.customerID, default: 0] += contract.figures.overdue }
            }
            let aging = try queries.aging(asOf: day.description, top: 1_000)
            #expect(aging.currencies.map(\.figures) == figures.keys.sorted().map { figures[$0]! }, "\(day)")
            let listed = aging.currencies.flatMap(\.topOverdueCustomers)
            #expect(Dictionary(listed.map { ($0.customerID, $0.overdue) }, uniquingKeysWith: +) == overdue, "\(day)")
            day = day.adding(days: 1)
        }
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
