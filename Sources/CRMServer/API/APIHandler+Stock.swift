import CRMReadModels
import RapportAPI

/// Stock and gross margin per product: cost prices, stock value and margin, for admins,
/// managers, finance and auditors; never reps, who quote from the price list.
extension APIHandler {
    private var stock: StockQueries { StockQueries(store: reads) }

    /// Every product's stock on hand, value and totals (without months), by product id, a
    /// page at a time (`next` is a product id); `inStock=true` keeps those with stock on hand.
    func products(_ input: Operations.Products.Input) async throws -> Operations.Products.Output {
        let query = input.query
        var all = try stock.products()
        if query.inStock == true { all = all.filter { $0.onHand > 0 } }
        let page = try ListPage(all, key: \.productID, after: query.after, limit: query.limit)
        return .ok(.init(body: .json(.init(products: try answer(page.items), next: page.next))))
    }

    /// One product's stock, totals and months; 404 `not_found` for a product the read model
    /// does not know.
    func product(_ input: Operations.Product.Input) async throws -> Operations.Product.Output {
        .ok(.init(body: .json(try answer(stock.product(id: input.path.product)))))
    }

    /// Revenue, cost of goods shipped and gross margin per product in a period, with totals
    /// per currency.
    func margin(_ input: Operations.Margin.Input) async throws -> Operations.Margin.Output {
        .ok(.init(body: .json(try answer(stock.margin(period: input.query.period)))))
    }
}
