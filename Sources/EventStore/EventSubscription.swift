/// A live sequence of events: what the log holds from a start position, then each new commit.
///
/// The iterator reads the log itself in position order, both while catching up and after, so
/// there is no switch-over at which an event could be missed or seen twice. In the writing
/// process it wakes on each commit; in a read-only process it polls.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent
    public typealias Failure = any Error

    let log: LMDBEventLog
    /// The first position the subscription may deliver.
    public let startPosition: UInt64
    let filter: EventFilter
    /// How many records one read transaction examines at most.
    static let scanWindow = 1_024

    public func makeAsyncIterator() -> Iterator {
        Iterator(log: log, nextPosition: startPosition, filter: filter)
    }

    /// Yields events in position order; ends when the log closes or the task is cancelled.
    public struct Iterator: AsyncIteratorProtocol {
        let log: LMDBEventLog
        var nextPosition: UInt64
        let filter: EventFilter
        var buffer: [RecordedEvent] = []
        var index = 0

        public mutating func next() async throws -> RecordedEvent? {
            while true {
                if index < buffer.count {
                    defer { index += 1 }
                    return buffer[index]
                }
                if Task.isCancelled || log.isClosed { return nil }
                try fill()
                if !buffer.isEmpty { continue }
                if log.isReadOnly {
                    try? await Task.sleep(for: log.pollInterval)
                } else {
                    await log.notifier.wait(beyond: nextPosition - 1)
                }
            }
        }

        /// Every event already read and not yet returned, waiting for the log to grow when
        /// there are none; `nil` when the log closes or the task is cancelled.
        ///
        /// For consumers that commit their own work in batches: one call hands over what one
        /// read of the log found (at most ``EventSubscription/scanWindow`` records examined).
        public mutating func nextBatch() async throws -> [RecordedEvent]? {
            guard let first = try await next() else { return nil }
            var batch = [first]
            batch.append(contentsOf: buffer[index...])
            index = buffer.count
            return batch
        }

        /// Reads the next window of the log into the buffer.
        private mutating func fill() throws {
            buffer.removeAll(keepingCapacity: true)
            index = 0
            var examined = 0
            var last = nextPosition - 1
            var found: [RecordedEvent] = []
            let matcher = filter.isAll ? nil : RecordMatcher(filter)
            try log.scan(from: nextPosition, filter: .all) { record in
                examined += 1
                last = record.position
                if matcher?.matches(record) ?? true { found.append(record.decode()) }
                return examined < EventSubscription.scanWindow
            }
            buffer = found
            nextPosition = last + 1
        }
    }
}

extension EventSubscription {
    /// The same events a batch at a time: what each read of the log found, for consumers
    /// whose cost is per delivery rather than per event (a network write, a commit).
    public var batches: Batches { Batches(subscription: self) }

    /// The subscription's events in batches, as ``EventSubscription/Iterator/nextBatch()``
    /// returns them: in position order, never empty.
    public struct Batches: AsyncSequence, Sendable {
        public typealias Element = [RecordedEvent]
        public typealias Failure = any Error

        let subscription: EventSubscription

        public func makeAsyncIterator() -> Iterator {
            Iterator(events: subscription.makeAsyncIterator())
        }

        /// Yields batches; ends when the log closes or the task is cancelled.
        public struct Iterator: AsyncIteratorProtocol {
            var events: EventSubscription.Iterator

            public mutating func next() async throws -> [RecordedEvent]? {
                try await events.nextBatch()
            }
        }
    }
}

extension LMDBEventLog {
    /// Subscribes from `start`; see ``EventSubscription``.
    public func subscribe(
        from start: SubscriptionStart = .beginning,
        filter: EventFilter = .all
    ) throws(EventStoreError)
        -> EventSubscription
    {
        let first: UInt64 =
            switch start {
            case .beginning: 1
            case .position(let position): max(position, 1)
            case .after(let position): position == .max ? .max : position + 1
            case .now: try head().position + 1
            case .checkpoint(let name): (try checkpoint(named: name) ?? 0) + 1
            }
        return EventSubscription(log: self, startPosition: first, filter: filter)
    }
}
