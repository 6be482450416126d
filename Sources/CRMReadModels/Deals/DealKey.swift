import CRMDomain
import EventStore
import Foundation
import SwiftProtobuf

/// Builds the keys of the deals read model's tables.
///
/// Times in keys are 16 lower-case hex digits of the nanoseconds since 1970 with the sign bit
/// flipped, so that byte order is time order (before 1970 included). The listing indexes store
/// the complement of that, so a forward scan, the only one the store has, reads newest first.
/// Ids and other parts go through ``FinanceKey/escape(_:)``, so a `|` inside an id never splits
/// a key in the wrong place.
enum DealKey {
    /// `nanoseconds` as 16 hex digits that sort in time order.
    static func ascending(_ nanoseconds: Int64) -> String {
        hex(UInt64(bitPattern: nanoseconds) ^ (1 << 63))
    }

    /// `nanoseconds` as 16 hex digits that sort newest first.
    static func descending(_ nanoseconds: Int64) -> String {
        hex(~(UInt64(bitPattern: nanoseconds) ^ (1 << 63)))
    }

    /// The part of a listing key after its prefix (customer, owner or status): newest first,
    /// then by id.
    static func listingSuffix(_ createdAt: Int64, _ id: String) -> String {
        descending(createdAt) + "|" + FinanceKey.escape(id)
    }

    /// The key of a pending approval: oldest first, then by contract, then the step or refund.
    static func pendingStep(_ since: Int64, contract: String, step: Int) -> String {
        FinanceKey.join(ascending(since), contract, "step", String(step))
    }

    /// The key of a refund waiting for its decision.
    static func pendingRefund(_ since: Int64, contract: String, refund: String) -> String {
        FinanceKey.join(ascending(since), contract, "refund", refund)
    }

    /// The key of a day's decisions on one step of a chain (`day|step|n|role`) or on refunds
    /// (`day|refund`): the day first, so a period is one range of keys.
    static func timing(day: BusinessDay, kind: ApprovalKind, step: Int, role: String) -> String {
        switch kind {
        case .contractStep: FinanceKey.join(day.description, "step", String(step), role)
        case .refund: FinanceKey.join(day.description, "refund")
        }
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Times as the deals read model keeps them: nanoseconds since 1970, converted to `Date` only
/// in answers.
enum DealTime {
    /// A protobuf time in nanoseconds, saturating far outside the log's range.
    static func nanoseconds(_ time: Google_Protobuf_Timestamp) -> Int64 {
        time.seconds.saturatingMultiply(1_000_000_000).saturatingAdd(Int64(time.nanos))
    }

    /// Nanoseconds as a `Date`.
    static func date(_ nanoseconds: Int64) -> Date {
        Timestamp(nanosecondsSinceEpoch: nanoseconds).date
    }

    /// Whole seconds from `start` to `end`, never negative: a decision back-dated before the
    /// moment it became pending took no time rather than a negative one.
    static func seconds(from start: Int64, to end: Int64) -> Int64 {
        max(0, end.saturatingSubtract(start).dividedRoundingDown(by: 1_000_000_000))
    }
}
