/// Runs blocking work — LMDB commits that fsync, folds that take more than a moment — one job
/// at a time on a thread of its own, so it never holds one of the few threads of Swift's
/// cooperative pool that serve requests (two on a 2-core machine).
///
/// The server's stores share one worker; the projection runner has its own executor of the
/// same kind.
public actor BlockingWorker {
    private let executor: ThreadExecutor

    /// A worker on a new thread named `name`.
    public init(name: String) {
        executor = ThreadExecutor(name: name)
    }

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Runs `work` on the worker's thread and returns its result.
    public func run<T: Sendable>(_ work: @Sendable () throws -> T) throws -> T {
        try work()
    }
}
