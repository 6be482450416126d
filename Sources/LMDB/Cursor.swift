import CLMDB

/// A position in a database, moved by the methods below.
///
/// Each move returns the entry it lands on, or `nil` past either end. Buffers point into the
/// map and are valid until the transaction ends or writes.
public struct Cursor: ~Copyable {
    /// One key/value pair.
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    private func move(
        _ operation: MDB_cursor_op,
        key: UnsafeRawBufferPointer? = nil,
        value: UnsafeRawBufferPointer? = nil
    ) throws -> Entry? {
        var keyValue = key.map(MDB_val.init) ?? MDB_val()
        var dataValue = value.map(MDB_val.init) ?? MDB_val()
        let code = mdb_cursor_get(handle, &keyValue, &dataValue, operation)
        if code == LMDBError.notFound.rawValue { return nil }
        try check(code)
        return (keyValue.buffer, dataValue.buffer)
    }

    // MARK: - Moves over keys

    /// The first entry.
    public func first() throws -> Entry? { try move(MDB_FIRST) }
    /// The last entry.
    public func last() throws -> Entry? { try move(MDB_LAST) }
    /// The next entry (the next duplicate first, in a duplicate-sorted database).
    public func next() throws -> Entry? { try move(MDB_NEXT) }
    /// The previous entry.
    public func previous() throws -> Entry? { try move(MDB_PREV) }
    /// The entry at the cursor.
    public func current() throws -> Entry? { try move(MDB_GET_CURRENT) }
    /// The entry whose key is exactly `key`.
    public func find(_ key: UnsafeRawBufferPointer) throws -> Entry? { try move(MDB_SET_KEY, key: key) }
    /// The first entry whose key is greater than or equal to `key`.
    public func seek(_ key: UnsafeRawBufferPointer) throws -> Entry? { try move(MDB_SET_RANGE, key: key) }

    // MARK: - Moves over duplicates

    /// The first value of the current key.
    public func firstDuplicate() throws -> Entry? { try move(MDB_FIRST_DUP) }
    /// The last value of the current key.
    public func lastDuplicate() throws -> Entry? { try move(MDB_LAST_DUP) }
    /// The next value of the current key.
    public func nextDuplicate() throws -> Entry? { try move(MDB_NEXT_DUP) }
    /// The previous value of the current key.
    public func previousDuplicate() throws -> Entry? { try move(MDB_PREV_DUP) }
    /// The first value of the next key.
    public func nextKey() throws -> Entry? { try move(MDB_NEXT_NODUP) }
    /// The last value of the previous key.
    public func previousKey() throws -> Entry? { try move(MDB_PREV_NODUP) }
    /// The first value of `key` that is greater than or equal to `value`.
    public func seek(_ key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws -> Entry? {
        try move(MDB_GET_BOTH_RANGE, key: key, value: value)
    }

    /// How many values the current key holds.
    public func duplicateCount() throws -> Int {
        var count = 0
        try check(mdb_cursor_count(handle, &count))
        return count
    }

    // MARK: - Writes (write transactions only)

    /// Stores `value` under `key` and moves the cursor there.
    public func put(
        _ value: UnsafeRawBufferPointer,
        for key: UnsafeRawBufferPointer,
        flags: WriteFlags = []
    ) throws {
        var keyValue = MDB_val(key)
        var dataValue = MDB_val(value)
        try check(mdb_cursor_put(handle, &keyValue, &dataValue, flags.rawValue))
    }

    /// Stores many fixed-size values under one key of a `duplicateFixed` database in one call
    /// (`MDB_MULTIPLE`): `values` holds them back to back, `valueSize` bytes each.
    public func putMultiple(
        _ values: UnsafeRawBufferPointer,
        valueSize: Int,
        for key: UnsafeRawBufferPointer,
        flags: WriteFlags = []
    ) throws(LMDBError) {
        precondition(valueSize > 0 && values.count % valueSize == 0, "values must be whole items")
        var keyValue = MDB_val(key)
        var items = (
            MDB_val(mv_size: valueSize, mv_data: UnsafeMutableRawPointer(mutating: values.baseAddress)),
            MDB_val(mv_size: values.count / valueSize, mv_data: nil)
        )
        let code = withUnsafeMutablePointer(to: &items) { pair in
            pair.withMemoryRebound(to: MDB_val.self, capacity: 2) {
                mdb_cursor_put(handle, &keyValue, $0, flags.rawValue | UInt32(MDB_MULTIPLE))
            }
        }
        try check(code)
    }

    /// Deletes the entry at the cursor.
    public func deleteCurrent() throws {
        try check(mdb_cursor_del(handle, 0))
    }
}
