import CRMDomain

/// Goods in and out of one product, in one month or in total, with their money.
struct StockFlowRow: Codable, Sendable {
    var receivedQuantity: Int64 = 0
    /// What the received goods cost at their purchase orders' unit costs.
    var receivedCost: Int64 = 0
    var shippedQuantity: Int64 = 0
    /// The shipped goods at their contract lines' prices.
    var revenue: Int64 = 0
    /// The shipped goods at the weighted-average purchase cost.
    var costOfGoods: Int64 = 0

    mutating func add(_ other: StockFlowRow) {
        receivedQuantity.saturatingIncrement(by: other.receivedQuantity)
        receivedCost.saturatingIncrement(by: other.receivedCost)
        shippedQuantity.saturatingIncrement(by: other.shippedQuantity)
        revenue.saturatingIncrement(by: other.revenue)
        costOfGoods.saturatingIncrement(by: other.costOfGoods)
    }
}

/// A product: what it is, its stock, the value of that stock at cost, and its flows.
struct StockProductRow: Codable, Sendable {
    var productID: String
    var sku: String = ""
    var name: String = ""
    var unit: String = ""
    var currency: String = ""
    /// The product list's cost per unit: what goods shipped with no purchase cost on record
    /// are costed at.
    var listCost: Int64 = 0
    /// On hand as its stock stream says (``CRMStockChanged``).
    var onHand: Int64 = 0
    /// Units received at a purchase cost and not yet shipped.
    var costedQuantity: Int64 = 0
    /// What those units cost: the weighted average's numerator.
    var stockValue: Int64 = 0
    var total = StockFlowRow()
}

/// One month's flows of one product.
struct StockMonthRow: Codable, Sendable {
    var month: String
    var productID: String
    var flow = StockFlowRow()
}

/// A purchase order line's unit cost.
struct StockPurchaseCostRow: Codable, Sendable {
    var unitCost: Int64
}

/// A contract's line of one product: what it sells it for, and how much has been shipped.
struct StockContractLineRow: Codable, Sendable {
    var quantity: Int64
    var total: Int64
    var shipped: Int64 = 0
}
