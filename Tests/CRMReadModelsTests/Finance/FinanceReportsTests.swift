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

@Suite("Finance: receipts, commission, expenses and payables")
struct FinanceReportsTests {
    typealias F = FinanceFixtures

    struct History {
        let world: CRMWorld
        let rep: String, c1: String, c2: String, s1: String, s2: String, b1: String, b2: String
    }

    /// One 10,000 contract (#1 4,000 due 03-31, #2 6,000 due 05-31), commission at 2.5% from
    /// January and 3% from April, five payments:
    ///
    /// | payment          | clerk | method        | amount   | collected | commission (fen)                    |
    /// | P1 03-05         | c1    | bank_transfer | 1,000.00 | 1,000.00  | 100,000 × 2.5% = 2,500              |
    /// | P2 03-20         | c1    | alipay        |   500.50 |   500.50  | 50,050 × 2.5% = 1,251.25 → 1,251    |
    /// | P3 04-02         | c2    | bank_transfer | 2,000.00 | 2,000.00  | 200,000 × 3% + .25 carried = 6,000  |
    /// | P4 05-01 07:00   | c2    | cash          |   300.00 |   300.00  | 30,000 × 3% + .25 = 900             |
    /// | P5 05-20         | c1    | wechat_pay    | 7,000.00 | 6,199.50  | 619,950 × 3% + .25 = 18,598.75 → 18,598 |
    ///
    /// P4 is 2026-04-30 23:00 UTC: its business day, in China, is in May. P5 leaves 800.50 credit.
    static func history() async throws -> History {
        let world = try CRMWorld.finance("finance")
        let crm = world.crm
        let rep = try await world.user("rep")
        let c1 = try await world.user("c1", role: .finance)
        let c2 = try await world.user("c2", role: .finance)
        try await crm.configureCommissionRate(
            .with { $0.rateBasisPoints = 250 },
            actor: "admin",
            occurredAt: F.at("2026-01-01")
        )
        try await crm.configureCommissionRate(
            .with { $0.rateBasisPoints = 300 },
            actor: "admin",
            occurredAt: F.at("2026-04-01", 0)
        )
        let seat = try await world.product("SEAT", price: 1_000, cost: 400)
        let customer = try await world.ownedCustomer("收款客户", owner: rep)
        let contract = try await world.contract(
            customer,
            rep: rep,
            [.init(productID: seat, quantity: 10)],
            on: "2026-03-02"
        )
        try await crm.scheduleInstalments(
            contract,
            [
                .init(dueAt: F.at("2026-03-31"), amount: F.cny(4_000)),
                .init(dueAt: F.at("2026-05-31"), amount: F.cny(6_000)),
            ],
            actor: rep,
            occurredAt: F.at("2026-03-02", 11)
        )
        _ = try await crm.recordPayment(
            contract,
            amount: F.cny(1_000),
            method: .bankTransfer,
            actor: c1,
            occurredAt: F.at("2026-03-05")
        )
        _ = try await crm.recordPayment(
            contract,
            amount: F.fen(50_050),
            method: .alipay,
            actor: c1,
            occurredAt: F.at("2026-03-20")
        )
        _ = try await crm.recordPayment(
            contract,
            amount: F.cny(2_000),
            method: .bankTransfer,
            actor: c2,
            occurredAt: F.at("2026-04-02")
        )
        _ = try await crm.recordPayment(
            contract,
            amount: F.cny(300),
            method: .cash,
            actor: c2,
            occurredAt: F.at("2026-05-01", 7)
        )
        _ = try await crm.recordPayment(
            contract,
            amount: F.cny(7_000),
            method: .wechatPay,
            actor: c1,
            occurredAt: F.at("2026-05-20")
        )

        // Expenses: "Travel" is stored lowercased; "a|b"/"c" and "a"/"b|c" must not merge.
        _ = try await crm.recordExpense(
            category: "Travel",
            item: "train ticket",
            amount: F.cny(350),
            actor: rep,
            occurredAt: F.at("2026-03-03")
        )
        _ = try await crm.recordExpense(
            category: "travel",
            item: "hotel",
            amount: F.cny(480),
            actor: rep,
            occurredAt: F.at("2026-03-15")
        )
        _ = try await crm.recordExpense(
            category: "entertainment",
            item: "client dinner",
            amount: F.cny(900),
            actor: c1,
            occurredAt: F.at("2026-04-08")
        )
        _ = try await crm.recordExpense(
            category: "a|b",
            item: "c",
            amount: F.cny(10),
            actor: rep,
            occurredAt: F.at("2026-04-09")
        )
        _ = try await crm.recordExpense(
            category: "a",
            item: "b|c",
            amount: F.cny(20),
            actor: rep,
            occurredAt: F.at("2026-04-09")
        )

        // Payables: S1's B1 10,000 paid 4,000 then 6,000, B2 3,000 unpaid; S2's 1,000 paid in full.
        let s1 = try await crm.addSupplier(named: "华东钢材", actor: "admin", occurredAt: F.at("2026-01-03"))
        let s2 = try await crm.addSupplier(named: "Acme", actor: "admin", occurredAt: F.at("2026-01-03"))
        let b1 = try await crm.receiveSupplierBill(
            from: s1,
            amount: F.cny(10_000),
            dueAt: F.at("2026-04-30"),
            actor: c1,
            occurredAt: F.at("2026-03-31")
        )
        let b2 = try await crm.receiveSupplierBill(
            from: s1,
            amount: F.cny(3_000),
            dueAt: F.at("2026-05-15"),
            actor: c1,
            occurredAt: F.at("2026-04-15")
        )
        let b3 = try await crm.receiveSupplierBill(
            from: s2,
            amount: F.cny(1_000),
            dueAt: F.at("2026-05-01"),
            actor: c1,
            occurredAt: F.at("2026-04-01")
        )
        try await crm.paySupplier(
            s1,
            billID: b1,
            amount: F.cny(4_000),
            method: .bankTransfer,
            actor: c2,
            occurredAt: F.at("2026-04-10")
        )
        try await crm.paySupplier(
            s1,
            billID: b1,
            amount: F.cny(6_000),
            method: .bankTransfer,
            actor: c2,
            occurredAt: F.at("2026-05-05")
        )
        try await crm.paySupplier(
            s2,
            billID: b3,
            amount: F.cny(1_000),
            method: .cash,
            actor: c2,
            occurredAt: F.at("2026-04-20")
        )
        return History(world: world, rep: rep, c1: c1, c2: c2, s1: s1, s2: s2, b1: b1, b2: b2)
    }

    private func amounts(_ list: [FinanceAmount]) -> [String: [Int64]] {
        Dictionary(uniqueKeysWithValues: list.map { ($0.key, [$0.amount, Int64($0.count)]) })
    }

    @Test("Receipts by method, clerk and month, on the business day in China")
    func receipts() async throws {
        let h = try await Self.history()
        let finance = FinanceQueries(store: try await h.world.readModels([FinanceProjector.self]))

        // Q2: P3 2,000 (c2, bank), P4 300 (c2, cash, May), P5 7,000 (c1, WeChat).
        let q2 = try finance.receipts(period: "2026-Q2")
        #expect(
            amounts(q2.byMethod) == ["bank_transfer": [200_000, 1], "cash": [30_000, 1], "wechat_pay": [700_000, 1]]
        )
        #expect(amounts(q2.byClerk) == [h.c1: [700_000, 1], h.c2: [230_000, 2]])
        #expect(amounts(q2.byMonth) == ["2026-04": [200_000, 1], "2026-05": [730_000, 2]])
        #expect(amounts(q2.totals) == ["": [930_000, 3]] && q2.totals.map(\.currency) == ["CNY"])
        // April alone: P4 at 07:00 on 1 May in Shanghai is not April's, though UTC says 30 April.
        #expect(amounts(try finance.receipts(period: "2026-04").totals) == ["": [200_000, 1]])
        // The year: 1,000 + 500.50 + 2,000 + 300 + 7,000 = 10,800.50.
        let year = try finance.receipts(period: "2026")
        #expect(amounts(year.totals) == ["": [1_080_050, 5]])
        #expect(amounts(year.byMethod)["bank_transfer"] == [300_000, 2])
        await h.world.close()
    }

    @Test("Commission per rep per month, with the rate in force and fractions carried")
    func commission() async throws {
        let h = try await Self.history()
        let finance = FinanceQueries(store: try await h.world.readModels([FinanceProjector.self]))
        let year = try finance.commission(period: "2026")
        // March: 2,500 + 1,251 on 150,050; April: 6,000 on 200,000; May: 900 + 18,598 on
        // 30,000 + 619,950.
        #expect(year.lines.map(\.month) == ["2026-03", "2026-04", "2026-05"])
        #expect(year.lines.map(\.commission) == [3_751, 6_000, 19_498])
        #expect(year.lines.map(\.collected) == [150_050, 200_000, 649_950])
        #expect(year.lines.map(\.payments) == [2, 1, 2])
        // The whole 10,000 collected, 150,050 × 2.5% + 849,950 × 3% = 29,249.75, rounded down.
        #expect(
            year.byRep.map(\.repID) == [h.rep] && year.byRep.map(\.commission) == [29_249]
                && year.byRep.map(\.collected) == [1_000_000]
        )
        #expect(year.totals.map(\.commission) == [29_249])
        #expect(try finance.commission(period: "2026-Q1", rep: h.rep).lines.map(\.commission) == [3_751])
        #expect(try finance.commission(period: "2026", rep: h.c1).lines.isEmpty)
        await h.world.close()
    }

    @Test("Expenses by category, item, month and clerk; a | in a name does not merge groups")
    func expenses() async throws {
        let h = try await Self.history()
        let finance = FinanceQueries(store: try await h.world.readModels([FinanceProjector.self]))
        let q1 = try finance.expenses(period: "2026-Q1")
        #expect(amounts(q1.byCategory) == ["travel": [83_000, 2]])
        #expect(
            q1.byItem.map { "\($0.category)/\($0.item)=\($0.amount)" } == [
                "travel/hotel=48000", "travel/train ticket=35000",
            ]
        )
        #expect(amounts(q1.byMonth) == ["2026-03": [83_000, 2]] && amounts(q1.byClerk) == [h.rep: [83_000, 2]])

        let year = try finance.expenses(period: "2026")
        #expect(
            amounts(year.byCategory) == [
                "a": [2_000, 1], "a|b": [1_000, 1], "entertainment": [90_000, 1], "travel": [83_000, 2],
            ]
        )
        #expect(
            year.byItem.map { "\($0.category)/\($0.item)" } == [
                "a/b|c", "a|b/c", "entertainment/client dinner", "travel/hotel", "travel/train ticket",
            ]
        )
        #expect(amounts(year.byClerk) == [h.c1: [90_000, 1], h.rep: [86_000, 4]])
        #expect(amounts(year.byMonth) == ["2026-03": [83_000, 2], "2026-04": [93_000, 3]])
        #expect(amounts(year.totals) == ["": [176_000, 5]])
        await h.world.close()
    }

    @Test("Payables per supplier: bills, payments and what is outstanding")
    func payables() async throws {
        let h = try await Self.history()
        let finance = FinanceQueries(store: try await h.world.readModels([FinanceProjector.self]))
        let all = Dictionary(uniqueKeysWithValues: try finance.payables().map { ($0.supplierID, $0) })
        // S1: 10,000 + 3,000 billed, 4,000 + 6,000 paid, 3,000 outstanding. S2: settled.
        #expect(
            all[h.s1].map { [$0.bills, Int($0.billed), Int($0.paid), $0.payments, Int($0.outstanding)] } == [
                2, 1_300_000, 1_000_000, 2, 300_000,
            ]
        )
        #expect(
            all[h.s2].map { [$0.bills, Int($0.billed), Int($0.paid), $0.payments, Int($0.outstanding)] } == [
                1, 100_000, 100_000, 1, 0,
            ]
        )
        #expect(all[h.s1]?.name == "华东钢材")

        let s1 = try finance.payables(supplier: h.s1)
        let bills = Dictionary(uniqueKeysWithValues: s1.bills.map { ($0.billID, $0) })
        let (b1, b2) = (try #require(bills[h.b1]), try #require(bills[h.b2]))
        #expect(
            (b1.outstanding, b1.dueOn, b1.receivedOn, b1.lastPaidOn) == (0, "2026-04-30", "2026-03-31", "2026-05-05")
        )
        #expect((b2.outstanding, b2.lastPaidOn) == (300_000, nil))
        #expect(s1.totals.map(\.outstanding) == [300_000])
        await h.world.close()
    }

    @Test("Bad parameters are refused; an unknown supplier is not found")
    func refusals() async throws {
        let h = try await Self.history()
        let finance = FinanceQueries(store: try await h.world.readModels([FinanceProjector.self]))
        for (parameter, call) in [
            ("period", { _ = try finance.receipts(period: "Q1-2026") }),
            ("period", { _ = try finance.expenses(period: "2026-00") }),
            ("period", { _ = try finance.commission(period: "2026-Q") }),
            ("rep", { _ = try finance.commission(period: "2026", rep: "") }),
            ("supplier", { _ = try finance.payables(supplier: "") }),
        ] as [(String, () throws -> Void)] {
            let error = #expect(throws: ReadModelQueryError.self) { try call() }
            #expect(error?.code == .invalidParameter && error?.parameter == parameter, "\(parameter)")
        }
        let unknown = #expect(throws: ReadModelQueryError.self) { try finance.payables(supplier: "nobody") }
        #expect(unknown?.code == .notFound)
        await h.world.close()
    }
}
