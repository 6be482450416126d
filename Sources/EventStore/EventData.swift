public import Foundation
import Synchronization

/// An event to append: its id, type and payload, and who did what on whose behalf.
///
/// The payload is opaque to the log (protobuf bytes for the CRM); `contentType` says how to
/// read it. "Content" for idempotency is the stream, type, schema version, content type and
/// payload: re-appending an id with the same content returns the original positions.
public struct EventData: Sendable, Hashable {
    /// The longest event type, content type or actor accepted, in bytes.
    public static let maxNameLength = 200

    /// The event's identity; retrying an append with the same id is harmless.
    public var id: UUID
    /// What happened, e.g. `crm.v1.CustomerClaimed`: letters, digits, `_` and `.`.
    public var type: String
    /// The version of the payload's schema, for upcasting old events.
    public var schemaVersion: UInt32
    /// How the payload is encoded, e.g. `application/protobuf` or `application/json`.
    public var contentType: String
    /// The encoded event body.
    public var payload: [UInt8]
    /// Who, why and when.
    public var metadata: EventMetadata

    /// Describes an event; `id` defaults to a new time-ordered UUID.
    public init(
        id: UUID = .timeOrdered(),
        type: String,
        schemaVersion: UInt32 = 1,
        contentType: String = "application/protobuf",
        payload: [UInt8],
        metadata: EventMetadata = EventMetadata()
    ) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.contentType = contentType
        self.payload = payload
        self.metadata = metadata
    }
}

/// Who acted, in which conversation, and when the business fact happened.
public struct EventMetadata: Sendable, Hashable {
    /// The user or service that caused the event; empty when unknown.
    public var actor: String
    /// Ties together all events of one request or workflow.
    public var correlationID: UUID?
    /// The event or command that directly caused this one.
    public var causationID: UUID?
    /// Business time: when the fact happened. `nil` means "now", and the log stores the time
    /// it recorded the event.
    public var occurredAt: Timestamp?

    /// Creates metadata; every field is optional.
    public init(actor: String = "", correlationID: UUID? = nil, causationID: UUID? = nil, occurredAt: Timestamp? = nil)
    {
        self.actor = actor
        self.correlationID = correlationID
        self.causationID = causationID
        self.occurredAt = occurredAt
    }
}

extension UUID {
    /// A version 7 UUID: milliseconds since the epoch first, then a 12-bit sequence, then 62
    /// bits that differ for every id this process makes.
    ///
    /// The ids one process makes sort in the order it made them: within a millisecond the
    /// sequence counts up (past 4,096 ids it borrows the next millisecond), so records that
    /// break ties by id, such as leads created at one business time, keep their creation order.
    /// Ids made close in time sort close together, which keeps the log's event-id index
    /// appending at its end instead of writing all over the tree. The low bits mix a per-process
    /// random seed with a counter through a bijection, so ids never repeat within a process and
    /// collide across processes only if their random seeds do; making one costs no system call
    /// (`UUID()` reads `/dev/urandom` each time on Linux).
    public static func timeOrdered() -> UUID {
        let now = UInt64(Timestamp.now().nanosecondsSinceEpoch / 1_000_000)
        let next = timeOrderedClock.withLock { clock in
            clock.advance(to: now)
            return clock
        }
        let low = mix(timeOrderedSeed &+ next.count)
        return UUID(version7Milliseconds: next.milliseconds, high: next.sequence, low: low)
    }

    /// A version 7 UUID for `milliseconds` since the epoch: those in the first 48 bits, then
    /// the version, 12 bits of `high`, the variant, and 62 bits of `low`.
    public init(version7Milliseconds milliseconds: UInt64, high: UInt64, low: UInt64) {
        var bytes = unsafeBitCast((UInt64(0), low), to: uuid_t.self)
        bytes.0 = UInt8(truncatingIfNeeded: milliseconds >> 40)
        bytes.1 = UInt8(truncatingIfNeeded: milliseconds >> 32)
        bytes.2 = UInt8(truncatingIfNeeded: milliseconds >> 24)
        bytes.3 = UInt8(truncatingIfNeeded: milliseconds >> 16)
        bytes.4 = UInt8(truncatingIfNeeded: milliseconds >> 8)
        bytes.5 = UInt8(truncatingIfNeeded: milliseconds)
        bytes.6 = 0x70 | UInt8(truncatingIfNeeded: high >> 8) & 0x0F
        bytes.7 = UInt8(truncatingIfNeeded: high)
        bytes.8 = 0x80 | (bytes.8 & 0x3F)
        self.init(uuid: bytes)
    }

    /// SplitMix64's finalizer: a bijection on 64 bits that scatters consecutive inputs.
    private static func mix(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

private let timeOrderedSeed: UInt64 = {
    var random = SystemRandomNumberGenerator()
    return random.next()
}()

/// The last time-ordered id's millisecond and sequence, and how many ids came before it.
private struct TimeOrderedClock {
    var milliseconds: UInt64 = 0
    var sequence: UInt64 = 0
    var count: UInt64 = 0

    /// Moves on to the next id at `now`: a later millisecond starts its sequence at zero; the
    /// same one (or an earlier one, the wall clock stepped back) counts up from the last id.
    mutating func advance(to now: UInt64) {
        if now > milliseconds {
            (milliseconds, sequence) = (now, 0)
        } else if sequence == 0xFFF {
            (milliseconds, sequence) = (milliseconds + 1, 0)
        } else {
            sequence += 1
        }
        count &+= 1
    }
}

private let timeOrderedClock = Mutex(TimeOrderedClock())
