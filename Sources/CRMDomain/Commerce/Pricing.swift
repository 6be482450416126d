public import CRMSchema

/// Prices product lines from the product list: quantity × list price, less a discount in
/// basis points, in integer minor units, rounded half up.
public enum Pricing {
    /// A line to price: which product, how many, and the discount.
    public struct LineRequest: Sendable, Hashable {
        public var productID: String
        public var quantity: Int32
        /// 0-10000; 1 basis point is 0.01%.
        public var discountBasisPoints: Int32

        /// `quantity` of `productID` at `discountBasisPoints` off the list price.
        public init(productID: String, quantity: Int32, discountBasisPoints: Int32 = 0) {
            self.productID = productID
            self.quantity = quantity
            self.discountBasisPoints = discountBasisPoints
        }
    }

    /// The most units on one line.
    public static let maxQuantity: Int32 = 1_000_000

    /// A line for `request`, at `product`'s list price.
    ///
    /// - Throws: `product_not_found`; `invalid_value` for a quantity outside 1...``maxQuantity``,
    ///   a discount outside 0-10000 basis points, or a line total above
    ///   ``CRMSchema/CRMMoney/maxMinorUnits``.
    public static func price(_ request: LineRequest, of product: ProductState) throws(DomainError) -> CRMPricedLine {
        try ProductDecisions.requireExists(product)
        guard (1...maxQuantity).contains(request.quantity) else {
            throw DomainError(
                .invalidValue,
                "a line has 1 to \(maxQuantity) units, not \(request.quantity)",
                facts: ["field": "quantity"]
            )
        }
        guard (0...10_000).contains(request.discountBasisPoints) else {
            throw DomainError(
                .invalidValue,
                "a discount is 0 to 10000 basis points, not \(request.discountBasisPoints)",
                facts: ["field": "discount"]
            )
        }
        // The product's price came from the log; one written before the bound is refused here.
        _ = try product.price.validated("price")
        var line = CRMPricedLine()
        (line.productID, line.productName, line.quantity) = (product.productID, product.name, request.quantity)
        (line.unitPrice, line.discountBasisPoints) = (product.price, request.discountBasisPoints)
        let total = try lineTotal(
            quantity: Int64(request.quantity),
            unitPrice: product.price.minorUnits,
            discountBasisPoints: Int64(request.discountBasisPoints)
        )
        line.lineTotal = CRMMoney(minorUnits: total, currency: product.price.currency)
        return line
    }

    /// What a set of lines adds up to.
    public struct Totals: Sendable, Hashable {
        /// Before discounts.
        public var listTotal: CRMMoney
        /// The sum of the line totals.
        public var total: CRMMoney
        /// The overall discount, 1 - total / list total, in basis points rounded down.
        public var discountBasisPoints: Int32
    }

    /// The totals of `lines`.
    ///
    /// The lines may come from the log (a quote's), so each is checked again: a quantity in
    /// 1...``maxQuantity``, a unit price and line total within ``CRMSchema/CRMMoney/maxMinorUnits``,
    /// and a line total no more than quantity × unit price.
    ///
    /// - Throws: `field_required` without lines; `invalid_value` for such a line, lines in
    ///   different currencies, or a list total or total above ``CRMSchema/CRMMoney/maxMinorUnits``.
    public static func totals(_ lines: [CRMPricedLine]) throws(DomainError) -> Totals {
        guard let currency = lines.first?.unitPrice.currency else {
            throw DomainError(.fieldRequired, "at least one line is required", facts: ["field": "lines"])
        }
        var list: Int64 = 0
        var total: Int64 = 0
        for line in lines {
            guard line.unitPrice.currency == currency else {
                throw DomainError(
                    .invalidValue,
                    "all lines must be in \(currency); one is in \(line.unitPrice.currency)",
                    facts: ["field": "lines"]
                )
            }
            guard (1...maxQuantity).contains(line.quantity) else {
                throw DomainError(
                    .invalidValue,
                    "a line has 1 to \(maxQuantity) units, not \(line.quantity)",
                    facts: ["field": "quantity"]
                )
            }
            let unitPrice = try line.unitPrice.validated("unit_price").minorUnits
            let gross = try multiply(Int64(line.quantity), unitPrice, "amount")
            let lineTotal = try line.lineTotal.validated("line_total").minorUnits
            guard lineTotal <= gross else {
                throw DomainError(
                    .invalidValue,
                    "a line total of \(lineTotal) is more than its \(line.quantity) × \(unitPrice)",
                    facts: ["field": "line_total"]
                )
            }
            list = try add(list, gross, "amount")
            total = try add(total, lineTotal, "amount")
        }
        try CRMMoney.requireBounded(list, "amount")
        // 0 <= total <= list <= maxMinorUnits, so the discount is 0-10000 and the product fits.
        let discount = list == 0 ? 0 : Int32((list - total) * 10_000 / list)
        return Totals(
            listTotal: CRMMoney(minorUnits: list, currency: currency),
            total: CRMMoney(minorUnits: total, currency: currency),
            discountBasisPoints: discount
        )
    }

    /// quantity × unit price × (10000 - discount) / 10000, rounded half up.
    ///
    /// The gross quantity × unit price must be within ``CRMSchema/CRMMoney/maxMinorUnits``;
    /// the discount is applied to its whole ten-thousands and its remainder apart, so a line
    /// at the maximum still prices (gross × 10000 would not fit in `Int64`).
    ///
    /// - Throws: `invalid_value` for a gross amount above the maximum.
    static func lineTotal(quantity: Int64, unitPrice: Int64, discountBasisPoints: Int64) throws(DomainError) -> Int64 {
        let gross = try multiply(quantity, unitPrice, "amount")
        try CRMMoney.requireBounded(gross, "amount")
        let factor = 10_000 - discountBasisPoints
        let (whole, rest) = gross.quotientAndRemainder(dividingBy: 10_000)
        return whole * factor + (rest * factor + 5_000) / 10_000
    }

    /// `a × b`, refused with `invalid_value` naming `field` instead of overflowing.
    static func multiply(_ a: Int64, _ b: Int64, _ field: String = "amount") throws(DomainError) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw tooLarge(field) }
        return product
    }

    /// `a + b`, refused with `invalid_value` naming `field` instead of overflowing.
    static func add(_ a: Int64, _ b: Int64, _ field: String = "amount") throws(DomainError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw tooLarge(field) }
        return sum
    }

    private static func tooLarge(_ field: String) -> DomainError {
        DomainError(
            .invalidValue,
            "\(field) is too large: at most \(CRMMoney.maxMinorUnits) minor units",
            facts: ["field": field]
        )
    }
}
