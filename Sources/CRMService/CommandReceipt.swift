public import EventStore
import Foundation
import Synchronization

/// The receipt a command sent with a client's idempotency key leaves in the log, in the same
/// append as its events, so that a retry after any crash finds both or neither.
///
/// A caller (the HTTP server) makes one per keyed command and runs the command with it as
/// ``current``; the service's first append of the command carries it, and every id the
/// command makes (``CRMService`` `newID()`) is written into its note, in order, so the
/// caller can rebuild the command's answer from the log alone.
public final class CommandReceipt: Sendable {
    /// The receipt of the command the current task runs.
    @TaskLocal public static var current: CommandReceipt?

    /// What the log keeps with a receipt: enough to answer a retry without running the
    /// command again.
    public struct Note: Codable, Sendable, Hashable {
        /// The caller's fingerprint of the request the key was first used for.
        public var request: String
        /// How the caller answers the command, in its own terms.
        public var answer: String
        /// The ids the command made, in the order it made them.
        public var ids: [String]

        /// A note for `request`, answered as `answer`, with the `ids` made.
        public init(request: String, answer: String = "", ids: [String] = []) {
            self.request = request
            self.answer = answer
            self.ids = ids
        }

        /// The note stored in `receipt`, or `nil` when it is not one.
        public init?(_ receipt: StoredReceipt) {
            guard let note = try? JSONDecoder().decode(Note.self, from: Data(receipt.note)) else { return nil }
            self = note
        }
    }

    /// The key the receipt is kept under.
    public let key: [UInt8]
    private let state: Mutex<(note: Note, taken: Bool)>

    /// A receipt under `key` for the request whose fingerprint is `request`.
    public init(key: [UInt8], request: String) {
        self.key = key
        state = Mutex((Note(request: request), false))
    }

    /// Says how the caller will answer the command, kept in the note for retries.
    public func answer(_ answer: String) {
        state.withLock { $0.note.answer = answer }
    }

    /// Whether an append has carried the receipt: the command's events are in the log.
    public var isTaken: Bool { state.withLock { $0.taken } }

    /// The note as it stands.
    public var note: Note { state.withLock { $0.note } }

    /// Notes an id the command made.
    func record(id: String) {
        state.withLock { $0.note.ids.append(id) }
    }

    /// The receipt for the command's first append, or `nil` once an append has carried it.
    func take() throws -> AppendReceipt? {
        let note = state.withLock { state -> Note? in
            guard !state.taken else { return nil }
            state.taken = true
            return state.note
        }
        guard let note else { return nil }
        return try AppendReceipt(key: key, note: Array(JSONEncoder().encode(note)))
    }

    /// Gives the receipt back after its append was refused, for the next attempt.
    func giveBack() {
        state.withLock { $0.taken = false }
    }
}

extension CRMService {
    /// Appends a command's events, with the receipt of the keyed command the task runs (if
    /// any) on its first append.
    @discardableResult
    func append(_ request: AppendRequest) async throws -> AppendResult {
        var request = request
        let receipt = CommandReceipt.current
        request.receipt = try receipt?.take()
        do {
            return try await log.append(request)
        } catch {
            if request.receipt != nil { receipt?.giveBack() }
            throw error
        }
    }

    /// Appends `events` to one stream, as ``append(_:)``.
    @discardableResult
    func append(
        to stream: StreamName,
        expecting expectedVersion: ExpectedVersion,
        _ events: [EventData]
    ) async throws -> AppendResult {
        try await append(
            AppendRequest([StreamAppend(stream: stream, expectedVersion: expectedVersion, events: events)])
        )
    }
}
