import CRMDomain
import CRMService
import Foundation
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
        func ids(_ json: [String: Any]) -> [String] {
            json.objects("products").compactMap { $0["productID"] as? String }
        }
        let first = try await server.get("/v1/stock/products?limit=2", as: "manager", staff)
        #expect(first.status == 200, "\(first.json)")
        let next = try #require(first.json["next"] as? String)
        let second = try await server.get("/v1/stock/products?limit=2&after=\(next)", as: "manager", staff)
        #expect(ids(first.json).count == 2 && ids(second.json).count == 1)
        #expect(
            Set(ids(first.json) + ids(second.json)) == [staff["a"], staff["b"], staff["c"]],
            "two pages, no overlap, no gap"
        )
        #expect(second.json["next"] == nil)
        let inStock = try await server.get("/v1/stock/products?inStock=true", as: "manager", staff)
        #expect(
            Dictionary(
                uniqueKeysWithValues: inStock.json.objects("products").map {
                    ($0["productID"] as? String ?? "", $0.int("onHand") ?? 0)
                }
            ) == [staff["a"]: 6, staff["b"]: 5]
        )

        let product = try await server.get("/v1/stock/products/\(staff["a"])", as: "finance", staff)
        #expect(product.status == 200, "\(product.json)")
        #expect((product.json.int("onHand"), product.json.object("total").int("shippedQuantity")) == (6, 4))
        #expect(product.json.objects("months").compactMap { $0["month"] as? String } == ["2026-07"])

        let margin = try await server.get("/v1/stock/margin?period=2026-Q3", as: "auditor", staff)
        let sold = try #require(margin.json.objects("products").first { $0["productID"] as? String == staff["a"] })
        let figures = sold.object("figures")
        #expect(
            (figures.int("revenue"), figures.int("costOfGoodsShipped"), figures.int("grossMargin")) == (
                40_000, 16_000, 24_000
            )
        )
        #expect(figures.int("marginBasisPoints") == 6_000)

        #expect(try await server.get("/v1/stock/products", as: "subscriber", staff).status == 403)
        #expect(
            try await server.get("/v1/stock/margin?period=2026", as: "subscriber", staff).json.errorCode == "forbidden"
        )
        // Cost prices and margin are not for reps, who quote from the price list.
        for path in ["products", "products/\(staff["a"])", "margin?period=2026-Q3"] {
            let rep = try await server.get("/v1/stock/\(path)", as: "rep", staff)
            #expect(rep.status == 403 && rep.json.errorCode == "forbidden", "\(path): \(rep.json)")
        }
        #expect(try await server.get("/v1/stock/products/nope", as: "finance", staff).json.errorCode == "not_found")
        for path in ["products?after=nope", "products?inStock=yes", "margin?period=2026-W27", "margin"] {
            #expect(
                try await server.get("/v1/stock/\(path)", as: "manager", staff).json.errorCode
                    == "invalid_query_parameter",
                "\(path)"
            )
        }
        try await server.stop()
    }
}
