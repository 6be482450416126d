/// When commands load their streams through snapshots.
///
/// A command folds the snapshot of a stream (``EventStore/StreamSnapshot``), if the log keeps
/// one that is anchored in this log, and then only the events after it; when it had to fold
/// more than ``foldThreshold`` events, it offers the log a snapshot of what it folded. So a
/// command on a stream of 10,000 events folds at most about that many.
public struct SnapshotPolicy: Sendable, Hashable {
    /// Whether commands read and offer snapshots at all.
    public var isEnabled: Bool
    /// A load that folds more events than this offers a snapshot of the state it reached.
    public var foldThreshold: Int

    /// Snapshots on, offered after 50 events folded.
    public static let `default` = SnapshotPolicy(isEnabled: true, foldThreshold: 50)
    /// Snapshots off: every load folds the whole stream.
    public static let disabled = SnapshotPolicy(isEnabled: false, foldThreshold: .max)

    /// A policy; see the properties. A negative threshold counts as zero.
    public init(isEnabled: Bool, foldThreshold: Int) {
        self.isEnabled = isEnabled
        self.foldThreshold = max(0, foldThreshold)
    }
}
