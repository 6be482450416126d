public import CRMSchema

extension CRMMoney {
    /// An amount of `minorUnits` in `currency` (an ISO 4217 code such as "CNY").
    public init(minorUnits: Int64, currency: String) {
        self.init()
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// The amount, if it is not negative and its currency is three capital letters.
    ///
    /// - Throws: `invalid_value` naming `field`.
    public func validated(_ field: String) throws(DomainError) -> CRMMoney {
        let isCode = currency.utf8.count == 3 && currency.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
        guard isCode, minorUnits >= 0 else {
            throw DomainError(
                .invalidValue,
                "\(field) needs a non-negative amount and an ISO 4217 currency code such as CNY; got \(minorUnits) \"\(currency)\"",
                facts: ["field": field]
            )
        }
        return self
    }
}
