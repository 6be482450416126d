import CRMDomain
import EventStore
import SwiftProtobuf

/// Times in the customer read models: rows keep nanoseconds since the Unix epoch, cheap to
/// store and compare; days are derived when a query or a key needs them.
enum CustomerTime {
    /// The business day of a time in nanoseconds since the Unix epoch.
    static func day(_ nanoseconds: Int64) -> BusinessDay {
        BusinessDay(Timestamp(nanosecondsSinceEpoch: nanoseconds))
    }

    /// A protobuf time in nanoseconds since the Unix epoch.
    static func nanoseconds(_ time: Google_Protobuf_Timestamp) -> Int64 {
        time.seconds.saturatingMultiply(1_000_000_000).saturatingAdd(Int64(time.nanos))
    }
}
