import CRMReadModels
import EventStore
import Foundation

extension QueryParameters {
    /// The value of `name`, which the route cannot do without.
    ///
    /// - Parameter form: what a value looks like, for the refusal (`yyyy-mm-dd`).
    func required(_ name: String, _ form: String) throws(APIError) -> String {
        guard let value = try optional(name, as: String.self), !value.isEmpty else {
            throw .badRequest(.invalidQueryParameter, "\(name)=\(form) is required", parameter: name)
        }
        return value
    }

    /// A period of the reports: a month `2026-07`, a quarter `2026-Q3` or a year `2026`; the read
    /// model checks its form.
    func period() throws(APIError) -> String {
        try required("period", "yyyy | yyyy-Qn | yyyy-mm")
    }

    /// The business day `name` (`yyyy-mm-dd`), today's in business time when absent.
    func day(_ name: String) throws(APIError) -> BusinessDay {
        guard let text = try optional(name, as: String.self) else { return BusinessDay(Timestamp.now()) }
        guard let day = BusinessDay(text) else {
            throw .badRequest(
                .invalidQueryParameter,
                "\(name) \"\(text)\" is not a day: use yyyy-mm-dd",
                parameter: name
            )
        }
        return day
    }

    /// The instant `name`: an RFC 3339 time (`2026-07-01T09:30:00Z`; write a `+` offset as
    /// `%2B`), or a day `yyyy-mm-dd` meaning the end of that business day; `nil` when absent.
    func time(_ name: String) throws(APIError) -> Timestamp? {
        guard let text = try optional(name, as: String.self) else { return nil }
        if let day = BusinessDay(text) {
            try Self.requireYear(day.date.year, name, text)
            return Timestamp(nanosecondsSinceEpoch: day.adding(days: 1).start.nanosecondsSinceEpoch - 1)
        }
        guard let date = Self.rfc3339(text) else {
            throw .badRequest(
                .invalidQueryParameter,
                "\(name) \"\(text)\" is not an RFC 3339 time (2026-07-01T09:30:00Z) or a day (yyyy-mm-dd)",
                parameter: name
            )
        }
        try Self.requireYear(Self.utc.component(.year, from: date), name, text)
        return Timestamp(date)
    }

    /// The request for one page of a list: the `next` of the page before as `after`, and at
    /// most `limit` items (1-1000, 100 by default).
    func page() throws(APIError) -> (after: String?, limit: Int) {
        (try optional("after", as: String.self), try integer("limit", in: 1...1_000, default: 100))
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
