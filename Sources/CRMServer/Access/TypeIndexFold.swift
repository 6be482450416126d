import CRMSchema
import EventStore
import SwiftProtobuf
import Synchronization

/// State folded from a few event types of the log and brought up to the head before every
/// use, so what was appended a moment ago already counts: the access checks' view of users
/// and of customers' owners.
///
/// Catching up reads the log's type index, not a scan: the first use costs those types'
/// events, later ones only what was appended since. The server catches up once before it
/// listens (``catchUp()``), so a request only ever folds the few events appended since the
/// request before, microseconds, and runs on the cooperative pool without holding it.
final class TypeIndexFold<State: Sendable>: Sendable {
    private struct Folded {
        var state: State
        var position: UInt64 = 0
    }

    private let log: LMDBEventLog
    private let types: [String]
    private let apply: @Sendable (inout State, RecordedEvent, any SwiftProtobuf.Message) -> Void
    private let catalogue = EventCatalogue.crm
    private let folded: Mutex<Folded>

    /// Folds `types` of `log` into `initial` with `apply`.
    init(
        log: LMDBEventLog,
        types: [String],
        initial: State,
        apply: @escaping @Sendable (inout State, RecordedEvent, any SwiftProtobuf.Message) -> Void
    ) {
        self.log = log
        self.types = types
        self.apply = apply
        folded = Mutex(Folded(state: initial))
    }

    /// Folds what was appended since the last use.
    func catchUp() throws {
        try withCurrent { _ in }
    }

    /// Runs `body` on the state as of the log's head.
    func withCurrent<R>(_ body: (State) throws -> R) throws -> R {
        try folded.withLock { folded in
            let head = try log.head().position
            if head > folded.position {
                let events = try types.flatMap { try log.readType($0, from: folded.position + 1) }
                    .filter { $0.position <= head }
                    .sorted { $0.position < $1.position }
                for event in events {
                    // An event the catalogue cannot read changes no one's access: skipped, not fatal.
                    guard
                        let message = try? catalogue.decode(
                            typeName: event.type,
                            schemaVersion: event.schemaVersion,
                            payload: event.payload
                        )
                    else { continue }
                    apply(&folded.state, event, message)
                }
                folded.position = head
            }
            return try body(folded.state)
        }
    }
}
