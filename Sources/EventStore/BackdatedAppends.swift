/// One append whose business time is earlier than the time the log recorded it: the trace a
/// back-dated command leaves, for an auditor.
///
/// An append is told by its events: consecutive positions sharing one actor, one recorded
/// time and one business time. (Two back-dated commands of one actor with the same business
/// time that the writer commits together show as one.)
public struct BackdatedAppend: Sendable, Hashable {
    /// The append's first and last positions.
    public var positions: ClosedRange<UInt64>
    /// Who appended it.
    public var actor: String
    /// The stream of its first event.
    public var stream: StreamName
    /// Its event types, each once, in the order they first appear.
    public var types: [String]
    /// The business time it claims.
    public var occurredAt: Timestamp
    /// When the log recorded it.
    public var recordedAt: Timestamp

    /// How far back it was dated, in nanoseconds.
    public var backdatedNanoseconds: Int64 { Self.lag(recordedAt, occurredAt) }

    /// `recorded − occurred` in nanoseconds, saturating at the bounds of `Int64`.
    static func lag(_ recorded: Timestamp, _ occurred: Timestamp) -> Int64 {
        let (lag, overflow) = recorded.nanosecondsSinceEpoch.subtractingReportingOverflow(
            occurred.nanosecondsSinceEpoch
        )
        guard overflow else { return lag }
        return recorded > occurred ? .max : .min
    }
}

/// A page of ``BackdatedAppend``s and where to go on.
public struct BackdatedAppendsPage: Sendable, Hashable {
    /// The appends found, in position order.
    public var appends: [BackdatedAppend]
    /// The position to scan from next; nil when the scan reached the log's head.
    public var next: UInt64?
}

extension EventLog {
    /// The appends from `position` on that were dated at least `minimumLag` before the log
    /// recorded them, by `actor` when given: who back-dated what, and how far.
    ///
    /// A page ends after `limit` appends or once about `scanLimit` events have been read,
    /// always between two appends, so one request costs a bounded read whatever the log's
    /// length; `next` continues it.
    public func backdatedAppends(
        from position: UInt64,
        minimumLag: Duration,
        actor: String? = nil,
        limit: Int,
        scanLimit: Int = 100_000
    ) async throws -> BackdatedAppendsPage {
        let minimumNanoseconds = minimumLag.clampedNanoseconds
        var appends: [BackdatedAppend] = []
        var open: BackdatedAppend?
        var scanned = 0
        var cursor = max(position, 1)
        func isBackdated(_ event: RecordedEvent) -> Bool {
            BackdatedAppend.lag(event.recordedAt, event.occurredAt) >= minimumNanoseconds
                && (actor == nil || event.actor == actor)
        }
        while true {
            let events = try await readAll(from: cursor, direction: .forward, limit: 1_000, filter: .all)
            guard let last = events.last else { break }
            for event in events {
                if var append = open, append.continues(with: event) {
                    append.add(event)
                    open = append
                    continue
                }
                if let append = open {
                    appends.append(append)
                    open = nil
                }
                if appends.count >= limit || scanned >= scanLimit {
                    return BackdatedAppendsPage(appends: appends, next: event.position)
                }
                if isBackdated(event) { open = BackdatedAppend(event) }
                scanned += 1
            }
            cursor = last.position + 1
        }
        if let open { appends.append(open) }
        return BackdatedAppendsPage(appends: appends, next: nil)
    }
}

extension BackdatedAppend {
    fileprivate init(_ event: RecordedEvent) {
        positions = event.position...event.position
        (actor, stream, types) = (event.actor, event.stream, [event.type])
        (occurredAt, recordedAt) = (event.occurredAt, event.recordedAt)
    }

    /// Whether `event` is the next of this append's.
    fileprivate func continues(with event: RecordedEvent) -> Bool {
        event.position == positions.upperBound + 1 && event.actor == actor && event.recordedAt == recordedAt
            && event.occurredAt == occurredAt
    }

    fileprivate mutating func add(_ event: RecordedEvent) {
        positions = positions.lowerBound...event.position
        if !types.contains(event.type) { types.append(event.type) }
    }
}

extension Duration {
    /// The duration in nanoseconds, saturating at `Int64.max` (and at 0 below zero).
    fileprivate var clampedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, carry) = nanoseconds.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow || carry ? .max : total
    }
}
