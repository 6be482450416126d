import CRMDomain
import CRMSchema
public import EventStore
import Foundation
import SwiftProtobuf

/// Command handling: load the streams a decision needs, decide, and append with the
/// versions that were read, so a concurrent change makes the append conflict instead of
/// slipping past the rule. On a conflict the command is loaded and decided again: it
/// succeeds if its decision still holds, and is refused with the current facts if not.
///
/// Streams: `user-<id>` (the user and the customers they hold), `team-<id>`,
/// `customer-<id>`, `lead-<id>`, `opportunity-<id>`, and `settings-pool` and
/// `settings-pipeline` for the business settings.
public struct CRMService<Log: EventLog>: Sendable {
    /// How often a command is decided again after losing a race.
    public static var maxAttempts: Int { 8 }

    let log: Log
    let clock: any CRMClock
    let snapshots: SnapshotPolicy
    let catalogue = EventCatalogue.crm

    /// A service appending to `log`, reading time from `clock`, loading long streams through
    /// the snapshots the log keeps as `snapshots` says.
    public init(log: Log, clock: any CRMClock = SystemClock(), snapshots: SnapshotPolicy = .default) {
        self.log = log
        self.clock = clock
        self.snapshots = snapshots
    }

    /// The context of a command acting now or at `occurredAt`.
    func context(_ actor: String, _ occurredAt: Date?) throws -> CommandContext {
        try CommandContext(actor: actor, occurredAt: occurredAt, now: clock.now())
    }

    // MARK: - Races

    /// Runs `attempt` (load, decide, append with the versions read) until its append does not
    /// conflict: a conflict means another command changed a stream it read, so it decides
    /// again on the new state, and is refused if its decision no longer holds.
    func retryingOnConflict<T>(_ what: String, _ attempt: () async throws -> T) async throws -> T {
        for _ in 0..<Self.maxAttempts {
            do {
                return try await attempt()
            } catch let error as EventStoreError where error.code == .wrongExpectedVersion {
                continue
            }
        }
        throw EventStoreError(
            .wrongExpectedVersion,
            "\(what) lost \(Self.maxAttempts) races for the streams it reads; try again"
        )
    }

    /// Loads one stream's state, decides its next events (none when there is nothing to
    /// change), and appends them with the version read, deciding again after a lost race.
    ///
    /// - Returns: the append, or `nil` when the decision changed nothing.
    @discardableResult
    func decideEvents<State>(
        on stream: StreamName,
        actor: String,
        occurredAt: Date?,
        load: () async throws -> (State, ExpectedVersion),
        decide: (State) async throws -> [any SwiftProtobuf.Message]
    ) async throws -> AppendResult? {
        let context = try context(actor, occurredAt)
        return try await retryingOnConflict("the change to \(stream)") {
            let (state, version) = try await load()
            let events = try await decide(state).map { try event($0, context) }
            guard !events.isEmpty else { return nil }
            return try await append(to: stream, expecting: version, events)
        }
    }

    /// ``decideEvents(on:actor:occurredAt:load:decide:)`` for a decision of exactly one event.
    @discardableResult
    func decideOnStream<State>(
        _ stream: StreamName,
        actor: String,
        occurredAt: Date?,
        load: () async throws -> (State, ExpectedVersion),
        decide: (State) throws -> any SwiftProtobuf.Message
    ) async throws -> AppendResult {
        guard
            let result = try await decideEvents(
                on: stream,
                actor: actor,
                occurredAt: occurredAt,
                load: load,
                decide: { [try decide($0)] }
            )
        else {
            preconditionFailure("one event decided is one event appended")
        }
        return result
    }

    /// Starts a new stream with `message`, reserving `key` (if any) for it in the same append.
    ///
    /// - Throws: `duplicate(holder)` when another stream holds the key; nothing is appended.
    func create(
        _ stream: StreamName,
        _ message: any SwiftProtobuf.Message,
        reserving key: String?,
        context: CommandContext,
        duplicate: (_ holder: String) -> DomainError
    ) async throws {
        let reservations = try key.map { [(key: try UniqueKey($0), owner: stream)] } ?? []
        do {
            _ = try await append(
                AppendRequest(
                    [StreamAppend(stream: stream, expectedVersion: .noStream, events: [try event(message, context)])],
                    reserving: reservations
                )
            )
        } catch let error as EventStoreError where error.code == .uniqueKeyTaken {
            throw duplicate(error.stream ?? "")
        }
    }

    // MARK: - Loading

    /// Folds a stream's events into `state` and returns it with the version to expect when
    /// appending.
    ///
    /// `time` is the time each event is folded at: its business time unless told otherwise.
    /// A state that can be snapshotted loads through its snapshot instead (the overload in
    /// `CRMService+Snapshots.swift`).
    func load<State>(
        _ stream: StreamName,
        into state: State,
        time: KeyPath<RecordedEvent, Timestamp> = \.occurredAt,
        _ apply: (inout State, any SwiftProtobuf.Message, Date) -> Void
    ) async throws -> (State, ExpectedVersion) {
        let events = try await log.readStream(stream, from: 0, direction: .forward, limit: .max)
        return (
            try fold(events[...], into: state, time: time, apply),
            events.last.map { .exact($0.streamVersion) } ?? .noStream
        )
    }

    /// Folds `events` into `state`, each at its `time`.
    func fold<State>(
        _ events: ArraySlice<RecordedEvent>,
        into state: State,
        time: KeyPath<RecordedEvent, Timestamp>,
        _ apply: (inout State, any SwiftProtobuf.Message, Date) -> Void
    ) throws -> State {
        var state = state
        for recorded in events {
            apply(&state, try decode(recorded), recorded[keyPath: time].date)
        }
        return state
    }

    func decode(_ recorded: RecordedEvent) throws -> any SwiftProtobuf.Message {
        try catalogue.decode(typeName: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload)
    }

    func loadCustomer(_ id: String) async throws -> (CustomerState, ExpectedVersion) {
        try await load(try customerStream(id), into: CustomerState(customerID: id)) { $0.apply($1, occurredAt: $2) }
    }

    func loadUser(_ id: String) async throws -> (UserState, ExpectedVersion) {
        // Claims count by the day they were recorded on.
        try await load(try userStream(id), into: UserState(userID: id), time: \.recordedAt) {
            $0.apply($1, recordedAt: $2)
        }
    }

    // MARK: - Events

    func event(_ message: any SwiftProtobuf.Message, _ context: CommandContext) throws -> EventData {
        let encoded = try catalogue.encode(message)
        return EventData(
            type: encoded.typeName,
            schemaVersion: encoded.schemaVersion,
            payload: encoded.payload,
            metadata: EventMetadata(actor: context.actor, occurredAt: Timestamp(context.occurredAt))
        )
    }

    func customerStream(_ id: String) throws -> StreamName { try StreamName(category: "customer", id: id) }
    func userStream(_ id: String) throws -> StreamName { try StreamName(category: "user", id: id) }
    func teamStream(_ id: String) throws -> StreamName { try StreamName(category: "team", id: id) }
    func leadStream(_ id: String) throws -> StreamName { try StreamName(category: "lead", id: id) }
    func opportunityStream(_ id: String) throws -> StreamName { try StreamName(category: "opportunity", id: id) }

    /// A new time-ordered id, noted in the receipt of the keyed command the task runs.
    func newID() -> String {
        let id = UUID.timeOrdered().uuidString.lowercased()
        CommandReceipt.current?.record(id: id)
        return id
    }
}
