import EventStore
import Foundation
import LMDB
import Synchronization

/// The read-model environment: every projector's rows and checkpoint, in an LMDB environment
/// separate from the log's.
///
/// Each projector has two row databases. The live one answers queries; a rebuild fills the other
/// and a single transaction swaps them, so readers see either the old read model or the new one,
/// never a mix. Rows and checkpoint change in the same transaction, so they always agree.
///
/// Queries may run from any thread or process while a runner writes.
public final class ReadModelStore: Sendable {
    /// The directory holding the environment.
    public let directory: String
    /// Whether the store was opened for queries only.
    public let isReadOnly: Bool
    let environment: Environment
    private let catalogue: Database
    /// Held while open for writing: two writers would swap slots under each other.
    private let writerLock: WriterLock?
    private let rowDatabases = Mutex<[String: Database]>([:])

    /// Opens (creating when `readOnly` is false) the store in `directory`.
    ///
    /// - Throws: ``ProjectionError`` with `.storage` when the environment cannot be opened.
    public init(directory: String, readOnly: Bool = false) throws(ProjectionError) {
        self.directory = directory
        self.isReadOnly = readOnly
        do {
            if !readOnly {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        } catch {
            throw ProjectionError(.storage, "cannot create the read models' directory \(directory): \(error)")
        }
        do {
            writerLock = readOnly ? nil : try WriterLock(directory: directory)
        } catch {
            throw ProjectionError(
                .inUse,
                "another process writes the read models in \(directory) (a running rapport serve?); stop it, or rebuild --into another directory"
            )
        }
        do {
            var options = Environment.Options()
            options.readOnly = readOnly
            options.maxDatabases = 1_024
            // Read models can be rebuilt from the log: a power cut may undo the last commits
            // but never leaves rows and checkpoint disagreeing.
            options.noMetaSync = true
            environment = try Environment(path: directory, options: options)
            catalogue = try environment.openDatabase("projections", flags: readOnly ? [] : [.create])
        } catch {
            throw ProjectionError(.storage, "cannot open the read models in \(directory): \(error)")
        }
    }

    /// Closes the environment; the store cannot be used afterwards.
    public func close() {
        environment.close()
        writerLock?.release()
    }

    // MARK: - Status

    /// Where the read model called `name` stands, or `nil` when it has never been built.
    public func status(of name: String) throws(ProjectionError) -> ProjectionStatus? {
        try reading("reading the status of \(name)") { txn in try status(of: name, in: txn) }
    }

    /// Every read model's status, by name.
    public func statuses() throws(ProjectionError) -> [ProjectionStatus] {
        try reading("reading the read models' statuses") { txn in
            var statuses: [ProjectionStatus] = []
            try txn.withCursor(catalogue) { cursor in
                var entry = try cursor.first()
                while let current = entry {
                    statuses.append(try JSONDecoder().decode(ProjectionStatus.self, from: Data(current.value)))
                    entry = try cursor.next()
                }
            }
            return statuses
        }
    }

    // MARK: - Queries

    /// The row under `key` in `table` of the read model `projector`, or `nil`.
    public func row<Row: Decodable>(
        _: Row.Type,
        projector: String,
        table: String,
        key: String
    ) throws(ProjectionError) -> Row? {
        try openRowDatabases(of: projector)
        return try reading("reading \(table)/\(key) of \(projector)") { txn -> Row? in
            guard let database = try liveDatabase(of: projector, in: txn) else { return nil }
            guard let bytes = try txn.get(Self.storageKey(table: table, key: key), in: database) else { return nil }
            return try RowCodec.decode(Row.self, from: bytes, table: table, key: key)
        }
    }

    /// Rows of `table` whose keys start with `prefix`, in key order (UTF-8 bytes), starting after
    /// the key `after` when given, at most `limit` of them.
    public func rows<Row: Decodable>(
        _: Row.Type,
        projector: String,
        table: String,
        prefix: String = "",
        after: String? = nil,
        limit: Int = .max
    ) throws(ProjectionError) -> [(key: String, row: Row)] {
        try openRowDatabases(of: projector)
        return try reading("reading \(table) of \(projector)") { txn in
            var found: [(key: String, row: Row)] = []
            guard limit > 0, let database = try liveDatabase(of: projector, in: txn) else { return found }
            let tablePrefix = Self.storageKey(table: table, key: "")
            let wanted = Self.storageKey(table: table, key: prefix)
            var start = wanted
            if let after { start = Self.storageKey(table: table, key: after) + [0] }
            try txn.withCursor(database) { cursor in
                var entry = try start.withUnsafeBytes { try cursor.seek($0) }
                while let current = entry, current.key.starts(with: wanted) {
                    let key = String(decoding: current.key.dropFirst(tablePrefix.count), as: UTF8.self)
                    found.append((key, try RowCodec.decode(Row.self, from: current.value, table: table, key: key)))
                    guard found.count < limit else { return }
                    entry = try cursor.next()
                }
            }
            return found
        }
    }

    /// Every stored row of the read model `projector` as `table`, key and encoded bytes, in
    /// storage order: what two builds of one read model are compared by.
    public func contents(of projector: String) throws(ProjectionError) -> [StoredRow] {
        try openRowDatabases(of: projector)
        return try reading("reading the rows of \(projector)") { txn in
            var found: [StoredRow] = []
            guard let database = try liveDatabase(of: projector, in: txn) else { return found }
            try txn.withCursor(database) { cursor in
                var entry = try cursor.first()
                while let current = entry {
                    let separator = current.key.firstIndex(of: 0) ?? current.key.count
                    found.append(
                        StoredRow(
                            table: String(decoding: current.key[..<separator], as: UTF8.self),
                            key: String(decoding: current.key[min(separator + 1, current.key.count)...], as: UTF8.self),
                            bytes: Array(current.value)
                        )
                    )
                    entry = try cursor.next()
                }
            }
            return found
        }
    }

    // MARK: - Engine

    /// Fills `projector`'s tables with its stored rows; returns its status, `nil` if never built.
    ///
    /// Rows stored in another format than ``RowFormat/version`` are left unread: the status says
    /// so, and the runner rebuilds such a read model.
    func load(_ projector: any Projector) throws(ProjectionError) -> ProjectionStatus? {
        let tables = try Self.persistentTables(of: projector)
        try openRowDatabases(of: projector.name)
        return try reading("loading \(projector.name)") { txn -> ProjectionStatus? in
            guard let status = try status(of: projector.name, in: txn),
                let database = rowDatabase(projector.name, status.slot)
            else { return nil }
            guard status.rowFormat == RowFormat.version else { return status }
            try txn.withCursor(database) { cursor in
                var entry = try cursor.first()
                while let current = entry {
                    let separator = current.key.firstIndex(of: 0) ?? current.key.count
                    let tableName = String(decoding: current.key[..<separator], as: UTF8.self)
                    let key = String(decoding: current.key[min(separator + 1, current.key.count)...], as: UTF8.self)
                    if let table = tables[tableName] { try table.load(key: key, value: current.value) }
                    entry = try cursor.next()
                }
            }
            return status
        }
    }

    /// Writes each projector's changed rows into its live database and moves its checkpoint,
    /// all in one transaction.
    func commit(_ projectors: [any Projector], checkpoint: UInt64) throws(ProjectionError) {
        try commit(
            try projectors.map { projector throws(ProjectionError) in try RowChanges(takenFrom: projector) },
            checkpoint: checkpoint
        )
    }

    /// Writes changes already taken from projectors into their live databases and moves their
    /// checkpoints, all in one transaction.
    func commit(_ changes: [RowChanges], checkpoint: UInt64) throws(ProjectionError) {
        try createRowDatabases(of: changes.map(\.projector))
        try writing("committing read models at position \(checkpoint)") { txn in
            for change in changes {
                var status =
                    try status(of: change.projector, in: txn)
                    ?? ProjectionStatus(name: change.projector, version: change.version, checkpoint: 0, slot: .a)
                try write(change, into: try existingRowDatabase(change.projector, status.slot), in: txn)
                status.checkpoint = checkpoint
                try put(status, in: txn)
            }
        }
    }

    /// Replaces the live read model of each projector by its whole state (``RowChanges`` taken
    /// from a projector built from scratch), built up to `checkpoint`, in one transaction: the
    /// rows go into the spare database, which becomes the live one, and the old live rows are
    /// dropped.
    ///
    /// `later` holds changes the projectors made after `changes` were taken (a catch-up); they
    /// are written over them.
    func install(
        _ changes: [RowChanges],
        later: [RowChanges] = [],
        checkpoint: UInt64,
        asOf: AsOf? = nil
    )
        throws(ProjectionError)
    {
        try createRowDatabases(of: changes.map(\.projector))
        try writing("installing rebuilt read models at position \(checkpoint)") { txn in
            for change in changes {
                let previous = try status(of: change.projector, in: txn)
                let slot = previous?.slot.other ?? .a
                let spare = try existingRowDatabase(change.projector, slot)
                try txn.empty(spare)
                try write(change, into: spare, in: txn, appending: true)
                for laterChange in later where laterChange.projector == change.projector {
                    try write(laterChange, into: spare, in: txn)
                }
                if let previous { try txn.empty(try existingRowDatabase(change.projector, previous.slot)) }
                try put(
                    ProjectionStatus(
                        name: change.projector,
                        version: change.version,
                        checkpoint: checkpoint,
                        slot: slot,
                        asOf: asOf
                    ),
                    in: txn
                )
            }
        }
    }

    // MARK: - Helpers

    /// Writes `changes`; `appending` when the database is empty and the rows sorted, which lets
    /// LMDB fill pages in order.
    private func write(
        _ changes: RowChanges,
        into database: Database,
        in txn: borrowing WriteTransaction,
        appending: Bool = false
    )
        throws
    {
        for row in changes.rows {
            if let value = row.value {
                try txn.put(value, for: row.key, in: database, flags: appending ? .append : [])
            } else if !appending {
                try txn.delete(row.key, in: database)
            }
        }
    }

    private func status(of name: String, in txn: borrowing some Transaction & ~Copyable) throws -> ProjectionStatus? {
        guard let bytes = try txn.get(Array(name.utf8), in: catalogue) else { return nil }
        return try JSONDecoder().decode(ProjectionStatus.self, from: Data(bytes))
    }

    private func put(_ status: ProjectionStatus, in txn: borrowing WriteTransaction) throws {
        try txn.put(Array(try JSONEncoder().encode(status)), for: Array(status.name.utf8), in: catalogue)
    }

    private func liveDatabase(of projector: String, in txn: borrowing ReadTransaction) throws -> Database? {
        guard let status = try status(of: projector, in: txn) else { return nil }
        return rowDatabase(projector, status.slot)
    }

    /// The row database of `projector` in `slot`, if ``openRowDatabases(of:)`` found it.
    private func rowDatabase(_ projector: String, _ slot: ProjectionStatus.Slot) -> Database? {
        rowDatabases.withLock { $0["\(projector)#\(slot.rawValue)"] }
    }

    /// Opens the row databases of `projector` that exist. Called outside any transaction: a
    /// handle opened inside a read transaction would not outlive it.
    private func openRowDatabases(of projector: String) throws(ProjectionError) {
        for slot in [ProjectionStatus.Slot.a, .b] {
            let name = "\(projector)#\(slot.rawValue)"
            guard rowDatabases.withLock({ $0[name] == nil }) else { continue }
            do {
                let database = try environment.openDatabase(name)
                rowDatabases.withLock { $0[name] = database }
            } catch let error as LMDBError where error == .notFound {
                continue
            } catch {
                throw ProjectionError(.storage, "cannot open the rows of \(projector) in \(directory): \(error)")
            }
        }
    }

    /// Creates both row databases of each projector, in their own committed transactions: a
    /// handle opened in a transaction that then aborts would be closed with it.
    private func createRowDatabases(of projectors: [String]) throws(ProjectionError) {
        for projector in projectors {
            for slot in [ProjectionStatus.Slot.a, .b] {
                let name = "\(projector)#\(slot.rawValue)"
                guard rowDatabases.withLock({ $0[name] == nil }) else { continue }
                do {
                    let database = try environment.openDatabase(name, flags: .create)
                    rowDatabases.withLock { $0[name] = database }
                } catch {
                    throw ProjectionError(.storage, "cannot create the rows of \(projector) in \(directory): \(error)")
                }
            }
        }
    }

    private func existingRowDatabase(_ projector: String, _ slot: ProjectionStatus.Slot) throws -> Database {
        guard let database = rowDatabase(projector, slot) else {
            throw ProjectionError(.storage, "the rows of \(projector) were not created", projector: projector)
        }
        return database
    }

    static func storageKey(table: String, key: String) -> [UInt8] {
        Array(table.utf8) + [0] + Array(key.utf8)
    }

    static func persistentTables(of projector: any Projector) throws(ProjectionError) -> [String: any PersistentTable] {
        var tables: [String: any PersistentTable] = [:]
        for table in projector.tables {
            guard let persistent = table as? any PersistentTable else {
                throw ProjectionError(
                    .storage,
                    "table \(table.name) of \(projector.name) is not a ReadModelTable",
                    projector: projector.name
                )
            }
            guard tables.updateValue(persistent, forKey: table.name) == nil else {
                throw ProjectionError(
                    .duplicateName,
                    "\(projector.name) has two tables called \(table.name)",
                    projector: projector.name
                )
            }
        }
        return tables
    }

    private func reading<R>(
        _ what: String,
        _ body: (borrowing ReadTransaction) throws -> R
    ) throws(ProjectionError)
        -> R
    {
        do {
            return try environment.withReadTransaction(body)
        } catch let error as ProjectionError {
            throw error
        } catch {
            throw ProjectionError(.storage, "\(what) in \(directory) failed: \(error)")
        }
    }

    private func writing(_ what: String, _ body: (borrowing WriteTransaction) throws -> Void) throws(ProjectionError) {
        guard !isReadOnly else {
            throw ProjectionError(.readOnly, "\(what): the read models in \(directory) are open read-only")
        }
        do {
            try environment.withWriteTransaction(body)
        } catch let error as ProjectionError {
            throw error
        } catch {
            throw ProjectionError(.storage, "\(what) in \(directory) failed: \(error)")
        }
    }
}

/// One stored row, as bytes.
public struct StoredRow: Sendable, Hashable {
    /// The table it belongs to.
    public var table: String
    /// Its key.
    public var key: String
    /// Its encoded value.
    public var bytes: [UInt8]
}
