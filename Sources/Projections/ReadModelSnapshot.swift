import LMDB

/// One read model's rows as they stood at one commit: what a query whose reads must agree with
/// each other (a sum kept per day beside the rows it stands for) reads through. Only valid
/// inside ``ReadModelStore/snapshot(of:_:)``.
public struct ReadModelSnapshot: ~Copyable {
    /// The enclosing read transaction, borrowed for the snapshot's life.
    private let transaction: BorrowedReadTransaction
    /// The projector's live rows; `nil` when it was never built.
    private let database: Database?
    /// `projector in directory`, for errors.
    private let place: String

    init(transaction: OpaquePointer, database: Database?, place: String) {
        self.transaction = BorrowedReadTransaction(handle: transaction)
        (self.database, self.place) = (database, place)
    }

    /// The row under `key` in `table`, or `nil`.
    public func row<Row: Decodable>(_: Row.Type, table: String, key: String) throws(ProjectionError) -> Row? {
        guard let database else { return nil }
        let bytes: UnsafeRawBufferPointer?
        do {
            bytes = try transaction.get(ReadModelStore.storageKey(table: table, key: key), in: database)
        } catch {
            throw ProjectionError(.storage, "reading \(table)/\(key) of \(place) failed: \(error)")
        }
        guard let bytes else { return nil }
        return try RowCodec.decode(Row.self, from: bytes, table: table, key: key)
    }

    /// Calls `body` with each row of `table` whose key starts with `prefix`, in key order
    /// (UTF-8 bytes), starting after the key `after` when given, until it returns `false`. Only
    /// one row is decoded at a time, and none whose key `include` refuses.
    public func forEachRow<Row: Decodable>(
        _: Row.Type,
        table: String,
        prefix: String = "",
        after: String? = nil,
        where include: (_ key: String) -> Bool = { _ in true },
        _ body: (_ key: String, _ row: Row) throws(ProjectionError) -> Bool
    ) throws(ProjectionError) {
        guard let database else { return }
        let tablePrefix = ReadModelStore.storageKey(table: table, key: "")
        let wanted = ReadModelStore.storageKey(table: table, key: prefix)
        var start = wanted
        if let after { start = ReadModelStore.storageKey(table: table, key: after) + [0] }
        do {
            try transaction.withCursor(database) { cursor in
                var entry = try start.withUnsafeBytes { try cursor.seek($0) }
                while let current = entry, current.key.starts(with: wanted) {
                    let key = String(decoding: current.key.dropFirst(tablePrefix.count), as: UTF8.self)
                    if include(key) {
                        guard try body(key, try RowCodec.decode(Row.self, from: current.value, table: table, key: key))
                        else { return }
                    }
                    entry = try cursor.next()
                }
            }
        } catch let error as ProjectionError {
            throw error
        } catch {
            throw ProjectionError(.storage, "reading \(table) of \(place) failed: \(error)")
        }
    }
}

/// A read transaction someone else began and will end: the snapshot reads through it.
private struct BorrowedReadTransaction: Transaction, ~Copyable {
    let handle: OpaquePointer
}

extension ReadModelStore {
    /// Runs `body` with the rows of the read model `projector` as of the latest commit; every
    /// read in it sees that one commit, whatever a runner writes meanwhile.
    public func snapshot<R>(
        of projector: String,
        _ body: (borrowing ReadModelSnapshot) throws(ProjectionError) -> R
    ) throws(ProjectionError) -> R {
        try openRowDatabases(of: projector)
        return try reading("reading \(projector)") { txn in
            let snapshot = ReadModelSnapshot(
                transaction: txn.handle,
                database: try liveDatabase(of: projector, in: txn),
                place: "\(projector) in \(directory)"
            )
            return try body(snapshot)
        }
    }
}
