/// A period a sales query covers: a month (`2026-03`), a quarter (`2026-Q1`) or a year
/// (`2026`), as the months it spans.
///
/// The sales read models store months; quarters and years are summed from them when asked.
public struct SalesPeriod: Sendable, Hashable, CustomStringConvertible {
    /// The period as asked for.
    public let text: String
    /// The months it spans, `yyyy-mm`, in order.
    public let months: [String]

    /// Parses `yyyy`, `yyyy-Qn` or `yyyy-mm`.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` naming `parameter` for
    ///   anything else (a month 13, a quarter 5, a two-digit year, text).
    public init(_ text: String, parameter: String = "period") throws(ReadModelQueryError) {
        let refusal = ReadModelQueryError.invalid(
            parameter,
            "\(parameter) \"\(text)\" is not a month (2026-03), a quarter (2026-Q1) or a year (2026)"
        )
        let bytes = Array(text.utf8)
        guard bytes.count >= 4, let year = SalesPeriod.number(bytes[0..<4]), year >= 1 else { throw refusal }
        switch bytes.count {
        case 4:
            months = SalesCalendar.months(from: (year, 1), through: (year, 12))
        case 7 where bytes[4] == UInt8(ascii: "-") && bytes[5] == UInt8(ascii: "Q"):
            guard let quarter = SalesPeriod.number(bytes[6..<7]), (1...4).contains(quarter) else { throw refusal }
            months = SalesCalendar.months(from: (year, quarter * 3 - 2), through: (year, quarter * 3))
        case 7 where bytes[4] == UInt8(ascii: "-"):
            months = [try SalesPeriod.month(text, parameter: parameter)]
        default:
            throw refusal
        }
        self.text = text
    }

    /// The period as asked for.
    public var description: String { text }

    /// Checks a month, `yyyy-mm`, and returns it.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` naming `parameter`.
    static func month(_ text: String, parameter: String) throws(ReadModelQueryError) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"), let year = number(bytes[0..<4]), year >= 1,
            let month = number(bytes[5..<7]), (1...12).contains(month)
        else {
            throw ReadModelQueryError.invalid(
                parameter,
                "\(parameter) \"\(text)\" is not a month: use yyyy-mm, e.g. 2026-03"
            )
        }
        return text
    }

    /// The value of ASCII digits; `nil` if any byte is not one.
    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return digits.isEmpty ? nil : value
    }
}

/// The days a daily, weekly or monthly report covers.
public struct SalesDayRange: Sendable, Hashable {
    /// The first day.
    public let from: BusinessDay
    /// The last day, included.
    public let to: BusinessDay

    /// The days from `from` to `to`, both included.
    public init(from: BusinessDay, to: BusinessDay) {
        self.from = from
        self.to = to
    }

    /// One day, `yyyy-mm-dd`.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for anything but a real date.
    public init(day text: String, parameter: String = "day") throws(ReadModelQueryError) {
        guard let day = BusinessDay(text) else {
            throw ReadModelQueryError.invalid(
                parameter,
                "\(parameter) \"\(text)\" is not a date: use yyyy-mm-dd, e.g. 2026-11-27"
            )
        }
        self.init(from: day, to: day)
    }

    /// An ISO 8601 week, `yyyy-Www`: Monday to Sunday, week 1 holding the year's first
    /// Thursday, so a week may span two months or two years.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed week or one
    ///   the year does not have (week 53 of a 52-week year).
    public init(week text: String, parameter: String = "week") throws(ReadModelQueryError) {
        let refusal = ReadModelQueryError.invalid(
            parameter,
            "\(parameter) \"\(text)\" is not an ISO week: use yyyy-Www, e.g. 2026-W48"
        )
        let bytes = Array(text.utf8)
        guard bytes.count == 8, bytes[4] == UInt8(ascii: "-"), bytes[5] == UInt8(ascii: "W"),
            let year = SalesPeriod.number(bytes[0..<4]), year >= 1, let week = SalesPeriod.number(bytes[6..<8]),
            (1...53).contains(week), let january4 = BusinessDay(year: year, month: 1, day: 4)
        else { throw refusal }
        // 4 January is always in week 1; its week's Monday starts the ISO year.
        let weekday = (january4.number + 3).modulo(7)  // 0 = Monday
        let monday = january4.adding(days: 7 * (week - 1) - weekday)
        guard monday.isoWeek == text else { throw refusal }
        self.init(from: monday, to: monday.adding(days: 6))
    }

    /// A month, `yyyy-mm`.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for anything else.
    public init(month text: String, parameter: String = "month") throws(ReadModelQueryError) {
        let month = try SalesPeriod.month(text, parameter: parameter)
        let bytes = Array(month.utf8)
        let year = SalesPeriod.number(bytes[0..<4])!
        let number = SalesPeriod.number(bytes[5..<7])!
        let first = BusinessDay(year: year, month: number, day: 1)!
        let next =
            number == 12
            ? BusinessDay(year: year + 1, month: 1, day: 1)! : BusinessDay(year: year, month: number + 1, day: 1)!
        self.init(from: first, to: next.adding(days: -1))
    }

    /// How many days the range holds.
    public var count: Int { from.days(to: to) + 1 }
}
