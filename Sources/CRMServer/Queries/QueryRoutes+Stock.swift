import CRMReadModels
import Hummingbird

/// Stock and gross margin per product: cost prices, stock value and margin, for admins,
/// managers, finance and auditors; never reps, who quote from the price list.
extension QueryRoutes {
    func addStock(to router: some RouterMethods<RapportRequestContext>) {
        router.get("v1/stock/products", use: products)
        router.get("v1/stock/products/:product", use: product)
        let stock = StockQueries(store: store)
        // `?period=`: revenue, cost of goods shipped and gross margin per product in a month,
        // quarter or year, with totals per currency.
        router.get("v1/stock/margin", use: periodReport { try stock.margin(period: $0) })
    }

    /// `GET /v1/stock/products?inStock=&after=&limit=`: every product's stock on hand, value
    /// and totals (without months), by product id, a page at a time (`next` is a product id);
    /// `inStock=true` keeps the products with stock on hand.
    @Sendable func products(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        let query = QueryParameters(request)
        var all = try StockQueries(store: store).products()
        if try query.optional("inStock", as: Bool.self) == true { all = all.filter { $0.onHand > 0 } }
        let (after, limit) = try query.page()
        return try .encoded(try ListPage("products", all, key: \.productID, after: after, limit: limit))
    }

    /// `GET /v1/stock/products/{product}`: one product's stock, totals and months; 404
    /// `not_found` for a product the read model does not know.
    @Sendable func product(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        return try .encoded(try StockQueries(store: store).product(id: try context.parameters.require("product")))
    }
}
