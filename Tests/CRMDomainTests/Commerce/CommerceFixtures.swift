import CRMDomain
import CRMSchema
import Foundation

/// `minorUnits` of `currency`.
func money(_ minorUnits: Int64, _ currency: String = "CNY") -> CRMMoney {
    CRMMoney(minorUnits: minorUnits, currency: currency)
}

/// A product as its stream would fold: added at `price` per unit (and `cost`, by default half
/// of it) in `currency`.
func listed(
    _ id: String = "prod-1",
    name: String = "Widget",
    price: Int64 = 10_000,
    cost: Int64? = nil,
    currency: String = "CNY"
) -> ProductState {
    var state = ProductState(productID: id)
    var added = CRMProductAdded()
    (added.productID, added.sku, added.name, added.unit) = (id, "SKU-\(id.uppercased())", name, "piece")
    (added.price, added.cost) = (money(price, currency), money(cost ?? price / 2, currency))
    state.apply(added)
    return state
}

/// `quantity` units of `product` at `discount` basis points off, priced by ``Pricing``.
func pricedLine(_ product: ProductState, quantity: Int32 = 1, discount: Int32 = 0) throws(DomainError) -> CRMPricedLine
{
    try Pricing.price(
        .init(productID: product.productID, quantity: quantity, discountBasisPoints: discount),
        of: product
    )
}

/// The totals of one line: one unit at `price` in `currency`, `discount` basis points off.
func oneLineTotals(price: Int64, discount: Int32 = 0, currency: String = "CNY") throws(DomainError) -> Pricing.Totals {
    try Pricing.totals([pricedLine(listed(price: price, currency: currency), discount: discount)])
}

/// 2026-03-02 10:00 China time, when the order-to-cash fixtures do business, plus `days`.
func businessDay(_ days: Double = 0) -> Date {
    Date(timeIntervalSince1970: 1_772_416_800 + days * 86_400)
}
