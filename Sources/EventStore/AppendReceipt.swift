/// A note an append leaves in the log under a caller's key, in the same transaction as its
/// events: the proof, durable exactly when they are, that the work the key names was done.
///
/// A server keys a client's retried command by `Idempotency-Key`: the command's append carries
/// the receipt, so after a crash a retry finds either the receipt and the events together or
/// neither, never the events without the receipt. A key is taken once; a second append with
/// the same key is refused with `receipt_taken` and writes nothing.
public struct AppendReceipt: Sendable, Hashable {
    /// The longest key accepted, in bytes (a SHA-256 digest is 32).
    public static let maxKeyLength = 64
    /// The longest note accepted, in bytes.
    public static let maxNoteLength = 4_096

    /// The caller's key.
    public let key: [UInt8]
    /// What the caller needs to answer a retry (a request fingerprint, the ids it made).
    public let note: [UInt8]

    /// Checks and wraps a receipt.
    ///
    /// - Throws: `.invalidField` when the key is empty or longer than ``maxKeyLength``, or the
    ///   note longer than ``maxNoteLength``.
    public init(key: [UInt8], note: [UInt8]) throws(EventStoreError) {
        guard !key.isEmpty, key.count <= Self.maxKeyLength else {
            throw EventStoreError(
                .invalidField,
                "a receipt key is 1 to \(Self.maxKeyLength) bytes; this one is \(key.count)"
            )
        }
        guard note.count <= Self.maxNoteLength else {
            throw EventStoreError(
                .invalidField,
                "a receipt note is at most \(Self.maxNoteLength) bytes; this one is \(note.count)"
            )
        }
        self.key = key
        self.note = note
    }
}

/// A receipt as the log keeps it: the note and where the append that left it put its events.
public struct StoredReceipt: Sendable, Hashable {
    /// The note the append carried.
    public var note: [UInt8]
    /// The position of the append's first event.
    public var firstPosition: UInt64
    /// The position of the append's last event.
    public var lastPosition: UInt64
    /// When the log recorded the append.
    public var recordedAt: Timestamp

    /// Describes a stored receipt.
    public init(note: [UInt8], firstPosition: UInt64, lastPosition: UInt64, recordedAt: Timestamp) {
        self.note = note
        self.firstPosition = firstPosition
        self.lastPosition = lastPosition
        self.recordedAt = recordedAt
    }

    /// The stored bytes: first and last position and the recorded time, big-endian, then the note.
    var encoded: [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.headerSize + note.count)
        for value in [firstPosition, lastPosition, UInt64(bitPattern: recordedAt.nanosecondsSinceEpoch)] {
            withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
        }
        bytes.append(contentsOf: note)
        return bytes
    }

    /// Reads stored bytes back; `nil` when they are too short to be a receipt.
    init?(encoded bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerSize else { return nil }
        firstPosition = bigEndianUInt64(bytes, at: 0)
        lastPosition = bigEndianUInt64(bytes, at: 8)
        recordedAt = Timestamp(nanosecondsSinceEpoch: Int64(bitPattern: bigEndianUInt64(bytes, at: 16)))
        note = Array(bytes[Self.headerSize...])
    }

    static let headerSize = 24
}
