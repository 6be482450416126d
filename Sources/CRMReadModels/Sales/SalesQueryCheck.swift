/// Checks and arithmetic the sales queries share.
enum SalesQueryCheck {
    /// Checks an id used in a key (a rep, a campaign): non-empty and without the key separator.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` naming `parameter`.
    static func id(_ id: String, parameter: String) throws(ReadModelQueryError) {
        guard !id.isEmpty, !id.utf8.contains(UInt8(ascii: "|")), !id.utf8.contains(0) else {
            throw ReadModelQueryError.invalid(
                parameter,
                "\(parameter) \"\(id)\" is not an id: it must be non-empty, without \"|\""
            )
        }
    }

    /// `part / whole`; `nil` when `whole` is zero.
    static func ratio(_ part: Int, _ whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }

    /// `amount / count` in whole minor units, rounded half away from zero; `nil` when `count`
    /// is zero.
    static func share(_ amount: Int64, per count: Int64) -> Int64? {
        guard count != 0 else { return nil }
        let (quotient, remainder) = amount.quotientAndRemainder(dividingBy: count)
        guard remainder.magnitude * 2 >= count.magnitude else { return quotient }
        return (amount < 0) != (count < 0) ? quotient - 1 : quotient + 1
    }
}
