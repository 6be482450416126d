import Synchronization

/// What one group commit wrote, for metrics: how many appends it carried and how long its
/// parts took.
public struct CommitReport: Sendable {
    /// Appends (and imported batches) the commit made durable.
    public var appends: Int
    /// Appends in the batch that were refused (a wrong expected version, a taken unique key, …)
    /// and so wrote nothing.
    public var refusals: Int
    /// Events the commit made durable.
    public var events: Int
    /// Encoding, chain hashing and index writes of the batch, inside its transaction.
    public var applyDuration: Duration
    /// LMDB's commit of the batch: writing its dirty pages and, in the durable mode, the
    /// fsyncs, which are most of it.
    public var commitDuration: Duration
}

/// The callbacks told of every commit. Kept apart from the writer so that observers can be
/// added after the log is open.
final class CommitObservers: Sendable {
    private let observers = Mutex<[@Sendable (CommitReport) -> Void]>([])

    func add(_ observer: @escaping @Sendable (CommitReport) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    func report(_ report: CommitReport) {
        for observer in observers.withLock({ $0 }) { observer(report) }
    }
}
