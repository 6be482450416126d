public import Foundation

/// A point in time with nanosecond resolution: nanoseconds since 1970-01-01T00:00:00Z.
///
/// The log stores times as integers so a record's bytes, and so its hash, never depend on
/// floating-point rounding.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the Unix epoch.
    public var nanosecondsSinceEpoch: Int64

    /// Wraps a count of nanoseconds since the Unix epoch.
    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// The earliest time a timestamp holds (1677-09-21).
    public static let earliest = Timestamp(nanosecondsSinceEpoch: .min)
    /// The latest time a timestamp holds (2262-04-11).
    public static let latest = Timestamp(nanosecondsSinceEpoch: .max)

    /// The time of `date`, to the nearest microsecond (a `Date` holds no finer time reliably),
    /// or `nil` when `date` lies outside ``earliest`` … ``latest``.
    public init?(exactly date: Date) {
        let microseconds = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard let whole = Int64(exactly: microseconds) else { return nil }
        let (nanoseconds, overflow) = whole.multipliedReportingOverflow(by: 1_000)
        guard !overflow else { return nil }
        self.nanosecondsSinceEpoch = nanoseconds
    }

    /// The time of `date`, to the nearest microsecond, held to ``earliest`` … ``latest``:
    /// it never traps. Callers that take a time from a request or a file refuse one out of
    /// their own range first (commands take 1900 … now); this only keeps a stray one from
    /// stopping the process.
    public init(_ date: Date) {
        if let exact = Timestamp(exactly: date) {
            self = exact
        } else {
            self = date.timeIntervalSince1970 < 0 ? .earliest : .latest
        }
    }

    /// The current wall-clock time.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(nanosecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    /// The same time as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: Double(nanosecondsSinceEpoch) / 1_000_000_000)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    /// RFC 3339 in UTC with nanoseconds, e.g. `2026-11-24T09:30:00.000000001Z`.
    public var description: String {
        // Floor division, written so that no stored value (Int64.min included) can overflow.
        var (seconds, nanos) = nanosecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000_000)
        if nanos < 0 {
            seconds -= 1
            nanos += 1_000_000_000
        }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let date = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d",
            parts.tm_year + 1900,
            parts.tm_mon + 1,
            parts.tm_mday,
            parts.tm_hour,
            parts.tm_min,
            parts.tm_sec
        )
        return date + String(format: ".%09dZ", nanos)
    }
}

extension Timestamp: Codable {
    /// Decodes the integer nanoseconds since the epoch, exactly as stored.
    public init(from decoder: any Decoder) throws {
        self.init(nanosecondsSinceEpoch: try decoder.singleValueContainer().decode(Int64.self))
    }

    /// Encodes the integer nanoseconds since the epoch, so nothing is lost to rounding.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(nanosecondsSinceEpoch)
    }
}
