import CRMDomain
import CRMService
import Foundation
import RapportAPI
import Testing

/// Stock and gross margin over HTTP: every reader sees them.
@Suite("Stock over HTTP")
struct StockQueryTests {
    @Test("products a page at a time, one product's months, the margin of a period")
    func stock() async throws {
        let (server, staff) = try await RunningServer.staffed("stock") { crm, staff in
            for sku in ["a", "b", "c"] {
                staff.ids[sku] = try await crm.addProduct(
                    NewProduct(sku: sku, name: "Product \(sku)", price: yuan(100), cost: yuan(40)),
                    actor: "setup",
                    occurredAt: ReportTime.at("2026-01-02")
                )
            }
            let supplier = try await crm.addSupplier(
                named: "Parts Co",
                actor: "setup",
                occurredAt: ReportTime.at("2026-01-02")
            )
            let order = try await crm.orderFromSupplier(
                supplier,
                [.init(productID: staff["a"], quantity: 10), .init(productID: staff["b"], quantity: 5)],
                actor: staff["admin"],
                occurredAt: ReportTime.at("2026-06-30")
            )
            try await crm.receiveGoods(
                order,
                [.init(productID: staff["a"], quantity: 10), .init(productID: staff["b"], quantity: 5)],
                actor: staff["admin"],
                occurredAt: ReportTime.at("2026-07-01")
            )
            var customer = NewCustomer(name: "Buyer Ltd")
            customer.ownerID = staff["rep"]
            let buyer = try await crm.createCustomer(customer, actor: "setup", occurredAt: ReportTime.at("2026-07-01"))
            let contract = try await crm.draftContract(
                for: buyer,
                lines: [.init(productID: staff["a"], quantity: 4)],
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-07-02")
            )
            _ = try await crm.shipGoods(
                of: contract,
                [.init(productID: staff["a"], quantity: 4)],
                actor: staff["admin"],
                occurredAt: ReportTime.at("2026-07-03")
            )
        }
        let (manager, finance) = (try server.client(as: "manager", staff), try server.client(as: "finance", staff))
        let first = try await manager.products(query: .init(limit: 2)).ok.body.json
        let next = try #require(first.next, "\(first)")
        let second = try await manager.products(query: .init(after: next, limit: 2)).ok.body.json
        let (firstIDs, secondIDs) = (first.products.compactMap(\.productID), second.products.compactMap(\.productID))
        #expect(firstIDs.count == 2 && secondIDs.count == 1)
        #expect(Set(firstIDs + secondIDs) == [staff["a"], staff["b"], staff["c"]], "two pages, no overlap, no gap")
        #expect(second.next == nil)
        let inStock = try await manager.products(query: .init(inStock: true)).ok.body.json
        #expect(
            Dictionary(uniqueKeysWithValues: inStock.products.map { ($0.productID ?? "", $0.onHand ?? 0) }) == [
                staff["a"]: 6, staff["b"]: 5,
            ]
        )

        let product = try await finance.product(path: .init(product: staff["a"])).ok.body.json
        #expect((product.onHand, product.total?.shippedQuantity) == (6, 4), "\(product)")
        #expect(product.months?.compactMap(\.month) == ["2026-07"])

        let margin = try await server.client(as: "auditor", staff).margin(query: .init(period: "2026-Q3")).ok.body.json
        let sold = try #require(margin.products?.first { $0.productID == staff["a"] }, "\(margin)")
        let figures = sold.figures
        #expect(
            (figures?.revenue, figures?.costOfGoodsShipped, figures?.grossMargin) == (40_000, 16_000, 24_000)
        )
        #expect(figures?.marginBasisPoints == 6_000)

        let subscriber = try server.client(as: "subscriber", staff)
        let subscriberProducts = try await subscriber.products()
        #expect((try? subscriberProducts.forbidden) != nil, "\(subscriberProducts)")
        let subscriberMargin = try await subscriber.margin(query: .init(period: "2026"))
        #expect(try subscriberMargin.forbidden.body.json.value1.error.code == "forbidden", "\(subscriberMargin)")
        // Cost prices and margin are not for reps, who quote from the price list.
        let rep = try server.client(as: "rep", staff)
        let repProducts = try await rep.products()
        #expect(try repProducts.forbidden.body.json.value1.error.code == "forbidden", "\(repProducts)")
        let repProduct = try await rep.product(path: .init(product: staff["a"]))
        #expect(try repProduct.forbidden.body.json.value1.error.code == "forbidden", "\(repProduct)")
        let repMargin = try await rep.margin(query: .init(period: "2026-Q3"))
        #expect(try repMargin.forbidden.body.json.value1.error.code == "forbidden", "\(repMargin)")
        let nope = try await finance.product(path: .init(product: "nope"))
        #expect(try nope.notFound.body.json.error.code == "not_found", "\(nope)")
        let unknownAfter = try await manager.products(query: .init(after: "nope"))
        #expect(try unknownAfter.badRequest.body.json.error.code == "invalid_query_parameter", "\(unknownAfter)")
        let week = try await manager.margin(query: .init(period: "2026-W27"))
        #expect(try week.badRequest.body.json.error.code == "invalid_query_parameter", "\(week)")
        // Hand-built: the spec makes `inStock` a boolean and `period` required, so the typed client cannot send
        // `yes` as the one or leave the other out.
        for path in ["products?inStock=yes", "margin"] {
            #expect(
                try await server.get("/v1/stock/\(path)", as: "manager", staff).json.errorCode
                    == "invalid_query_parameter",
                "\(path)"
            )
        }
        try await server.stop()
    }
}
