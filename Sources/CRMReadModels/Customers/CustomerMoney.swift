import CRMDomain

/// An amount of money in the customer read models: integer minor units (fen, cents) and an
/// ISO 4217 currency code, never floating point.
public struct CustomerMoney: Codable, Sendable, Hashable {
    /// Minor units.
    public var minorUnits: Int64
    /// The currency code.
    public var currency: String

    /// `minorUnits` of `currency`.
    public init(minorUnits: Int64, currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }
}

extension [CustomerMoney] {
    /// Adds `minorUnits` of `currency` to the total in that currency, keeping the totals sorted
    /// by currency so that equal states encode to equal bytes.
    mutating func add(_ minorUnits: Int64, _ currency: String) {
        if let index = firstIndex(where: { $0.currency == currency }) {
            self[index].minorUnits.saturatingIncrement(by: minorUnits)
        } else {
            let index = firstIndex { $0.currency > currency } ?? endIndex
            insert(CustomerMoney(minorUnits: minorUnits, currency: currency), at: index)
        }
    }
}
