import CLMDB

/// An LMDB environment: one memory-mapped file holding one or more named databases.
///
/// Opened with `MDB_NOTLS`, so read transactions are not tied to a thread and may be used from
/// any task (never across an `await`). The map grows by itself: a write that hits
/// `MDB_MAP_FULL` is retried after the map is doubled, and a reader that finds the map grown by
/// another process adopts the new size.
public final class Environment: @unchecked Sendable {
    /// How an environment is opened.
    public struct Options: Sendable {
        /// Initial map size in bytes; it grows on demand.
        public var mapSize: Int = 1 << 30
        /// The most named databases this environment will open.
        public var maxDatabases: UInt32 = 16
        /// The most concurrent read transactions across all processes.
        public var maxReaders: UInt32 = 510
        /// Opens without write access; the environment must already exist.
        public var readOnly = false
        /// Skips the fsync on commit (the OS flushes later): fast, not crash-durable.
        public var noSync = false
        /// Skips the metadata fsync on commit: a crash may undo the last transaction only.
        public var noMetaSync = false
        /// The environment is one file at the path, not a directory holding `data.mdb`.
        public var noSubdirectory = false
        /// Turns off the OS's read-ahead on the map (`MDB_NORDAHEAD`): for random reads of a
        /// map larger than the memory that should hold it, so a read brings in its page and
        /// not the pages around it.
        public var noReadAhead = false
        /// Unix permissions of created files.
        public var fileMode: UInt32 = 0o644

        /// The default options: 1 GiB initial map, read-write, durable.
        public init() {}
    }

    let handle: OpaquePointer
    let resizeLock = ResizeLock()
    /// The path the environment was opened at.
    public let path: String
    /// Whether the environment was opened read-only.
    public let isReadOnly: Bool

    /// Opens (or, unless read-only, creates) the environment at `path`.
    ///
    /// - Throws: `LMDBError`, for example `.noSuchFile` for a missing directory or `.invalid`
    ///   for a file that is not an LMDB environment.
    public init(path: String, options: Options = Options()) throws {
        var env: OpaquePointer?
        try check(mdb_env_create(&env))
        guard let env else { throw LMDBError.outOfMemory }
        do {
            try check(mdb_env_set_maxdbs(env, options.maxDatabases))
            try check(mdb_env_set_maxreaders(env, options.maxReaders))
            try check(mdb_env_set_mapsize(env, options.mapSize))
            var flags = UInt32(MDB_NOTLS)
            if options.readOnly { flags |= UInt32(MDB_RDONLY) }
            if options.noSync { flags |= UInt32(MDB_NOSYNC) }
            if options.noMetaSync { flags |= UInt32(MDB_NOMETASYNC) }
            if options.noSubdirectory { flags |= UInt32(MDB_NOSUBDIR) }
            if options.noReadAhead { flags |= UInt32(MDB_NORDAHEAD) }
            try check(mdb_env_open(env, path, flags, mode_t(options.fileMode)))
        } catch {
            mdb_env_close(env)
            throw error
        }
        self.handle = env
        self.path = path
        self.isReadOnly = options.readOnly
    }

    deinit {
        if !isClosed { mdb_env_close(handle) }
    }

    /// Guarded by `resizeLock`: set once the environment is closed.
    private var isClosed = false

    /// Closes the environment once every open transaction has ended; later transactions fail
    /// with ``LMDBError/environmentClosed``.
    ///
    /// LMDB must not have one file open twice in a process (closing either drops the other's
    /// locks), so a log closes its environment before the file may be opened again.
    public func close() {
        resizeLock.withExclusive {
            guard !isClosed else { return }
            isClosed = true
            mdb_env_close(handle)
        }
    }

    /// Takes the lock every transaction holds, refusing once the environment is closed.
    private func lockForTransaction() throws {
        resizeLock.lockShared()
        if isClosed {
            resizeLock.unlock()
            throw LMDBError.environmentClosed
        }
    }

    // MARK: - Databases

    /// Opens a named database, creating it when `flags` contains `.create`.
    ///
    /// - Parameter name: the database name, or `nil` for the environment's main database.
    /// - Throws: `LMDBError.notFound` when the database does not exist and `.create` is absent.
    public func openDatabase(_ name: String?, flags: Database.Flags = []) throws -> Database {
        if flags.contains(.create) {
            do {
                return try withWriteTransaction { txn in try txn.openDatabase(name, flags: flags) }
            } catch let error as LMDBError {
                throw error
            } catch {
                preconditionFailure("opening a database throws only LMDBError")
            }
        }
        // A handle opened in a read transaction lives on only if that transaction commits.
        try lockForTransaction()
        defer { resizeLock.unlock() }
        var txn: OpaquePointer?
        try check(mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn))
        var dbi = MDB_dbi()
        let code = mdb_dbi_open(txn, name, flags.rawValue, &dbi)
        guard code == 0 else {
            mdb_txn_abort(txn)
            throw LMDBError(rawValue: code)
        }
        try check(mdb_txn_commit(txn))
        return Database(handle: dbi)
    }

    // MARK: - Transactions

    /// Runs `body` in a read transaction, a consistent snapshot of the last commit.
    ///
    /// Buffers handed out inside point into the map and are valid only within `body`.
    public func withReadTransaction<R>(_ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        let txn = try beginRead()
        defer { resizeLock.unlock() }
        do {
            let result = try body(txn)
            txn.end()
            return result
        } catch {
            txn.end()
            throw error
        }
    }

    private func beginRead() throws -> ReadTransaction {
        while true {
            try lockForTransaction()
            var txn: OpaquePointer?
            let code = mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn)
            if code == 0, let txn { return ReadTransaction(handle: txn) }
            resizeLock.unlock()
            guard code == LMDBError.mapResized.rawValue else { throw LMDBError(rawValue: code) }
            try adoptGrownMap()
        }
    }

    /// Runs `body` in a write transaction and commits it when `body` returns.
    ///
    /// When `body` throws, the transaction is aborted and nothing it wrote is kept. When the map
    /// is full, the transaction is aborted, the map doubled, and `body` run again from the
    /// start: it must have no effects outside the transaction.
    public func withWriteTransaction<R>(_ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        while true {
            try lockForTransaction()
            var raw: OpaquePointer?
            let code = mdb_txn_begin(handle, nil, 0, &raw)
            guard code == 0, let raw else {
                resizeLock.unlock()
                if code == LMDBError.mapResized.rawValue {
                    try adoptGrownMap()
                    continue
                }
                throw LMDBError(rawValue: code)
            }
            let txn = WriteTransaction(handle: raw)
            let result: R
            do {
                result = try body(txn)
            } catch {
                txn.abort()
                resizeLock.unlock()
                if let error = error as? LMDBError, error == .mapFull {
                    try grow()
                    continue
                }
                throw error
            }
            do {
                try txn.commit()
                resizeLock.unlock()
                return result
            } catch {
                resizeLock.unlock()
                guard (error as? LMDBError) == .mapFull else { throw error }
                try grow()
            }
        }
    }

    // MARK: - Map size

    /// Doubles the map. Called when a write hit `MDB_MAP_FULL`.
    public func grow() throws {
        try resizeLock.withExclusive {
            guard !isClosed else { throw LMDBError.environmentClosed }
            try check(mdb_env_set_mapsize(handle, unlockedInfo().mapSize * 2))
        }
    }

    private func adoptGrownMap() throws {
        try resizeLock.withExclusive {
            guard !isClosed else { throw LMDBError.environmentClosed }
            try check(mdb_env_set_mapsize(handle, 0))
        }
    }

    // MARK: - Maintenance

    /// Facts about the environment.
    public struct Info: Sendable {
        /// The map size in bytes.
        public var mapSize: Int
        /// The last committed transaction id.
        public var lastTransactionID: Int
        /// The last used page number; `(lastPage + 1) * pageSize` is the used size of the file.
        public var lastPage: Int
        /// The database page size.
        public var pageSize: Int
        /// Reader slots in use.
        public var readers: Int
    }

    /// Reads the environment's facts.
    ///
    /// - Throws: ``LMDBError/environmentClosed`` after ``close()``.
    public func info() throws -> Info {
        try lockForTransaction()
        defer { resizeLock.unlock() }
        return unlockedInfo()
    }

    private func unlockedInfo() -> Info {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        var stat = MDB_stat()
        mdb_env_stat(handle, &stat)
        return Info(
            mapSize: info.me_mapsize,
            lastTransactionID: info.me_last_txnid,
            lastPage: info.me_last_pgno,
            pageSize: Int(stat.ms_psize),
            readers: Int(info.me_numreaders)
        )
    }

    /// Flushes buffers to disk; with `force`, even when the environment was opened `noSync`.
    public func sync(force: Bool = true) throws {
        try lockForTransaction()
        defer { resizeLock.unlock() }
        try check(mdb_env_sync(handle, force ? 1 : 0))
    }

    /// Turns `noSync`/`noMetaSync` on or off for later commits.
    public func setSyncFlags(noSync: Bool, noMetaSync: Bool) throws {
        try lockForTransaction()
        defer { resizeLock.unlock() }
        try check(mdb_env_set_flags(handle, UInt32(MDB_NOSYNC) | UInt32(MDB_NOMETASYNC), 0))
        var flags: UInt32 = 0
        if noSync { flags |= UInt32(MDB_NOSYNC) }
        if noMetaSync { flags |= UInt32(MDB_NOMETASYNC) }
        if flags != 0 { try check(mdb_env_set_flags(handle, flags, 1)) }
    }

    /// Writes a consistent copy of the environment to the directory `path`, which must exist
    /// and be empty. It can run while others write; with `compact`, free pages are left out.
    public func copy(to path: String, compact: Bool) throws {
        try lockForTransaction()
        defer { resizeLock.unlock() }
        try check(mdb_env_copy2(handle, path, compact ? UInt32(MDB_CP_COMPACT) : 0))
    }
}
