public import EventStore

/// A calendar day in the CRM's business time zone, China Standard Time (UTC+8, no daylight
/// saving), the zone the pool rules count days in.
///
/// Read models bucket by business day, ISO week, month and quarter so that a follow-up at
/// 07:00 in Shanghai counts on that day, not on the UTC day before.
public struct BusinessDay: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The zone's offset from UTC.
    public static let utcOffsetSeconds: Int64 = 8 * 3_600

    /// Days since 1970-01-01 in the business time zone.
    public let number: Int

    /// Wraps a day number.
    public init(number: Int) {
        self.number = number
    }

    /// The business day that `time` falls on.
    public init(_ time: Timestamp) {
        let seconds = time.nanosecondsSinceEpoch.dividedRoundingDown(by: 1_000_000_000) + Self.utcOffsetSeconds
        number = Int(seconds.dividedRoundingDown(by: 86_400))
    }

    /// The day `year`-`month`-`day`; `nil` when there is no such date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        number = era * 146_097 + dayOfEra - 719_468
    }

    /// Parses `yyyy-mm-dd`; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The first instant of the day; for a day too far from 1970 for a `Timestamp` (past about
    /// 290 years either way, which a query may still name), that of the last day it holds.
    public var start: Timestamp {
        let day = Int64(min(max(number, -Self.daysATimestampHolds), Self.daysATimestampHolds))
        return Timestamp(nanosecondsSinceEpoch: (day * 86_400 - Self.utcOffsetSeconds) * 1_000_000_000)
    }

    /// Days from 1970 either way whose start fits a `Timestamp`'s nanoseconds in an `Int64`.
    static let daysATimestampHolds = 106_000

    /// The year, month and day.
    public var date: (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> BusinessDay { BusinessDay(number: number + count) }

    /// Days from `self` to `other`.
    public func days(to other: BusinessDay) -> Int { other.number - number }

    /// `yyyy-mm-dd`.
    public var description: String {
        let (year, month, day) = date
        return "\(Self.padded(year, 4))-\(Self.padded(month, 2))-\(Self.padded(day, 2))"
    }

    /// `yyyy-mm`.
    public var month: String {
        let (year, month, _) = date
        return "\(Self.padded(year, 4))-\(Self.padded(month, 2))"
    }

    /// `yyyy-Qn`.
    public var quarter: String {
        let (year, month, _) = date
        return "\(Self.padded(year, 4))-Q\((month - 1) / 3 + 1)"
    }

    /// `yyyy`.
    public var year: String { Self.padded(date.year, 4) }

    /// The ISO 8601 week, `yyyy-Www`: weeks start on Monday, and week 1 holds the year's first
    /// Thursday.
    public var isoWeek: String {
        let weekday = (number + 3).modulo(7)  // 0 = Monday; 1970-01-01 was a Thursday
        let thursday = BusinessDay(number: number - weekday + 3)
        let year = thursday.date.year
        let firstOfYear = BusinessDay(year: year, month: 1, day: 1)!
        let week = firstOfYear.days(to: thursday) / 7 + 1
        return "\(Self.padded(year, 4))-W\(Self.padded(week, 2))"
    }

    /// Month and day, `mm-dd`: what a birthday reminder compares.
    public var monthDay: String {
        let (_, month, day) = date
        return "\(Self.padded(month, 2))-\(Self.padded(day, 2))"
    }

    public static func < (lhs: BusinessDay, rhs: BusinessDay) -> Bool { lhs.number < rhs.number }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension BinaryInteger {
    /// Division that rounds toward negative infinity, so times before 1970 fall on the right day.
    func dividedRoundingDown(by divisor: Self) -> Self {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// The remainder in `0..<divisor`.
    func modulo(_ divisor: Self) -> Self {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
