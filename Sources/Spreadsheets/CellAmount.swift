/// Amounts as spreadsheets write them: `¥1,234.50`, `RMB 1,234.5`, `1234`, `-12.30`,
/// `(12.30)` for a negative, `₩ 15,000`, `12.30元`, full-width digits and commas.
public enum CellAmount {
    /// Signs and codes that may stand before or after the number.
    static let currencyMarks = ["¥", "￥", "$", "US$", "€", "£", "₩", "元", "RMB", "CNY", "USD", "KRW", "EUR", "원"]

    /// The amount in `text` in minor units of a currency with `decimals` digits after the
    /// point (2 for yuan, 0 for won).
    ///
    /// - Throws: ``SpreadsheetError`` `invalid_amount` for anything that is not one number,
    ///   for thousands separators out of place, for more decimals than the currency has (an
    ///   amount is not rounded silently) and for amounts beyond `maximum` minor units.
    public static func minorUnits(
        _ text: String,
        decimals: Int = 2,
        maximum: Int64 = 1_000_000_000_000_000
    ) throws(SpreadsheetError) -> Int64 {
        func invalid(_ why: String) -> SpreadsheetError {
            SpreadsheetError(.invalidAmount, "\"\(text)\" is not an amount: \(why)")
        }
        guard (0...6).contains(decimals) else { throw invalid("a currency has 0 to 6 decimals") }
        var rest = Substring(String(text.map(Self.halfWidth)).trimmingSpaces())
        var negative = false
        if rest.hasPrefix("("), rest.hasSuffix(")") {
            (negative, rest) = (true, rest.dropFirst().dropLast())
        }
        if rest.hasPrefix("-") {
            guard !negative else { throw invalid("a minus inside parentheses: one sign or the other") }
            (negative, rest) = (true, rest.dropFirst())
        }
        for mark in currencyMarks.sorted(by: { $0.count > $1.count }) {
            if rest.hasPrefix(mark) {
                rest = rest.dropFirst(mark.count)
            } else if rest.hasSuffix(mark) {
                rest = rest.dropLast(mark.count)
            }
        }
        rest = Substring(String(rest).trimmingSpaces())
        if rest.hasPrefix("-"), !negative { (negative, rest) = (true, rest.dropFirst()) }
        guard !rest.isEmpty else { throw invalid("there is no number") }

        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw invalid("more than one decimal point") }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw invalid("the decimals are not digits") }
        guard fraction.count <= decimals else {
            throw invalid("more than \(decimals) decimals; amounts are not rounded")
        }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard !whole.isEmpty, groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            groups.count == 1 || (groups[0].count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 })
        else { throw invalid("expected digits, with thousands separated by commas") }

        let digits = groups.joined() + fraction + String(repeating: "0", count: decimals - fraction.count)
        let significant = digits.drop { $0 == "0" }
        guard significant.count <= 18, let value = Int64(significant.isEmpty ? "0" : String(significant)),
            value <= maximum
        else { throw invalid("beyond the largest amount, \(maximum) minor units") }
        return negative ? -value : value
    }

    /// Full-width digits, comma, point and minus (what Chinese input methods type) as ASCII.
    private static func halfWidth(_ character: Character) -> Character {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
            (0xFF0C...0xFF19).contains(scalar.value)
        else { return character }
        return Character(Unicode.Scalar(UInt8(scalar.value - 0xFEE0)))
    }
}
