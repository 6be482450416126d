import EventStore
import SwiftProtobuf

/// Business-day helpers for the finance read models.
enum FinanceDay {
    /// The business day of a protobuf timestamp (a due date in an event's payload).
    static func of(_ time: Google_Protobuf_Timestamp) -> BusinessDay {
        BusinessDay(Timestamp(nanosecondsSinceEpoch: time.seconds &* 1_000_000_000 &+ Int64(time.nanos)))
    }

    /// Parses a query's `yyyy-mm-dd` date, refusing anything else.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` naming `parameter`.
    static func parse(_ text: String, parameter: String) throws(ReadModelQueryError) -> BusinessDay {
        guard let day = BusinessDay(text) else {
            throw .invalid(parameter, "\(parameter) is a date written yyyy-mm-dd, not \"\(text)\"")
        }
        return day
    }
}
