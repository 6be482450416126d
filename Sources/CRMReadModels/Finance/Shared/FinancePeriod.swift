/// A reporting period of the finance read models: a month `yyyy-mm`, a quarter `yyyy-Qn` or a
/// year `yyyy`, as sales targets name them.
///
/// Read models store figures by month; a quarter or a year is the sum of its months, added up
/// when queried.
struct FinancePeriod: Hashable, Sendable {
    /// The period as written.
    let name: String
    /// Its months, `yyyy-mm`, in order.
    let months: [String]

    /// Parses `text`.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` naming `parameter` when
    ///   `text` is none of `yyyy`, `yyyy-mm` (01-12) or `yyyy-Qn` (1-4).
    init(_ text: String, parameter: String = "period") throws(ReadModelQueryError) {
        let refusal = ReadModelQueryError.invalid(
            parameter,
            "\(parameter) is a month (2026-11), a quarter (2026-Q4) or a year (2026), not \"\(text)\""
        )
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count,
                bytes[range].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            else { return nil }
            return bytes[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        guard bytes.count >= 4, number(0..<4) != nil else { throw refusal }
        let yearText = String(text.prefix(4))
        let first: Int
        let count: Int
        switch bytes.count {
        case 4:
            (first, count) = (1, 12)
        case 7 where bytes[4] == UInt8(ascii: "-") && bytes[5] == UInt8(ascii: "Q"):
            guard let quarter = number(6..<7), (1...4).contains(quarter) else { throw refusal }
            (first, count) = (quarter * 3 - 2, 3)
        case 7 where bytes[4] == UInt8(ascii: "-"):
            guard let month = number(5..<7), (1...12).contains(month) else { throw refusal }
            (first, count) = (month, 1)
        default:
            throw refusal
        }
        name = text
        months = (first..<(first + count)).map { "\(yearText)-\($0 < 10 ? "0" : "")\($0)" }
    }
}
