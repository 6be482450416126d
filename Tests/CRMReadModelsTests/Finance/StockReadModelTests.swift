import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import Projections
import Testing

@Suite("Stock and margin: weighted-average cost, line-price revenue")
struct StockReadModelTests {
    typealias F = FinanceFixtures

    struct History {
        let world: CRMWorld
        let g: String, odd: String
    }

    /// Product G (price 500, cost 200, then 230 from 03-10) and ODD (price 123.45, cost 50), in
    /// fen:
    ///
    /// | day   | movement                 | revenue                     | cost of goods              | G in stock   |
    /// | 03-03 | PO1 in: 10 G @ 20,000    |                             |                            | 10 / 200,000 |
    /// | 03-03 | PO1 in: 3 ODD @ 5,000    |                             |                            |              |
    /// | 03-05 | KA out: 4 G (4 × 50,000) | 200,000                     | 200,000 × 4/10 = 80,000    | 6 / 120,000  |
    /// | 03-05 | KD out: 1 of 3 ODD       | ⌊33,332 × 1/3⌋ = 11,110     | 15,000 × 1/3 = 5,000       |              |
    /// | 03-12 | PO2 in: 20 G @ 23,000    |                             |                            | 26 / 580,000 |
    /// | 03-20 | KB out: 7 G at 10% off   | 7 × 45,000 = 315,000        | 580,000 × 7/26 ≈ 156,154   | 19 / 423,846 |
    /// | 04-02 | KC out: 5 of 19 G        | ⌊950,000 × 5/19⌋ = 250,000  | 423,846 × 5/19 ≈ 111,538   | 14 / 312,308 |
    /// | 04-03 | KC out: the other 14 G   | 950,000 − 250,000 = 700,000 | 312,308 (all that is left) | 0 / 0        |
    /// | 04-05 | KD out: the other 2 ODD  | 33,332 − 11,110 = 22,222    | 10,000                     |              |
    ///
    /// (580,000 × 7/26 = 156,153.8 and 423,846 × 5/19 = 111,538.4, rounded half up.)
    ///
    /// KD's line: 3 × 12,345 × 90% = 33,331.5, rounded half up to 33,332.
    static func history() async throws -> History {
        let world = try CRMWorld.finance("stock")
        let crm = world.crm
        let rep = try await world.user("rep")
        let g = try await world.product("G", price: 500, cost: 200)
        let odd = try await crm.addProduct(
            NewProduct(sku: "ODD", name: "Odd", price: F.fen(12_345), cost: F.cny(50)),
            actor: "admin",
            occurredAt: F.at("2026-01-02")
        )
        let supplier = try await crm.addSupplier(named: "Supplier", actor: "admin", occurredAt: F.at("2026-01-03"))
        let customer = try await world.ownedCustomer("客户", owner: rep)
        let ka = try await world.contract(customer, rep: rep, [.init(productID: g, quantity: 4)], on: "2026-03-02")
        let kb = try await world.contract(
            customer,
            rep: rep,
            [.init(productID: g, quantity: 7, discountBasisPoints: 1_000)],
            on: "2026-03-02"
        )
        let kc = try await world.contract(customer, rep: rep, [.init(productID: g, quantity: 19)], on: "2026-03-02")
        let kd = try await world.contract(
            customer,
            rep: rep,
            [.init(productID: odd, quantity: 3, discountBasisPoints: 1_000)],
            on: "2026-03-02"
        )

        let po1 = try await crm.orderFromSupplier(
            supplier,
            [.init(productID: g, quantity: 10), .init(productID: odd, quantity: 3)],
            actor: "buyer",
            occurredAt: F.at("2026-03-01")
        )
        try await crm.receiveGoods(
            po1,
            [.init(productID: g, quantity: 10), .init(productID: odd, quantity: 3)],
            actor: "warehouse",
            occurredAt: F.at("2026-03-03")
        )
        _ = try await crm.shipGoods(
            of: ka,
            [.init(productID: g, quantity: 4)],
            actor: "warehouse",
            occurredAt: F.at("2026-03-05")
        )
        _ = try await crm.shipGoods(
            of: kd,
            [.init(productID: odd, quantity: 1)],
            actor: "warehouse",
            occurredAt: F.at("2026-03-05", 11)
        )
        try await crm.changeProductPrice(
            g,
            price: F.cny(500),
            cost: F.cny(230),
            actor: "admin",
            occurredAt: F.at("2026-03-10")
        )
        let po2 = try await crm.orderFromSupplier(
            supplier,
            [.init(productID: g, quantity: 20)],
            actor: "buyer",
            occurredAt: F.at("2026-03-11")
        )
        try await crm.receiveGoods(
            po2,
            [.init(productID: g, quantity: 20)],
            actor: "warehouse",
            occurredAt: F.at("2026-03-12")
        )
        _ = try await crm.shipGoods(
            of: kb,
            [.init(productID: g, quantity: 7)],
            actor: "warehouse",
            occurredAt: F.at("2026-03-20")
        )
        _ = try await crm.shipGoods(
            of: kc,
            [.init(productID: g, quantity: 5)],
            actor: "warehouse",
            occurredAt: F.at("2026-04-02")
        )
        _ = try await crm.shipGoods(
            of: kc,
            [.init(productID: g, quantity: 14)],
            actor: "warehouse",
            occurredAt: F.at("2026-04-03")
        )
        _ = try await crm.shipGoods(
            of: kd,
            [.init(productID: odd, quantity: 2)],
            actor: "warehouse",
            occurredAt: F.at("2026-04-05")
        )
        return History(world: world, g: g, odd: odd)
    }

    /// received quantity, received cost, shipped quantity, revenue, cost of goods, margin, bp.
    private func row(_ figures: MarginFigures) -> [Int64?] {
        [
            figures.receivedQuantity, figures.receivedCost, figures.shippedQuantity, figures.revenue,
            figures.costOfGoodsShipped,
            figures.grossMargin, figures.marginBasisPoints.map(Int64.init),
        ]
    }

    @Test("Per product and month: weighted-average cost of goods, revenue at line prices, margin in basis points")
    func products() async throws {
        let h = try await Self.history()
        let stock = StockQueries(store: try await h.world.readModels([StockProjector.self]))

        // G: 30 in for 660,000; 30 out for 1,465,000 at a cost of 80,000 + 156,154 + 111,538 +
        // 312,308 = 660,000, exactly what was paid. Margin 805,000: 805,000 × 10,000 / 1,465,000 =
        // 5,494.9 → 5,494 bp. Nothing left in stock, worth nothing.
        let g = try stock.product(id: h.g)
        #expect(row(g.total) == [30, 660_000, 30, 1_465_000, 660_000, 805_000, 5_494])
        #expect((g.onHand, g.stockValue, g.averageUnitCost) == (0, 0, nil))
        #expect((g.sku, g.name, g.currency) == ("G", "Product G", "CNY"))
        // March: 515,000 - 236,154 = 278,846 (5,414.5 → 5,414 bp); April: 950,000 - 423,846 =
        // 526,154 (5,538.5 → 5,538 bp).
        #expect(g.months.map(\.month) == ["2026-03", "2026-04"])
        #expect(
            g.months.map { row($0.figures) } == [
                [30, 660_000, 11, 515_000, 236_154, 278_846, 5_414],
                [0, 0, 19, 950_000, 423_846, 526_154, 5_538],
            ]
        )
        // ODD: 33,332 - 15,000 = 18,332 (5,499.8 → 5,499 bp).
        let odd = try stock.product(id: h.odd)
        #expect(row(odd.total) == [3, 15_000, 3, 33_332, 15_000, 18_332, 5_499])
        #expect(odd.months.map { $0.figures.revenue } == [11_110, 22_222])
        #expect(Set(try stock.products().map(\.productID)) == [h.g, h.odd])
        await h.world.close()
    }

    @Test("Margin of a period across products; stock and average cost in the middle of the story")
    func periods() async throws {
        let h = try await Self.history()
        let stock = StockQueries(store: try await h.world.readModels([StockProjector.self]))
        // Q1: G's March and ODD's March. Revenue 515,000 + 11,110 = 526,110, cost 236,154 + 5,000 =
        // 241,154, margin 284,956: 5,416.3 → 5,416 bp.
        let q1 = try stock.margin(period: "2026-Q1")
        #expect(q1.products.map(\.productID).sorted() == [h.g, h.odd].sorted())
        #expect(q1.totals.map { row($0.figures) } == [[33, 675_000, 12, 526_110, 241_154, 284_956, 5_416]])
        #expect(q1.totals.map(\.currency) == ["CNY"])
        let may = try stock.margin(period: "2026-05")
        #expect(may.products.isEmpty && may.totals.isEmpty)

        // At the end of 03-20: 19 G in stock worth 423,846, 22,307.6 → 22,308 each on average.
        let then = StockQueries(
            store: try await h.world.readModels([StockProjector.self], asOf: .occurredTime(F.endOf("2026-03-20")))
        )
        let g = try then.product(id: h.g)
        #expect((g.onHand, g.stockValue, g.averageUnitCost) == (19, 423_846, 22_308))

        for (parameter, call) in [
            ("period", { _ = try stock.margin(period: "2026-Q9") }),
            ("id", { _ = try stock.product(id: "") }),
        ] as [(String, () throws -> Void)] {
            let error = #expect(throws: ReadModelQueryError.self) { try call() }
            #expect(error?.code == .invalidParameter && error?.parameter == parameter)
        }
        let unknown = #expect(throws: ReadModelQueryError.self) { try stock.product(id: "nothing") }
        #expect(unknown?.code == .notFound)
        await h.world.close()
    }
}
