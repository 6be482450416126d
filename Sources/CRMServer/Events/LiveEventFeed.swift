import EventStore
import ServiceLifecycle
import Synchronization

/// One reader of the log's new events for every subscriber following it live.
///
/// Each new commit is read and decoded once, here, and handed to every follower, instead of
/// each of a hundred subscribers waking, reading and decoding it on its own. Batches go out at
/// most every `interval`, so under a steady load a follower gets one batch per interval
/// rather than one per commit. A follower that does not keep up loses the oldest batches
/// from its buffer; ``SubscriberCursor`` sees the gap and reads it from the log, so nothing
/// is ever missed.
final class LiveEventFeed: Service, Sendable {
    private struct State {
        /// The last position handed to the followers.
        var published: UInt64
        var followers: [Int: AsyncStream<[RecordedEvent]>.Continuation] = [:]
        var nextID = 0
        var isFinished = false
    }

    private let log: LMDBEventLog
    private let interval: Duration
    private let bufferedBatches: Int
    private let state: Mutex<State>

    /// A feed of what `log` commits after its head now, in batches at most every `interval`,
    /// each follower buffering up to `bufferedBatches` of them.
    init(log: LMDBEventLog, interval: Duration, bufferedBatches: Int = 256) throws {
        self.log = log
        self.interval = interval
        self.bufferedBatches = bufferedBatches
        state = Mutex(State(published: try log.head().position))
    }

    /// Starts following: every batch published from now on, and the position published last,
    /// which the follower reads up to from the log itself.
    func follow() -> (published: UInt64, batches: AsyncStream<[RecordedEvent]>) {
        let (batches, continuation) = AsyncStream<[RecordedEvent]>.makeStream(
            bufferingPolicy: .bufferingNewest(bufferedBatches)
        )
        let published = state.withLock { state in
            if state.isFinished {
                continuation.finish()
            } else {
                let id = state.nextID
                state.nextID += 1
                state.followers[id] = continuation
                continuation.onTermination = { [weak self] _ in
                    _ = self?.state.withLock { $0.followers.removeValue(forKey: id) }
                }
            }
            return state.published
        }
        return (published, batches)
    }

    /// Reads each new commit once and publishes it, until the server shuts down; then every
    /// follower's stream ends.
    func run() async throws {
        defer {
            let followers = state.withLock { state in
                state.isFinished = true
                return Array(state.followers.values)
            }
            for follower in followers { follower.finish() }
        }
        let start = state.withLock { $0.published }
        try await stoppingOnShutdown { [self] in
            var batches = try log.subscribe(from: .after(start)).batches.makeAsyncIterator()
            while let batch = try await batches.next(), let last = batch.last {
                state.withLock { state in
                    state.published = last.position
                    for follower in state.followers.values { follower.yield(batch) }
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}

extension LiveEventFeed: CustomStringConvertible {
    var description: String { "LiveEventFeed" }
}

/// Where one subscriber is: the next position it may be sent, and what it wants. Turns what
/// the log holds and what the feed publishes into the events to send, in position order,
/// each once.
struct SubscriberCursor: Sendable {
    private let log: LMDBEventLog
    private let filter: EventFilter
    /// The next position the subscriber may be sent.
    private(set) var next: UInt64

    /// A cursor at position `first`.
    init(log: LMDBEventLog, filter: EventFilter, first: UInt64) {
        self.log = log
        self.filter = filter
        next = first
    }

    /// The next stretch of wanted events up to position `bound`, read from the log; `nil` once
    /// the cursor is past `bound`.
    mutating func catchUp(through bound: UInt64) throws -> [RecordedEvent]? {
        guard next <= bound else { return nil }
        let window = 1_024
        let read = try log.readAll(from: next, limit: window, filter: filter)
        let wanted = read.prefix { $0.position <= bound }
        if read.count < window || wanted.count < read.count {
            next = bound + 1
        } else if let last = wanted.last {
            next = last.position + 1
        }
        return Array(wanted)
    }

    /// The next stretch of a gap before `batch` (batches the feed dropped while this
    /// subscriber was slow), read from the log; `nil` when there is none left.
    mutating func gap(before batch: [RecordedEvent]) throws -> [RecordedEvent]? {
        guard let first = batch.first?.position, first > next else { return nil }
        return try catchUp(through: first - 1)
    }

    /// The wanted events of a published batch that were not sent yet, once every gap before
    /// it has been read.
    mutating func events(of batch: [RecordedEvent]) -> [RecordedEvent] {
        guard let last = batch.last, last.position >= next else { return [] }
        let from = next
        next = last.position + 1
        return batch.filter { $0.position >= from && filter.matches($0) }
    }
}
