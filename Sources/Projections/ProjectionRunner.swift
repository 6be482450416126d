public import EventStore
public import Logging

/// Keeps read models up to date with the log: loads them, rebuilds those that need it, then
/// follows the log and commits each batch of events together with the checkpoint.
///
/// All projectors of a runner move together: after ``start(progress:)`` they share one
/// checkpoint, and each batch is committed for all of them in one transaction. Queries read the
/// ``ReadModelStore`` directly and never wait for the runner.
public actor ProjectionRunner<Payload: Sendable> {
    private let log: LMDBEventLog
    private let store: ReadModelStore
    private let decoder: ProjectionDecoder<Payload>
    private let types: [any Projector<Payload>.Type]
    private let logger: Logger
    private var projectors: [any Projector<Payload>] = []
    /// The last position applied and committed for every projector.
    public private(set) var checkpoint: UInt64 = 0
    private var started = false
    /// The read models a rebuild is under way for: their spare rows are in use.
    private var rebuilding: Set<String> = []
    private var beforeCommit: (@Sendable (UInt64) -> Void)?
    /// The runner's own thread: applying a batch and committing it (an fsync) block, and must
    /// not hold a thread of the cooperative pool that serves requests meanwhile.
    private let executor = ThreadExecutor(name: "rapport-projections")

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    /// How many positions a catch-up at start applies between commits.
    static var catchUpCommitInterval: UInt64 { 65_536 }

    /// A runner for `projectors` over `log`, storing into `store`.
    public init(
        log: LMDBEventLog,
        store: ReadModelStore,
        decoder: ProjectionDecoder<Payload>,
        projectors: [any Projector<Payload>.Type],
        logger: Logger = Logger(label: "rapport.projections")
    ) {
        self.log = log
        self.store = store
        self.decoder = decoder
        self.types = projectors
        self.logger = logger
    }

    // MARK: - Starting

    /// Loads each read model and brings all of them to the head of the log.
    ///
    /// A read model never built, built by another version of its projector, stored in another row
    /// format, built only as of a point, or ahead of the log, is rebuilt from the start; the
    /// others catch up from their checkpoints. Progress covers the whole of it.
    public func start(progress: ProjectionProgressHandler? = nil) async throws(ProjectionError) {
        try ProjectionBuilder.checkNames(types)
        let head = try ProjectionBuilder.head(of: log)
        var fresh: [any Projector<Payload>] = []
        var loaded: [UInt64: [any Projector<Payload>]] = [:]
        for type in types {
            // The status decides before any row is read: rows written by another version of a
            // projector may not decode as this version's.
            let status = try store.status(of: type.name)
            if let status, status.canResume(version: type.version, head: head) {
                let projector = type.init()
                _ = try store.attach(projector)
                loaded[status.checkpoint, default: []].append(projector)
            } else {
                logger.info(
                    "rebuilding read model",
                    metadata: [
                        "projector": "\(type.name)", "version": "\(type.version)",
                        "stored_version": "\(status.map { "\($0.version)" } ?? "none")",
                        "stored_row_format": "\(status.map { $0.rowFormat.map { "\($0)" } ?? "json" } ?? "none")",
                    ]
                )
                fresh.append(type.init())
            }
        }
        if !fresh.isEmpty {
            try store.prepareBuild(of: fresh)
            let fold = ProjectionFold(fresh, decoder: decoder)
            let reached = try await fold.run(
                from: 1,
                through: head,
                limit: nil,
                log: log,
                progress: progress,
                buildingInto: store
            )
            try await fold.flush(into: store)
            try store.install(fresh, checkpoint: reached)
        }
        for (from, group) in loaded where from < head {
            // Committed every stretch, so a long catch-up that is stopped keeps what it did.
            let fold = ProjectionFold(group, decoder: decoder)
            var reached = from
            while reached < head {
                let done = reached - from
                reached = try await fold.run(
                    from: reached + 1,
                    through: min(head, reached + Self.catchUpCommitInterval),
                    limit: nil,
                    log: log,
                    progress: Self.offset(progress, by: done, total: head - from)
                )
                try store.commit(group, checkpoint: reached)
            }
        }
        let caughtUp = loaded.values.flatMap { $0 }
        if !caughtUp.isEmpty { try store.commit(caughtUp, checkpoint: head) }
        let byName = Dictionary(uniqueKeysWithValues: (fresh + caughtUp).map { ($0.name, $0) })
        projectors = types.compactMap { byName[$0.name] }
        checkpoint = head
        started = true
    }

    /// Reports a stretch's progress as part of a longer run.
    private static func offset(
        _ progress: ProjectionProgressHandler?,
        by done: UInt64,
        total: UInt64
    )
        -> ProjectionProgressHandler?
    {
        guard let progress else { return nil }
        return { stretch in
            var overall = stretch
            overall.eventsDone += done
            overall.eventsTotal = total
            progress(overall)
        }
    }

    // MARK: - Following the log

    /// Follows the log, applying and committing each batch of new events, until the task is
    /// cancelled or the log closes. Starts the runner first if ``start(progress:)`` was not called.
    public func run() async throws(ProjectionError) {
        if !started { try await start() }
        var events: EventSubscription.Iterator
        do {
            events = try log.subscribe(from: .after(checkpoint)).makeAsyncIterator()
        } catch {
            throw ProjectionError(.log, "cannot follow the log in \(log.directory): \(error)")
        }
        while true {
            let batch: [RecordedEvent]?
            do { batch = try await events.nextBatch() } catch {
                throw ProjectionError(.log, "following the log after position \(checkpoint) failed: \(error)")
            }
            guard let batch else { return }
            try apply(batch.filter { $0.position > checkpoint })
        }
    }

    /// Applies every event committed so far and returns the checkpoint reached.
    @discardableResult
    public func catchUp() throws(ProjectionError) -> UInt64 {
        precondition(started, "start the runner before catching up")
        while true {
            let batch: [RecordedEvent]
            do { batch = try log.readAll(from: checkpoint + 1, limit: 4_096) } catch {
                throw ProjectionError(.log, "reading the log after position \(checkpoint) failed: \(error)")
            }
            guard !batch.isEmpty else { return checkpoint }
            try apply(batch)
        }
    }

    /// Applies one batch and commits it with the checkpoint; on failure, lets go of what the
    /// batch changed, so memory never runs ahead of the store.
    private func apply(_ batch: [RecordedEvent]) throws(ProjectionError) {
        guard let last = batch.last else { return }
        let fold = ProjectionFold(projectors, decoder: decoder)
        do {
            try fold.applyHere(try fold.decode(batch))
            beforeCommit?(last.position)
            try store.commit(projectors, checkpoint: last.position)
            checkpoint = last.position
        } catch {
            logger.error("projection batch failed", metadata: ["after": "\(checkpoint)", "error": "\(error)"])
            reloadCommittedState()
            throw error
        }
    }

    private func reloadCommittedState() {
        projectors = projectors.map { projector in
            let reloaded = type(of: projector).init()
            _ = try? store.attach(reloaded)
            return reloaded
        }
    }

    /// Sets a function called after each live batch is applied in memory and before it is
    /// committed, with the batch's last position: the seam where crash tests stop the process.
    public func setBeforeCommit(_ hook: (@Sendable (_ lastPosition: UInt64) -> Void)?) {
        beforeCommit = hook
    }

    /// The stored size of the committed rows the runner's read models hold in memory, which
    /// each commit trims to the store's ``ReadModelStore/cacheBytes``.
    public func cachedBytes() -> Int {
        ((try? ReadModelStore.persistentTables(of: projectors)) ?? []).reduce(0) { $0 + $1.cachedBytes }
    }

    // MARK: - Lag and rebuilds

    /// How far each read model is behind the head of the log.
    public func lag() throws(ProjectionError) -> [ProjectionLag] {
        let head = try ProjectionBuilder.head(of: log)
        return types.map {
            ProjectionLag(name: $0.name, checkpoint: checkpoint, eventsBehind: head - min(head, checkpoint))
        }
    }

    /// Rebuilds the named read models (all when `names` is `nil`) while the live ones keep
    /// answering: fresh projectors fold the log in parallel, catch up with the runner, and replace
    /// the live rows in one transaction.
    ///
    /// - Throws: ``ProjectionError`` with `.unknownProjector` for a name the runner does not run.
    public func rebuild(
        _ names: Set<String>? = nil,
        progress: ProjectionProgressHandler? = nil
    ) async throws(ProjectionError) {
        precondition(started, "start the runner before rebuilding")
        let known = Set(types.map { $0.name })
        if let unknown = names?.subtracting(known).sorted().first {
            throw ProjectionError(
                .unknownProjector,
                "no read model is called \(unknown); known: \(known.sorted().joined(separator: ", "))",
                projector: unknown
            )
        }
        var fresh: [any Projector<Payload>] = []
        for type in types where names.map({ $0.contains(type.name) }) ?? true { fresh.append(type.init()) }
        let freshNames = Set(fresh.map(\.name))
        if let busy = rebuilding.intersection(freshNames).sorted().first {
            throw ProjectionError(.inUse, "a rebuild of \(busy) is already under way", projector: busy)
        }
        rebuilding.formUnion(freshNames)
        defer { rebuilding.subtract(freshNames) }
        try store.prepareBuild(of: fresh)
        let fold = ProjectionFold(fresh, decoder: decoder)
        let head = try ProjectionBuilder.head(of: log)
        var reached = try await fold.run(
            from: 1,
            through: head,
            limit: nil,
            log: log,
            progress: progress,
            buildingInto: store
        )
        try await fold.flush(into: store)
        // The live runner may have moved on meanwhile; the fresh read models catch up with it
        // here, with no await before the swap, so no batch can slip between.
        while reached < checkpoint {
            let chunk = try fold.decode(from: reached + 1, through: checkpoint, limit: nil, log: log)
            guard chunk.lastPosition > reached else { break }
            try fold.applyHere(chunk.events)
            reached = chunk.lastPosition
        }
        if reached > checkpoint {
            // The runner had not seen these events yet: it commits them for the others first.
            try catchUpTo(reached)
        }
        try store.install(fresh, checkpoint: reached)
        projectors.removeAll { freshNames.contains($0.name) }
        projectors.append(contentsOf: fresh)
    }

    private func catchUpTo(_ position: UInt64) throws(ProjectionError) {
        while checkpoint < position {
            let batch: [RecordedEvent]
            do { batch = try log.readAll(from: checkpoint + 1, limit: Int(min(4_096, position - checkpoint))) } catch {
                throw ProjectionError(.log, "reading the log after position \(checkpoint) failed: \(error)")
            }
            guard !batch.isEmpty else { return }
            try apply(batch)
        }
    }
}

/// How far one read model is behind the log.
public struct ProjectionLag: Sendable, Hashable {
    /// The read model.
    public var name: String
    /// The last position it applied.
    public var checkpoint: UInt64
    /// Positions committed to the log and not yet applied.
    public var eventsBehind: UInt64
}
