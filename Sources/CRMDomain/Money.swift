public import CRMSchema

extension CRMMoney {
    /// The largest amount a command may carry, in minor units: 10^15, ten trillion yuan in
    /// fen. Far above any real contract, and far enough below `Int64.max` (about 9.2 × 10^18)
    /// that the read models can add up thousands of such amounts without leaving `Int64`.
    public static let maxMinorUnits: Int64 = 1_000_000_000_000_000

    /// An amount of `minorUnits` in `currency` (an ISO 4217 code such as "CNY").
    public init(minorUnits: Int64, currency: String) {
        self.init()
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// The amount, if it is in 0...``maxMinorUnits`` and its currency is three capital letters.
    ///
    /// - Throws: `invalid_value` naming `field`.
    public func validated(_ field: String) throws(DomainError) -> CRMMoney {
        let isCode =
            currency.utf8.count == 3
            && currency.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
        guard isCode, minorUnits >= 0 else {
            throw DomainError(
                .invalidValue,
                "\(field) needs a non-negative amount and an ISO 4217 currency code such as CNY; got \(minorUnits) \"\(currency)\"",
                facts: ["field": field]
            )
        }
        try Self.requireBounded(minorUnits, field)
        return self
    }

    /// Refuses a sum or product of amounts above ``maxMinorUnits``.
    ///
    /// - Throws: `invalid_value` naming `field`.
    static func requireBounded(_ minorUnits: Int64, _ field: String) throws(DomainError) {
        guard minorUnits <= maxMinorUnits else {
            throw DomainError(
                .invalidValue,
                "\(field) is at most \(maxMinorUnits) minor units; got \(minorUnits)",
                facts: ["field": field]
            )
        }
    }
}
