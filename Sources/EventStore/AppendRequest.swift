/// What an append expects of a stream before it writes.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// Whatever the stream holds.
    case any
    /// The stream has no events yet.
    case noStream
    /// The stream has at least one event.
    case exists
    /// The stream's last event has this version (versions start at 0).
    case exact(UInt64)

    /// Whether a stream whose last version is `current` (`nil`: no events) satisfies this.
    public func isSatisfied(by current: UInt64?) -> Bool {
        switch self {
        case .any: true
        case .noStream: current == nil
        case .exists: current != nil
        case .exact(let version): current == version
        }
    }

    public var description: String {
        switch self {
        case .any: "any version"
        case .noStream: "no stream"
        case .exists: "an existing stream"
        case .exact(let version): "version \(version)"
        }
    }
}

/// A key that at most one stream holds at a time, such as a normalized phone number.
///
/// Reserved and released inside appends, so a duplicate is refused by the log itself, in the
/// same transaction as the events that claim it. Use a prefix per kind: `phone:+86…`.
public struct UniqueKey: Hashable, Sendable, CustomStringConvertible {
    /// The longest key accepted, in bytes (LMDB keys stop at 511).
    public static let maxLength = 400

    /// The key.
    public let rawValue: String

    /// Checks and wraps a key.
    ///
    /// - Throws: `.invalidField` when the key is empty or longer than ``maxLength`` bytes.
    public init(_ rawValue: String) throws(EventStoreError) {
        guard !rawValue.isEmpty, rawValue.utf8.count <= Self.maxLength else {
            throw .invalidField("unique key", rawValue, "must be 1 to \(Self.maxLength) bytes")
        }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
}

/// Events to append to one stream, with what the stream must look like first.
///
/// With no events it is only a condition: the append goes ahead only if the stream is at
/// the expected version, which guards a decision on a stream that was read but not written.
public struct StreamAppend: Sendable {
    /// The stream.
    public var stream: StreamName
    /// The version the stream must be at; a mismatch fails the whole append.
    public var expectedVersion: ExpectedVersion
    /// The events, in order; they get consecutive versions.
    public var events: [EventData]

    /// Describes events for one stream.
    public init(stream: StreamName, expectedVersion: ExpectedVersion = .any, events: [EventData]) {
        self.stream = stream
        self.expectedVersion = expectedVersion
        self.events = events
    }
}

/// One atomic append: events to one or more streams, and unique keys to reserve or release.
///
/// Everything in it happens, or nothing does. Releases apply before reservations, so one
/// append can move a key from one stream to another.
public struct AppendRequest: Sendable {
    /// The streams and their events, written in this order.
    public var streams: [StreamAppend]
    /// Keys to reserve, each for the stream that will hold it.
    public var reservations: [(key: UniqueKey, owner: StreamName)]
    /// Keys to give up, each by the stream that holds it. Releasing a free key does nothing.
    public var releases: [(key: UniqueKey, owner: StreamName)]
    /// A receipt to leave under its key with the events; a key already taken refuses the append.
    public var receipt: AppendReceipt?

    /// Describes an append.
    public init(
        _ streams: [StreamAppend],
        reserving reservations: [(key: UniqueKey, owner: StreamName)] = [],
        releasing releases: [(key: UniqueKey, owner: StreamName)] = [],
        receipt: AppendReceipt? = nil
    ) {
        self.streams = streams
        self.reservations = reservations
        self.releases = releases
        self.receipt = receipt
    }

    /// The number of events in the append.
    public var eventCount: Int { streams.reduce(0) { $0 + $1.events.count } }
}

/// Where an append put its events.
public struct AppendResult: Sendable, Hashable {
    /// The position of each event, in the order of the request.
    public var positions: [UInt64]
    /// Each stream's version after the append.
    public var streamVersions: [StreamName: UInt64]
    /// The time the log recorded the events.
    public var recordedAt: Timestamp
    /// True when every event was in the log already and nothing was written.
    public var wasAlreadyAppended: Bool

    /// The first event's position.
    public var firstPosition: UInt64 { positions.first ?? 0 }
    /// The last event's position.
    public var lastPosition: UInt64 { positions.last ?? 0 }
}
