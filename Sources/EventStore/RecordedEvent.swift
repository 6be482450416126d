public import Foundation

/// An event as the log stores it: the appended data plus where and when it landed.
public struct RecordedEvent: Sendable, Hashable {
    /// The global position, gapless from 1 in commit order.
    public var position: UInt64
    /// The stream it belongs to.
    public var stream: StreamName
    /// Its version in the stream, from 0.
    public var streamVersion: UInt64
    /// The event's id.
    public var id: UUID
    /// The event's type.
    public var type: String
    /// The payload's schema version.
    public var schemaVersion: UInt32
    /// How the payload is encoded.
    public var contentType: String
    /// When the log recorded it; never decreases along the log.
    public var recordedAt: Timestamp
    /// When the business fact happened (equal to `recordedAt` unless the caller set it).
    public var occurredAt: Timestamp
    /// Who acted; empty when unknown.
    public var actor: String
    /// The correlation id, if any.
    public var correlationID: UUID?
    /// The causation id, if any.
    public var causationID: UUID?
    /// The encoded body.
    public var payload: [UInt8]
    /// `SHA-256(previous hash ‖ canonical record bytes)`: the chain up to this event.
    public var hash: ChainHash

    /// Describes an event as some log recorded it, field by field (an import's NDJSON line).
    public init(
        position: UInt64,
        stream: StreamName,
        streamVersion: UInt64,
        id: UUID,
        type: String,
        schemaVersion: UInt32,
        contentType: String,
        recordedAt: Timestamp,
        occurredAt: Timestamp,
        actor: String,
        correlationID: UUID?,
        causationID: UUID?,
        payload: [UInt8],
        hash: ChainHash
    ) {
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.contentType = contentType
        self.recordedAt = recordedAt
        self.occurredAt = occurredAt
        self.actor = actor
        self.correlationID = correlationID
        self.causationID = causationID
        self.payload = payload
        self.hash = hash
    }
}

/// A link of the hash chain: 32 bytes of SHA-256.
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    /// The hash before the first event: 32 zero bytes.
    public static let genesis = ChainHash(bytes: [UInt8](repeating: 0, count: 32))

    /// The 32 bytes.
    public let bytes: [UInt8]

    /// Wraps 32 hash bytes.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a chain hash is 32 bytes")
        self.bytes = bytes
    }

    /// Parses 64 hex digits; `nil` for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    /// Lowercase hex.
    public var hex: String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    public var description: String { hex }
}

/// The end of the log: its last position and the chain hash there.
public struct LogHead: Sendable, Hashable {
    /// The last position; 0 for an empty log.
    public var position: UInt64
    /// The chain hash at `position` (``ChainHash/genesis`` for an empty log).
    public var hash: ChainHash
    /// When the last event was recorded.
    public var recordedAt: Timestamp
}
