/// Goods received and shipped, with their cost, revenue and gross margin.
public struct MarginFigures: Codable, Sendable, Hashable {
    /// Units received.
    public var receivedQuantity: Int64
    /// What they cost at their purchase orders' unit costs.
    public var receivedCost: Int64
    /// Units shipped.
    public var shippedQuantity: Int64
    /// What they were sold for, at their contract lines' prices.
    public var revenue: Int64
    /// What they cost, at the weighted-average purchase cost when shipped.
    public var costOfGoodsShipped: Int64
    /// `revenue - costOfGoodsShipped`.
    public var grossMargin: Int64
    /// `grossMargin × 10000 / revenue`, rounded toward zero; `nil` without revenue.
    public var marginBasisPoints: Int?
}

/// One product's stock and margin.
public struct ProductStock: Codable, Sendable, Hashable {
    /// The product.
    public var productID: String
    /// Its SKU.
    public var sku: String
    /// Its name.
    public var name: String
    /// Its unit ("set", "licence", ...).
    public var unit: String
    /// The currency of its amounts.
    public var currency: String
    /// Units on hand, as its stock stream says.
    public var onHand: Int64
    /// What the units in stock cost, at the weighted average.
    public var stockValue: Int64
    /// `stockValue` per unit in stock, rounded half up; `nil` with none in stock.
    public var averageUnitCost: Int64?
    /// Everything received and shipped.
    public var total: MarginFigures
    /// Per month with any movement, in order (only from ``StockQueries/product(id:)``).
    public var months: [MonthMargin]
}

/// One month's figures.
public struct MonthMargin: Codable, Sendable, Hashable {
    /// `yyyy-mm`.
    public var month: String
    /// Its figures.
    public var figures: MarginFigures
}

/// One product's figures in a period.
public struct ProductMargin: Codable, Sendable, Hashable {
    /// The product.
    public var productID: String
    /// Its SKU.
    public var sku: String
    /// Its name.
    public var name: String
    /// The currency of its amounts.
    public var currency: String
    /// Its figures.
    public var figures: MarginFigures
}

/// Gross margin per product in a period, and per currency.
public struct StockMarginReport: Codable, Sendable, Hashable {
    /// The period asked about.
    public var period: String
    /// Products with any movement in the period, by product id.
    public var products: [ProductMargin]
    /// Per currency (the products' figures added up; `productID`, `sku` and `name` empty).
    public var totals: [ProductMargin]
}
