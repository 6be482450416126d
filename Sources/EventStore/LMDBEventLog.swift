import Foundation
import LMDB
public import Logging
import Synchronization

/// The embedded event log: one LMDB environment in a directory, appended to by one process.
///
/// Open it writable in the one process that appends (it takes `writer.lock`; a second writer
/// is refused), and read-only anywhere else: replay, verify and backup run beside the writer
/// and see only committed events.
public final class LMDBEventLog: EventLog {
    /// How much an append's commit waits for the disk.
    public enum Durability: String, Sendable, CaseIterable {
        /// fsync on every commit (one per batch): a returned append survives a power cut.
        case durable
        /// No metadata fsync: a crash of the OS may undo the last batch, never corrupt the log.
        case relaxed
        /// No fsync at all (bulk import): the OS writes back when it likes.
        case none
    }

    /// How the log is opened.
    public struct Options: Sendable {
        /// Open read-only: no appends, no writer lock, the log must exist.
        public var readOnly = false
        /// The commit durability for appends.
        public var durability = Durability.durable
        /// The initial LMDB map size; it doubles whenever full.
        public var initialMapSize = 1 << 30
        /// The largest event payload accepted, in bytes.
        public var maxEventSize = 4 << 20
        /// The most events one append may carry.
        public var maxEventsPerAppend = 100_000
        /// The most events the writer commits in one transaction.
        public var maxBatchEvents = 20_000
        /// Under concurrent load, how long the writer waits for more appends before a commit,
        /// so that one fsync serves more of them. Zero commits at once.
        public var groupCommitWindow = Duration.microseconds(250)
        /// How often a read-only log looks for events appended by the writing process.
        public var pollInterval = Duration.milliseconds(20)
        /// The process reads the log at random (a server loading streams), not front to back
        /// (a rebuild, a verify, an export): the OS reads no pages ahead of those asked for, so
        /// the pages the process holds are the ones it used.
        public var randomReads = false

        /// Writable, durable, 1 GiB initial map, 4 MiB events.
        public init() {}
    }

    /// The log's directory.
    public let directory: String
    /// Whether this handle may append.
    public var isReadOnly: Bool { writer == nil }

    let storage: LogStorage
    let limits: AppendLimits
    let writer: AppendWriter?
    private let writerLock: WriterLock?
    let notifier: HeadNotifier
    private let commitObservers = CommitObservers()
    private let closed = Atomic<Bool>(false)
    let pollInterval: Duration
    private let logger: Logger

    /// Opens the log in `directory`, creating the directory and an empty log when writable.
    ///
    /// - Throws: `EventStoreError` with `.logNotFound`, `.notARapportLog`,
    ///   `.unsupportedFormat`, `.writerLocked` or `.storage`.
    public init(
        directory: String,
        options: Options = Options(),
        logger: Logger = Logger(label: "rapport.log")
    ) throws(EventStoreError) {
        self.directory = directory
        self.logger = logger
        self.pollInterval = options.pollInterval
        self.limits = AppendLimits(maxEventSize: options.maxEventSize, maxEventsPerAppend: options.maxEventsPerAppend)
        var environmentOptions = Environment.Options()
        environmentOptions.mapSize = options.initialMapSize
        environmentOptions.noSync = options.durability == .none
        environmentOptions.noMetaSync = options.durability == .relaxed
        environmentOptions.noReadAhead = options.randomReads
        if options.readOnly {
            writerLock = nil
            storage = try LogStorage.open(directory: directory, readOnly: true, options: environmentOptions)
        } else {
            if !FileManager.default.fileExists(atPath: directory) {
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw EventStoreError(
                        .storage,
                        "cannot create the log directory \(directory): \(error.systemReason)"
                    )
                }
            }
            writerLock = try WriterLock(directory: directory)
            storage = try LogStorage.open(directory: directory, readOnly: false, options: environmentOptions)
        }
        let head: LogHead
        do {
            head = try storage.environment.withReadTransaction { [storage] txn in try storage.head(in: txn) }
        } catch {
            throw Self.wrap(error, while: "reading the head of the log")
        }
        notifier = HeadNotifier(head: head.position)
        if options.readOnly {
            writer = nil
        } else {
            writer = AppendWriter(
                storage: storage,
                head: head,
                maxBatchEvents: options.maxBatchEvents,
                gatherWindow: options.groupCommitWindow,
                logger: logger,
                observers: commitObservers,
                onCommit: { [notifier] head in notifier.advance(to: head.position) }
            )
        }
        logger.debug(
            "opened log",
            metadata: ["directory": "\(directory)", "head": "\(head.position)", "readOnly": "\(options.readOnly)"]
        )
    }

    /// Makes every commit so far durable, whatever the durability mode: the end of a bulk
    /// load appended with `.none`.
    ///
    /// - Throws: `EventStoreError` `.storage` when the disk refuses.
    public func sync() throws(EventStoreError) {
        do {
            try storage.environment.sync(force: true)
        } catch {
            throw Self.wrap(error, while: "syncing the log to disk")
        }
    }

    /// Calls `observer` on the writer thread after every commit, with what it wrote and how long
    /// it took: keep it short, it delays the next commit.
    public func observeCommits(_ observer: @escaping @Sendable (CommitReport) -> Void) {
        commitObservers.add(observer)
    }

    /// Finishes queued appends, ends subscriptions, and refuses everything after.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await writer?.close()
        notifier.close()
        storage.environment.close()
        writerLock?.release()
        logger.debug("closed log", metadata: ["directory": "\(directory)"])
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { closed.load(ordering: .acquiring) }

    // MARK: - Appends

    public func append(_ request: AppendRequest) async throws -> AppendResult {
        guard let writer else { throw EventStoreError(.readOnly, "the log at \(directory) is open read-only") }
        guard !isClosed else { throw EventStoreError.closed }
        try limits.check(request)
        return try await withCheckedThrowingContinuation { continuation in
            do {
                try writer.submit(.append(request) { continuation.resume(with: $0) })
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Appends the requests in order, each all-or-nothing on its own, queued together so that
    /// they share commits: a bulk load's way to append many small decisions in order at the
    /// speed of large appends.
    ///
    /// - Returns: each request's result, in order; a refused request changed nothing and the
    ///   others still went in.
    /// - Throws: `EventStoreError` when the log is read-only or closed; nothing was appended.
    public func append(contentsOf requests: [AppendRequest]) async throws -> [Result<AppendResult, EventStoreError>] {
        guard let writer else { throw EventStoreError(.readOnly, "the log at \(directory) is open read-only") }
        guard !isClosed else { throw EventStoreError.closed }
        guard !requests.isEmpty else { return [] }
        let collector = ResultCollector(count: requests.count)
        var works: [AppendWriter.Work] = []
        for (index, request) in requests.enumerated() {
            do {
                try limits.check(request)
                works.append(.append(request) { collector.set(index, $0) })
            } catch {
                collector.set(index, .failure(error))
            }
        }
        let queued = works
        return try await withCheckedThrowingContinuation { continuation in
            do {
                // Queued before the completion is set, so a closed log leaves no one waiting.
                try writer.submit(contentsOf: queued)
                collector.onComplete { continuation.resume(returning: $0) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    public func saveCheckpoint(_ name: String, position: UInt64) async throws {
        guard let writer else { throw EventStoreError(.readOnly, "the log at \(directory) is open read-only") }
        guard !name.isEmpty, name.utf8.count <= EventData.maxNameLength else {
            throw EventStoreError.invalidField("checkpoint name", name, "must be 1 to \(EventData.maxNameLength) bytes")
        }
        guard !isClosed else { throw EventStoreError.closed }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            do {
                try writer.submit(.checkpoint(name, position, continuation))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    @discardableResult
    public func purgeReceipts(recordedBefore cutoff: Timestamp) async throws -> Int {
        guard let writer else { throw EventStoreError(.readOnly, "the log at \(directory) is open read-only") }
        guard !isClosed else { throw EventStoreError.closed }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
            do {
                try writer.submit(.purgeReceipts(cutoff, continuation))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    // MARK: - Small reads

    public func head() throws(EventStoreError) -> LogHead {
        try read("reading the head") { txn in try storage.head(in: txn) }
    }

    public func currentVersion(of stream: StreamName) throws(EventStoreError) -> UInt64? {
        try read("reading the version of \(stream)") { txn in try storage.currentVersion(of: stream, in: txn) }
    }

    public func owner(of key: UniqueKey) throws(EventStoreError) -> StreamName? {
        try read("reading the owner of \(key)") { txn in
            try storage.owner(of: key, in: txn).map(StreamName.init(trusted:))
        }
    }

    public func receipt(for key: [UInt8]) throws(EventStoreError) -> StoredReceipt? {
        try read("reading a receipt") { txn in try storage.receipt(for: key, in: txn) }
    }

    public func checkpoint(named name: String) throws(EventStoreError) -> UInt64? {
        try read("reading checkpoint \(name)") { txn in try storage.checkpoint(named: name, in: txn) }
    }

    /// Runs `body` in a read transaction, turning storage failures into `EventStoreError`.
    func read<R>(_ action: String, _ body: (borrowing ReadTransaction) throws -> R) throws(EventStoreError) -> R {
        guard !isClosed else { throw EventStoreError.closed }
        do {
            return try storage.environment.withReadTransaction(body)
        } catch {
            throw Self.wrap(error, while: action)
        }
    }

    static func wrap(_ error: any Error, while action: String) -> EventStoreError {
        switch error {
        case let error as EventStoreError: error
        case let error as LMDBError where error == .environmentClosed: .closed
        case let error as LMDBError: .storage(error, while: action)
        default: EventStoreError(.storage, "\(action) failed: \(error)")
        }
    }
}
