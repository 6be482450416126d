public import EventStore

/// Folds events into a read model.
///
/// A projector keeps its state in ``ReadModelTable``s, listed in ``tables``, and nowhere else:
/// the tables read rows from the ``ReadModelStore`` as they are asked for and keep only a
/// bounded cache in memory. The engine hands the projector events in position order through
/// ``apply(_:)``, which changes rows; the engine then writes the changed rows together with the
/// projector's checkpoint in one transaction of the store, so after a crash the rows and the
/// checkpoint agree and no event is applied twice or skipped.
///
/// The engine creates projectors with ``init()`` (a rebuild starts from a fresh one) and uses
/// each instance from one task at a time, so a projector needs no locking of its own.
public protocol Projector<Payload>: AnyObject, SendableMetatype {
    /// The decoded form of the events this projector reads; every projector of one run shares it.
    associatedtype Payload: Sendable

    /// The stable name of the read model: its rows and checkpoint are stored under it.
    static var name: String { get }
    /// The version of the projection's logic. When it changes, the read model is rebuilt.
    static var version: UInt32 { get }
    /// The event types the projector reads; other events are not decoded for it.
    static var eventTypes: Set<String> { get }

    /// A projector with empty tables.
    init()

    /// The tables that hold the projector's state.
    var tables: [any ReadModelTableProtocol] { get }

    /// Applies one event to the tables.
    ///
    /// - Throws: when the event cannot be applied; the engine stops and commits nothing of the
    ///   batch, so the read model stays at the last consistent checkpoint.
    func apply(_ event: ProjectedEvent<Payload>) throws
}

/// An event as projectors see it: where and when it was recorded, and its decoded payload.
public struct ProjectedEvent<Payload: Sendable>: Sendable {
    /// The event's position in the log.
    public var position: UInt64
    /// The stream it belongs to.
    public var stream: StreamName
    /// Its version in the stream.
    public var streamVersion: UInt64
    /// Its type name.
    public var type: String
    /// When the log recorded it.
    public var recordedAt: Timestamp
    /// When the business fact happened.
    public var occurredAt: Timestamp
    /// Who acted; empty when unknown.
    public var actor: String
    /// The decoded payload.
    public var payload: Payload

    /// Wraps a decoded event.
    public init(
        position: UInt64,
        stream: StreamName,
        streamVersion: UInt64,
        type: String,
        recordedAt: Timestamp,
        occurredAt: Timestamp,
        actor: String,
        payload: Payload
    ) {
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.type = type
        self.recordedAt = recordedAt
        self.occurredAt = occurredAt
        self.actor = actor
        self.payload = payload
    }
}

/// Turns a stored payload into the form projectors read.
///
/// One decoder serves every projector of a run, so each event is decoded once however many
/// projectors read it.
public struct ProjectionDecoder<Payload: Sendable>: Sendable {
    /// Decodes `payload`, stored as `type` at `schemaVersion`.
    public let decode:
        @Sendable (_ type: String, _ schemaVersion: UInt32, _ payload: UnsafeRawBufferPointer) throws -> Payload

    /// Wraps a decoding function.
    public init(
        _ decode:
            @escaping @Sendable (_ type: String, _ schemaVersion: UInt32, _ payload: UnsafeRawBufferPointer) throws
            -> Payload
    ) {
        self.decode = decode
    }
}

extension Projector {
    /// The projector's name, read through an instance.
    var name: String { Self.name }
    /// The projector's version, read through an instance.
    var version: UInt32 { Self.version }
    /// The projector's event types, read through an instance.
    var eventTypes: Set<String> { Self.eventTypes }
}
