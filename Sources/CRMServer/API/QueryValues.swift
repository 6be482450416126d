import CRMReadModels
import EventStore
import Foundation

/// The query parameters the spec leaves as text, read as the reports take them: a 400
/// `invalid_query_parameter` naming the parameter when the text is not what it should be.
enum QueryValues {
    /// The business day `text` names (`yyyy-mm-dd`); the business day of `now` when absent.
    static func day(_ name: String, _ text: String?, now: Date) throws(APIError) -> BusinessDay {
        guard let text else { return BusinessDay(Timestamp(now)) }
        guard let day = BusinessDay(text) else {
            throw .badRequest(
                .invalidQueryParameter,
                "\(name) \"\(text)\" is not a day: use yyyy-mm-dd",
                parameter: name
            )
        }
        return day
    }

    /// The instant `text` names: an RFC 3339 time (`2026-07-01T09:30:00Z`; a `+` offset is
    /// written `%2B`), or a day `yyyy-mm-dd` meaning the end of that business day; `nil` when
    /// absent.
    static func time(_ name: String, _ text: String?) throws(APIError) -> Timestamp? {
        guard let text else { return nil }
        if let day = BusinessDay(text) {
            try requireYear(day.date.year, name, text)
            return Timestamp(nanosecondsSinceEpoch: day.adding(days: 1).start.nanosecondsSinceEpoch - 1)
        }
        guard let date = rfc3339(text) else {
            throw .badRequest(
                .invalidQueryParameter,
                "\(name) \"\(text)\" is not an RFC 3339 time (2026-07-01T09:30:00Z) or a day (yyyy-mm-dd)",
                parameter: name
            )
        }
        try requireYear(utc.component(.year, from: date), name, text)
        return Timestamp(date)
    }

    /// `text`, unless it is empty: a parameter sent without a value is one left out.
    static func given(_ text: String?) -> String? {
        text.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Refuses a time outside 1900-2200: nanoseconds since 1970 in an Int64 end in 2262, and a
    /// business history stays well inside.
    private static func requireYear(_ year: Int, _ name: String, _ text: String) throws(APIError) {
        guard (1900...2200).contains(year) else {
            throw .badRequest(
                .invalidQueryParameter,
                "\(name) \"\(text)\" is outside the years 1900 to 2200",
                parameter: name
            )
        }
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private static func rfc3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
