public import CRMSchema
public import SwiftProtobuf

/// One product of the product list, folded from its stream (`product-<id>`).
public struct ProductState: Sendable, Hashable {
    /// The product's id.
    public var productID: String
    /// Whether a `ProductAdded` has been seen.
    public var exists = false
    public var sku = ""
    public var name = ""
    /// The list price per unit in force.
    public var price = CRMMoney()
    /// The cost per unit in force.
    public var cost = CRMMoney()

    /// A product not seen yet.
    public init(productID: String) {
        self.productID = productID
    }

    /// Folds one event of the product's stream.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        switch event {
        case let added as CRMProductAdded:
            exists = true
            (sku, name, price, cost) = (added.sku, added.name, added.price, added.cost)
        case let changed as CRMProductPriceChanged:
            (price, cost) = (changed.price, changed.cost)
        default:
            break
        }
    }
}

/// The product list: add products, change prices.
public enum ProductDecisions {
    /// A new product. The SKU is trimmed and upper-cased; the service keeps it unique.
    ///
    /// - Throws: `field_required` for a blank SKU or name; `invalid_value` for a bad price or
    ///   cost, or one in another currency than the price.
    public static func add(
        id: String,
        sku: String,
        name: String,
        price: CRMMoney,
        cost: CRMMoney,
        unit: String
    ) throws(DomainError) -> CRMProductAdded {
        var event = CRMProductAdded()
        event.productID = id
        event.sku = try required(sku, "sku").uppercased()
        event.name = try required(name, "name")
        (event.price, event.cost) = try validatedPrice(price, cost)
        event.unit = unit.trimmedOfWhitespace()
        return event
    }

    /// A new list price and cost for an existing product.
    ///
    /// - Throws: `product_not_found`; `invalid_value` as for ``add(id:sku:name:price:cost:unit:)``;
    ///   `no_change` when both are as they are.
    public static func changePrice(
        _ product: ProductState,
        price: CRMMoney,
        cost: CRMMoney
    ) throws(DomainError) -> CRMProductPriceChanged {
        try requireExists(product)
        let (price, cost) = try validatedPrice(price, cost)
        guard price != product.price || cost != product.cost else {
            throw DomainError(.noChange, "product \(product.productID) has this price and cost already")
        }
        var event = CRMProductPriceChanged()
        (event.productID, event.price, event.cost) = (product.productID, price, cost)
        return event
    }

    /// Refuses a product that was never added.
    public static func requireExists(_ product: ProductState) throws(DomainError) {
        guard product.exists else {
            throw DomainError(
                .productNotFound,
                "no product \(product.productID)",
                facts: ["product": product.productID]
            )
        }
    }

    private static func validatedPrice(_ price: CRMMoney, _ cost: CRMMoney) throws(DomainError) -> (CRMMoney, CRMMoney)
    {
        let price = try price.validated("price")
        let cost = try cost.validated("cost")
        guard cost.currency == price.currency else {
            throw DomainError(
                .invalidValue,
                "cost is in \(cost.currency) and price in \(price.currency)",
                facts: ["field": "cost"]
            )
        }
        return (price, cost)
    }
}
