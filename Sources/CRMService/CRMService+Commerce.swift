public import CRMDomain
public import CRMSchema
public import EventStore
public import Foundation

/// A product to add to the product list.
public struct NewProduct: Sendable, Hashable {
    /// Unique among products (stored upper-cased).
    public var sku: String
    public var name: String
    /// List price per unit.
    public var price: CRMMoney
    /// Cost per unit, in the price's currency.
    public var cost: CRMMoney
    public var unit = ""

    /// A product; set `unit` as needed.
    public init(sku: String, name: String, price: CRMMoney, cost: CRMMoney) {
        self.sku = sku
        self.name = name
        self.price = price
        self.cost = cost
    }
}

extension CRMService {
    // MARK: - Products

    /// Adds a product; SKUs are unique.
    ///
    /// - Returns: the product's id.
    /// - Throws: `DomainError` as ``ProductDecisions/add(id:sku:name:price:cost:unit:)``,
    ///   and `duplicate_product` naming the product with the SKU.
    public func addProduct(_ product: NewProduct, actor: String, occurredAt: Date? = nil) async throws -> String {
        let context = try context(actor, occurredAt)
        let productID = newID()
        let added = try ProductDecisions.add(
            id: productID,
            sku: product.sku,
            name: product.name,
            price: product.price,
            cost: product.cost,
            unit: product.unit
        )
        try await create(try productStream(productID), added, reserving: "sku:\(added.sku)", context: context) {
            holder in
            DomainError(
                .duplicateProduct,
                "a product with SKU \(added.sku) exists: \(holder)",
                facts: ["existing": holder]
            )
        }
        return productID
    }

    /// Changes a product's list price and cost from the command's business time on.
    @discardableResult
    public func changeProductPrice(
        _ productID: String,
        price: CRMMoney,
        cost: CRMMoney,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnStream(
            try productStream(productID),
            actor: actor,
            occurredAt: occurredAt,
            load: { try await loadProduct(productID) }
        ) { product in
            try ProductDecisions.changePrice(product, price: price, cost: cost)
        }
    }

    /// Prices `requests` from the product list as it is now.
    func priced(_ requests: [Pricing.LineRequest]) async throws -> [CRMPricedLine] {
        var lines: [CRMPricedLine] = []
        for request in requests {
            lines.append(try Pricing.price(request, of: try await loadProduct(request.productID).0))
        }
        return lines
    }

    func loadProduct(_ id: String) async throws -> (ProductState, ExpectedVersion) {
        try await load(try productStream(id), into: ProductState(productID: id)) { product, message, _ in
            product.apply(message)
        }
    }

    // MARK: - Quotes

    /// Quotes an owned customer `lines` priced from the product list, valid until `validUntil`.
    ///
    /// - Returns: the quote's id.
    /// - Throws: `DomainError` as ``Pricing/price(_:of:)`` and
    ///   ``QuoteDecisions/create(id:customer:opportunityID:lines:validUntil:context:)``.
    public func createQuote(
        for customerID: String,
        opportunityID: String = "",
        lines: [Pricing.LineRequest],
        validUntil: Date,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> String {
        let context = try context(actor, occurredAt)
        let quoteID = newID()
        let customer = try await loadCustomer(customerID).0
        let created = try QuoteDecisions.create(
            id: quoteID,
            customer: customer,
            opportunityID: opportunityID,
            lines: try await priced(lines),
            validUntil: validUntil,
            context: context
        )
        _ = try await append(to: try quoteStream(quoteID), expecting: .noStream, [try event(created, context)])
        return quoteID
    }

    /// The customer accepts a quote before it expires.
    @discardableResult
    public func acceptQuote(_ quoteID: String, actor: String, occurredAt: Date? = nil) async throws -> AppendResult {
        let context = try context(actor, occurredAt)
        return try await decideOnStream(
            try quoteStream(quoteID),
            actor: actor,
            occurredAt: occurredAt,
            load: { try await loadQuote(quoteID) }
        ) { quote in
            try QuoteDecisions.accept(quote, context: context)
        }
    }

    /// The customer rejects a quote, with the reason.
    @discardableResult
    public func rejectQuote(
        _ quoteID: String,
        reason: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnStream(
            try quoteStream(quoteID),
            actor: actor,
            occurredAt: occurredAt,
            load: { try await loadQuote(quoteID) }
        ) { quote in
            try QuoteDecisions.reject(quote, reason: reason)
        }
    }

    func loadQuote(_ id: String) async throws -> (QuoteState, ExpectedVersion) {
        try await load(try quoteStream(id), into: QuoteState(quoteID: id)) { quote, message, _ in quote.apply(message) }
    }

    func productStream(_ id: String) throws -> StreamName { try StreamName(category: "product", id: id) }
    func quoteStream(_ id: String) throws -> StreamName { try StreamName(category: "quote", id: id) }
}
