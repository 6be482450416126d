import CLMDB

/// What read and write transactions share: lookups, cursors and statistics.
///
/// A transaction is a `~Copyable` value handed to a closure by ``Environment``; it cannot
/// escape that closure and is never `Sendable`, so it cannot outlive its scope or cross an
/// `await`. Buffers it returns point into the memory map and are valid until the transaction
/// ends (in a write transaction, until the next write).
public protocol Transaction: ~Copyable {
    /// The C transaction.
    var handle: OpaquePointer { get }
}

extension Transaction where Self: ~Copyable {
    /// The value stored under `key`, or `nil` when there is none.
    public func get(_ key: UnsafeRawBufferPointer, in database: Database) throws -> UnsafeRawBufferPointer? {
        var keyValue = MDB_val(key)
        var value = MDB_val()
        let code = mdb_get(handle, database.handle, &keyValue, &value)
        if code == LMDBError.notFound.rawValue { return nil }
        try check(code)
        return value.buffer
    }

    /// The value stored under `key`, or `nil` when there is none.
    public func get(_ key: [UInt8], in database: Database) throws -> UnsafeRawBufferPointer? {
        try key.withUnsafeBytes { (key) in try get(key, in: database) }
    }

    /// Runs `body` with a cursor over `database`, closed when `body` returns.
    public func withCursor<R>(_ database: Database, _ body: (borrowing Cursor) throws -> R) throws -> R {
        var raw: OpaquePointer?
        try check(mdb_cursor_open(handle, database.handle, &raw))
        guard let raw else { throw LMDBError.outOfMemory }
        let cursor = Cursor(handle: raw)
        defer { mdb_cursor_close(raw) }
        return try body(cursor)
    }

    /// Counts and shape of `database` as this transaction sees it.
    public func statistics(of database: Database) throws -> Database.Statistics {
        var stat = MDB_stat()
        try check(mdb_stat(handle, database.handle, &stat))
        return Database.Statistics(
            entries: stat.ms_entries,
            depth: Int(stat.ms_depth),
            pages: stat.ms_branch_pages + stat.ms_leaf_pages + stat.ms_overflow_pages,
            pageSize: Int(stat.ms_psize)
        )
    }
}

/// A read-only snapshot of the environment.
public struct ReadTransaction: Transaction, ~Copyable {
    public let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    consuming func end() {
        mdb_txn_abort(handle)
        discard self
    }

    deinit {
        mdb_txn_abort(handle)
    }
}

/// A write transaction: the one writer of the environment, committed or aborted as a whole.
public struct WriteTransaction: Transaction, ~Copyable {
    public let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    consuming func commit() throws {
        let code = mdb_txn_commit(handle)
        discard self
        try check(code)
    }

    consuming func abort() {
        mdb_txn_abort(handle)
        discard self
    }

    deinit {
        mdb_txn_abort(handle)
    }

    /// Stores `value` under `key`.
    ///
    /// - Throws: `LMDBError.keyExists` when `flags` forbid replacing; `.mapFull` when the map
    ///   is full (``Environment/withWriteTransaction(_:)`` grows it and runs again).
    public func put(
        _ value: UnsafeRawBufferPointer,
        for key: UnsafeRawBufferPointer,
        in database: Database,
        flags: WriteFlags = []
    ) throws {
        var keyValue = MDB_val(key)
        var dataValue = MDB_val(value)
        try check(mdb_put(handle, database.handle, &keyValue, &dataValue, flags.rawValue))
    }

    /// Stores `value` under `key`.
    public func put(_ value: [UInt8], for key: [UInt8], in database: Database, flags: WriteFlags = []) throws {
        try value.withUnsafeBytes { (value) in
            try key.withUnsafeBytes { (key) in try put(value, for: key, in: database, flags: flags) }
        }
    }

    /// Reserves `count` bytes under `key` and lets `fill` write them in place, saving a copy.
    public func put(
        reserving count: Int,
        for key: UnsafeRawBufferPointer,
        in database: Database,
        flags: WriteFlags = [],
        fill: (UnsafeMutableRawBufferPointer) -> Void
    ) throws {
        var keyValue = MDB_val(key)
        var dataValue = MDB_val(mv_size: count, mv_data: nil)
        try check(mdb_put(handle, database.handle, &keyValue, &dataValue, flags.rawValue | UInt32(MDB_RESERVE)))
        fill(UnsafeMutableRawBufferPointer(start: dataValue.mv_data, count: count))
    }

    /// Deletes `key` (in a duplicate-sorted database, with all its values).
    ///
    /// - Returns: whether the key existed.
    @discardableResult
    public func delete(_ key: UnsafeRawBufferPointer, in database: Database) throws -> Bool {
        var keyValue = MDB_val(key)
        let code = mdb_del(handle, database.handle, &keyValue, nil)
        if code == LMDBError.notFound.rawValue { return false }
        try check(code)
        return true
    }

    /// Deletes `key`.
    @discardableResult
    public func delete(_ key: [UInt8], in database: Database) throws -> Bool {
        try key.withUnsafeBytes { (key) in try delete(key, in: database) }
    }

    /// Deletes one value of `key` in a duplicate-sorted database.
    @discardableResult
    public func delete(
        _ key: UnsafeRawBufferPointer,
        value: UnsafeRawBufferPointer,
        in database: Database
    ) throws -> Bool {
        var keyValue = MDB_val(key)
        var dataValue = MDB_val(value)
        let code = mdb_del(handle, database.handle, &keyValue, &dataValue)
        if code == LMDBError.notFound.rawValue { return false }
        try check(code)
        return true
    }

    /// Opens (creating with `.create`) a named database within this transaction.
    public func openDatabase(_ name: String?, flags: Database.Flags = []) throws -> Database {
        var dbi = MDB_dbi()
        try check(mdb_dbi_open(handle, name, flags.rawValue, &dbi))
        return Database(handle: dbi)
    }

    /// Removes every entry of `database`, keeping the database itself.
    public func empty(_ database: Database) throws {
        try check(mdb_drop(handle, database.handle, 0))
    }
}

// MARK: - Buffers

extension MDB_val {
    init(_ buffer: UnsafeRawBufferPointer) {
        self.init(mv_size: buffer.count, mv_data: UnsafeMutableRawPointer(mutating: buffer.baseAddress))
    }

    var buffer: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: mv_data, count: mv_size)
    }
}
