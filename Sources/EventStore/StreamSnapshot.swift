import Crypto

/// A reader's state of one stream folded up to one of its events, kept by the log as a cache
/// so the next reader folds only the events after it.
///
/// The log does not know what the state means: it is the caller's bytes, with the caller's
/// own format version inside. What the log vouches for is the anchor: the stream version,
/// the position and the chain hash of the last event folded. The chain hash covers every
/// record up to that position, so a snapshot whose anchor matches the log's event at its
/// version was folded from exactly this log's stream; one made on another log, or on this
/// directory before a restore or an import replaced it, does not match and must be ignored
/// (``isAnchored(at:)``).
public struct StreamSnapshot: Sendable, Hashable {
    /// The largest state kept, in bytes; a larger one is not stored.
    public static let maxStateSize = 16 << 20

    /// The stream folded.
    public var stream: StreamName
    /// The version of the last event folded.
    public var version: UInt64
    /// That event's position in the log.
    public var position: UInt64
    /// The chain hash at that position.
    public var hash: ChainHash
    /// The folded state, in the caller's encoding.
    public var state: [UInt8]

    /// A snapshot of `event`'s stream, folded up to and including `event`.
    public init(of event: RecordedEvent, state: [UInt8]) {
        self.init(
            stream: event.stream,
            version: event.streamVersion,
            position: event.position,
            hash: event.hash,
            state: state
        )
    }

    /// Describes a snapshot field by field.
    public init(stream: StreamName, version: UInt64, position: UInt64, hash: ChainHash, state: [UInt8]) {
        self.stream = stream
        self.version = version
        self.position = position
        self.hash = hash
        self.state = state
    }

    /// Whether `event`, read from the log, is the event this snapshot was folded up to: the
    /// same stream, version, position and chain hash. Only then may the state stand in for
    /// the stream's events up to `version`.
    public func isAnchored(at event: RecordedEvent) -> Bool {
        event.stream == stream && event.streamVersion == version && event.position == position && event.hash == hash
    }

    // MARK: - Stored form

    /// The stored form's version: the first byte.
    static let formatVersion: UInt8 = 1
    /// Format byte, version, position, chain hash, SHA-256 of the state.
    static let headerSize = 1 + 8 + 8 + 32 + 32

    /// The stored bytes: the format byte, the version and position big-endian, the chain
    /// hash, a SHA-256 digest of the state (so a damaged state is never read as another),
    /// then the state.
    var encoded: [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.headerSize + state.count)
        bytes.append(Self.formatVersion)
        withUnsafeBytes(of: version.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: position.bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: hash.bytes)
        bytes.append(contentsOf: SHA256.hash(data: state))
        bytes.append(contentsOf: state)
        return bytes
    }

    /// Reads stored bytes back; `nil` when they are not a snapshot this build wrote, or the
    /// state does not match its digest.
    init?(stream: StreamName, encoded bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerSize, bytes.count - Self.headerSize <= Self.maxStateSize,
            bytes[0] == Self.formatVersion
        else { return nil }
        let state = Array(bytes[Self.headerSize...])
        guard SHA256.hash(data: state).elementsEqual(bytes[(Self.headerSize - 32)..<Self.headerSize]) else {
            return nil
        }
        self.init(
            stream: stream,
            version: bigEndianUInt64(bytes, at: 1),
            position: bigEndianUInt64(bytes, at: 9),
            hash: ChainHash(bytes: Array(bytes[17..<49])),
            state: state
        )
    }
}
