import Foundation
import LMDB
import Logging

/// Group commit: the log's one writer thread.
///
/// Appenders queue their work and suspend; the writer takes everything queued, applies it in
/// one LMDB transaction with one durable commit, and then resumes every caller. Under load a
/// batch holds many appends, so the cost of an fsync is shared among them. The thread is a
/// real thread, not a task: an fsync blocks, and must not block the cooperative pool.
final class AppendWriter: @unchecked Sendable {
    enum Work {
        /// An append, and what to do with its outcome.
        case append(AppendRequest, @Sendable (Result<AppendResult, EventStoreError>) -> Void)
        case checkpoint(String, UInt64, CheckedContinuation<Void, any Error>)
        /// Removes the receipts recorded before a time.
        case purgeReceipts(Timestamp, CheckedContinuation<Int, any Error>)
        /// Events another log recorded, appended as they are (an import).
        case recorded(RecordedBatch, @Sendable (Result<LogHead, EventStoreError>) -> Void)

        var eventCount: Int {
            switch self {
            case .append(let request, _): request.eventCount
            case .recorded(let batch, _): batch.events.count
            case .checkpoint, .purgeReceipts: 0
            }
        }
    }

    private enum Outcome {
        case appended(AppendResult)
        case refused(EventStoreError)
        case saved
        case purged(Int)
        case recorded(LogHead)
    }

    private let storage: LogStorage
    private let logger: Logger
    private let onCommit: @Sendable (LogHead) -> Void
    private let observers: CommitObservers
    /// The most events one batch takes, keeping each transaction's dirty pages bounded.
    private let maxBatchEvents: Int
    /// How long the writer waits for stragglers when fewer appends are queued than it took
    /// last time; zero turns the wait off.
    private let gatherWindow: Duration

    // Guarded by `condition`.
    private let condition = MonotonicCondition()
    private var queue: [Work] = []
    private var isClosing = false
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []
    private var hasExited = false
    private var lastBatchCount = 0
    /// Snapshots readers offered, the latest per stream, written with the next batch of other
    /// work so that a snapshot costs a busy log no commit (and fsync) of its own; a log with no
    /// other work for ``snapshotQuietPeriod`` writes them alone.
    private var pendingSnapshots: [StreamName: StreamSnapshot] = [:]
    private var pendingSnapshotBytes = 0

    /// The most snapshots, and bytes of their states, waiting for a batch; more offers are
    /// dropped until the waiting ones are written.
    static let maxPendingSnapshots = 1_024
    static let maxPendingSnapshotBytes = 64 << 20
    /// How long offered snapshots wait for an append to ride with before they are written on
    /// their own: a server whose commands only read (a sweep that decides nothing) would
    /// otherwise fold the same long streams again at every run.
    static let snapshotQuietPeriod = Duration.seconds(5)

    // Touched by the writer thread only.
    private var chain: ChainState

    init(
        storage: LogStorage,
        head: LogHead,
        maxBatchEvents: Int,
        gatherWindow: Duration,
        logger: Logger,
        observers: CommitObservers,
        onCommit: @escaping @Sendable (LogHead) -> Void
    ) {
        self.storage = storage
        self.chain = ChainState(head)
        self.maxBatchEvents = maxBatchEvents
        self.gatherWindow = gatherWindow
        self.logger = logger
        self.onCommit = onCommit
        self.observers = observers
        let thread = Thread { [self] in run() }
        thread.name = "rapport-log-writer"
        thread.start()
    }

    /// Queues work for the next batch, in order.
    ///
    /// - Throws: `.logClosed` once ``close()`` has begun.
    func submit(_ works: Work...) throws(EventStoreError) {
        try submit(contentsOf: works)
    }

    /// Queues several pieces of work at once, keeping their order.
    ///
    /// - Throws: `.logClosed` once ``close()`` has begun.
    func submit(contentsOf works: [Work]) throws(EventStoreError) {
        condition.lock()
        defer { condition.unlock() }
        guard !isClosing else { throw .closed }
        queue.append(contentsOf: works)
        condition.signal()
    }

    /// Offers a snapshot to be written with the next batch: it rides along with the appends
    /// that follow, or is written on its own after ``snapshotQuietPeriod`` without any. Dropped
    /// when the log is closing, when a later one of its stream waits already, or when too many
    /// wait.
    func offer(_ snapshot: StreamSnapshot) {
        condition.lock()
        defer { condition.unlock() }
        guard !isClosing else { return }
        let waiting = pendingSnapshots[snapshot.stream]
        if let waiting, waiting.version >= snapshot.version { return }
        let bytes = pendingSnapshotBytes - (waiting?.state.count ?? 0) + snapshot.state.count
        guard waiting != nil || pendingSnapshots.count < Self.maxPendingSnapshots,
            bytes <= Self.maxPendingSnapshotBytes
        else { return }
        // The first snapshot waiting wakes an idle writer, to time its quiet period.
        if pendingSnapshots.isEmpty { condition.signal() }
        pendingSnapshots[snapshot.stream] = snapshot
        pendingSnapshotBytes = bytes
    }

    /// Stops taking work, finishes what is queued, and returns when the thread has exited.
    func close() async {
        await withCheckedContinuation { continuation in
            condition.lock()
            isClosing = true
            if hasExited {
                condition.unlock()
                continuation.resume()
                return
            }
            exitWaiters.append(continuation)
            condition.signal()
            condition.unlock()
        }
    }

    // MARK: - The writer thread

    private func run() {
        while let (batch, snapshots) = nextBatch() {
            commit(batch, snapshots: snapshots)
        }
        condition.lock()
        hasExited = true
        let waiters = exitWaiters
        exitWaiters = []
        condition.unlock()
        for waiter in waiters { waiter.resume() }
    }

    /// Waits for work and takes a batch of it, with the snapshots waiting; `nil` when closing
    /// with nothing left. Snapshots alone make a batch when closing, or after
    /// ``snapshotQuietPeriod`` without other work.
    private func nextBatch() -> ([Work], [StreamSnapshot])? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !isClosing {
            if pendingSnapshots.isEmpty {
                condition.wait()
            } else if !condition.wait(until: MonotonicCondition.deadline(after: Self.snapshotQuietPeriod)),
                queue.isEmpty, !isClosing
            {
                return ([], takeSnapshots())
            }
        }
        if queue.isEmpty {
            guard !pendingSnapshots.isEmpty else { return nil }
            return ([], takeSnapshots())
        }
        // Under concurrent load the appenders the last commit resumed are on their way back
        // with their next append, while others queued during that commit: waiting a moment
        // for the returning ones lets one fsync cover them all. A lone sequential appender
        // (last batch of one) never waits.
        if lastBatchCount > 1 && gatherWindow > .zero {
            let expected = queue.count + lastBatchCount
            // On the monotonic clock (see MonotonicCondition); every enqueue signals, so the
            // wait ends as soon as the batch is whole.
            let deadline = MonotonicCondition.deadline(after: gatherWindow)
            while queue.count < expected && !isClosing {
                guard condition.wait(until: deadline) else { break }
            }
        }
        var events = 0
        var taken = 0
        for work in queue {
            if taken > 0 && events + work.eventCount > maxBatchEvents { break }
            events += work.eventCount
            taken += 1
        }
        let batch = Array(queue.prefix(taken))
        queue.removeFirst(taken)
        lastBatchCount = taken
        return (batch, takeSnapshots())
    }

    /// The snapshots waiting, in stream order; the caller holds the lock.
    private func takeSnapshots() -> [StreamSnapshot] {
        let snapshots = pendingSnapshots.values.sorted { $0.stream < $1.stream }
        pendingSnapshots = [:]
        pendingSnapshotBytes = 0
        return snapshots
    }

    private func commit(_ batch: [Work], snapshots: [StreamSnapshot] = []) {
        let recordedAt = max(Timestamp.now(), chain.recordedAt)
        let outcomes: [Outcome]
        do {
            var committed = chain
            let clock = ContinuousClock()
            let start = clock.now
            var applied = start
            outcomes = try storage.environment.withWriteTransaction { txn in
                committed = chain
                var pending = PendingIndexes()
                let outcomes = try batch.map { work in
                    try apply(work, in: txn, chain: &committed, pending: &pending, recordedAt: recordedAt)
                }
                try storage.writeIndexes(pending, in: txn)
                for snapshot in snapshots { try storage.saveSnapshot(snapshot, in: txn) }
                applied = clock.now
                return outcomes
            }
            let end = clock.now
            if committed.position != chain.position { onCommit(committed.head) }
            // A purge that found nothing to remove wrote nothing: no commit to report.
            let wroteNothing = outcomes.allSatisfy { if case .purged(0) = $0 { true } else { false } }
            if !wroteNothing {
                observers.report(Self.report(batch, outcomes, apply: applied - start, commit: end - applied))
            }
            chain = committed
        } catch {
            if !snapshots.isEmpty {
                // A snapshot is only a cache: it never costs an append its commit.
                logger.warning(
                    "snapshots not written",
                    metadata: ["count": "\(snapshots.count)", "error": "\(error)"]
                )
                commit(batch)
                return
            }
            if batch.count > 1 {
                // One append may be what failed (too large for one transaction, say):
                // commit the others on their own rather than failing them all.
                for work in batch { commit([work]) }
                return
            }
            let failure: EventStoreError =
                if let error = error as? LMDBError {
                    .storage(error, while: "committing an append to the log at \(storage.environment.path)")
                } else if let error = error as? EventStoreError { error } else {
                    EventStoreError(
                        .storage,
                        "committing an append to the log at \(storage.environment.path) failed: \(error)"
                    )
                }
            logger.error("append failed", metadata: ["error": "\(failure)"])
            outcomes = batch.map { _ in .refused(failure) }
        }
        for (work, outcome) in zip(batch, outcomes) {
            switch (work, outcome) {
            case (.append(_, let completion), .appended(let result)): completion(.success(result))
            case (.append(_, let completion), .refused(let error)): completion(.failure(error))
            case (.checkpoint(_, _, let continuation), .saved): continuation.resume()
            case (.checkpoint(_, _, let continuation), .refused(let error)): continuation.resume(throwing: error)
            case (.purgeReceipts(_, let continuation), .purged(let count)): continuation.resume(returning: count)
            case (.purgeReceipts(_, let continuation), .refused(let error)): continuation.resume(throwing: error)
            case (.recorded(_, let completion), .recorded(let head)): completion(.success(head))
            case (.recorded(_, let completion), .refused(let error)): completion(.failure(error))
            default: preconditionFailure("an outcome does not match its work")
            }
        }
    }

    private static func report(
        _ batch: [Work],
        _ outcomes: [Outcome],
        apply: Duration,
        commit: Duration
    ) -> CommitReport {
        var report = CommitReport(appends: 0, refusals: 0, events: 0, applyDuration: apply, commitDuration: commit)
        for (work, outcome) in zip(batch, outcomes) {
            switch outcome {
            case .appended, .recorded:
                report.appends += 1
                report.events += work.eventCount
            case .refused:
                report.refusals += 1
            case .saved, .purged:
                break
            }
        }
        return report
    }

    private func apply(
        _ work: Work,
        in txn: borrowing WriteTransaction,
        chain: inout ChainState,
        pending: inout PendingIndexes,
        recordedAt: Timestamp
    ) throws -> Outcome {
        switch work {
        case .append(let request, _):
            do {
                return .appended(
                    try storage.apply(request, in: txn, chain: &chain, pending: &pending, recordedAt: recordedAt)
                )
            } catch let refusal as EventStoreError {
                return .refused(refusal)
            }
        case .checkpoint(let name, let position, _):
            try storage.saveCheckpoint(name, position: position, in: txn)
            return .saved
        case .purgeReceipts(let cutoff, _):
            return .purged(try storage.purgeReceipts(recordedBefore: cutoff, in: txn))
        case .recorded(let batch, _):
            do {
                return .recorded(try storage.applyRecorded(batch, in: txn, chain: &chain, pending: &pending))
            } catch let refusal as EventStoreError {
                return .refused(refusal)
            }
        }
    }
}
