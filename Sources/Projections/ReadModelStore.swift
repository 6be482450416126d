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
    /// The read models whose spare rows a build emptied and has not written yet: their first
    /// write, in key order, appends page after page instead of descending the tree per row.
    private let emptySpares = Mutex<Set<String>>([])
    /// About how much memory the committed rows the live engine keeps for all the read models
    /// it runs over this store may take; the rest is read from the store when needed.
    public let cacheBytes: Int
    /// The same for a build from scratch, which writes what outgrows it into the spare rows
    /// as it goes: larger, since a build touches every row and each flush costs a write.
    public let buildCacheBytes: Int
    /// The live cache a store has unless told otherwise, in MiB.
    public static let defaultCacheMegabytes = 64
    /// The build cache a store has unless told otherwise, in MiB.
    public static let defaultBuildCacheMegabytes = 4_096
    /// The cache sizes accepted, in MiB.
    public static let cacheMegabytesRange = 1...65_536

    /// Opens (creating when `readOnly` is false) the store in `directory`, with caches of
    /// `cacheMegabytes` MiB for the live engine and `buildCacheMegabytes` MiB for builds from
    /// scratch (each clamped to ``cacheMegabytesRange``).
    ///
    /// - Throws: ``ProjectionError`` with `.storage` when the environment cannot be opened.
    public init(
        directory: String,
        readOnly: Bool = false,
        cacheMegabytes: Int = ReadModelStore.defaultCacheMegabytes,
        buildCacheMegabytes: Int = ReadModelStore.defaultBuildCacheMegabytes
    ) throws(ProjectionError) {
        self.directory = directory
        self.isReadOnly = readOnly
        let range = Self.cacheMegabytesRange
        self.cacheBytes = min(max(cacheMegabytes, range.lowerBound), range.upperBound) << 20
        self.buildCacheBytes = min(max(buildCacheMegabytes, range.lowerBound), range.upperBound) << 20
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
            // Queries and live batches read rows at random: a read brings in its own page, not
            // its neighbours, so memory holds the rows in use and not the file around them.
            options.noReadAhead = true
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
        try snapshot(of: projector) { (rows) throws(ProjectionError) in try rows.row(Row.self, table: table, key: key) }
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
        var found: [(key: String, row: Row)] = []
        guard limit > 0 else { return found }
        try forEachRow(Row.self, projector: projector, table: table, prefix: prefix, after: after) { key, row in
            found.append((key, row))
            return found.count < limit
        }
        return found
    }

    /// Calls `body` with each row of `table` whose key starts with `prefix`, in key order,
    /// starting after the key `after` when given, until it returns `false`. All are read in
    /// one transaction, so they agree with each other, and only one is decoded at a time: a
    /// report over every row holds one row, not the table.
    public func forEachRow<Row: Decodable>(
        _: Row.Type,
        projector: String,
        table: String,
        prefix: String = "",
        after: String? = nil,
        _ body: (_ key: String, _ row: Row) -> Bool
    ) throws(ProjectionError) {
        try snapshot(of: projector) { (rows) throws(ProjectionError) in
            try rows.forEachRow(Row.self, table: table, prefix: prefix, after: after) { key, row in body(key, row) }
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

    /// Attaches `projector`'s tables to its live rows, which they read as they need them;
    /// returns its status, `nil` if never built.
    ///
    /// A read model stored in another format than ``RowFormat/version`` is left unattached: the
    /// status says so, and the runner rebuilds it.
    func attach(_ projector: any Projector) throws(ProjectionError) -> ProjectionStatus? {
        let tables = try Self.persistentTables(of: projector)
        try openRowDatabases(of: projector.name)
        guard let status = try status(of: projector.name),
            let database = rowDatabase(projector.name, status.slot)
        else { return nil }
        guard status.rowFormat == RowFormat.version else { return status }
        let source = RowSource(store: self, database: database, slot: status.slot)
        for table in tables.values { table.attach(source, empty: false) }
        return status
    }

    /// Readies a build from scratch of each of `projectors`: empties its spare database and
    /// attaches its tables to it. The live rows keep answering queries until ``install(_:checkpoint:asOf:)``.
    func prepareBuild(of projectors: [any Projector]) throws(ProjectionError) {
        try createRowDatabases(of: projectors.map(\.name))
        var sources: [(tables: [any PersistentTable], source: RowSource)] = []
        try writing("emptying the spare rows of \(projectors.map(\.name).joined(separator: ", "))") { txn in
            sources = []
            for projector in projectors {
                let slot = try status(of: projector.name, in: txn)?.slot.other ?? .a
                let spare = try existingRowDatabase(projector.name, slot)
                try txn.empty(spare)
                let tables = Array(try Self.persistentTables(of: projector).values)
                sources.append((tables, RowSource(store: self, database: spare, slot: slot)))
            }
        }
        for (tables, source) in sources {
            for table in tables { table.attach(source, empty: true) }
        }
        emptySpares.withLock { $0.formUnion(projectors.map(\.name)) }
    }

    /// Writes the rows changed so far by projectors being built into their spare databases
    /// when they and the rows cached take more than the budget, and trims the caches.
    func flushIfOverBudget(_ projectors: [any Projector]) async throws(ProjectionError) {
        let tables = try Self.persistentTables(of: projectors)
        guard tables.reduce(0, { $0 + $1.cachedBytes + $1.changedBytesEstimate }) > buildCacheBytes else { return }
        try await flush(projectors)
    }

    /// Writes the rows changed so far by projectors being built into their spare databases,
    /// encoding each projector's on its own task, and trims the caches; the live read models
    /// and the checkpoints do not move.
    func flush(_ projectors: [any Projector]) async throws(ProjectionError) {
        let changes = try await RowChanges.take(from: projectors)
        let empty = emptySpares.withLock { $0 }
        try writing("writing the rows built so far") { txn in
            for change in changes { try write(change, in: txn, appending: empty.contains(change.projector)) }
        }
        emptySpares.withLock { $0.subtract(changes.filter { !$0.rows.isEmpty }.map(\.projector)) }
        trimCaches(of: try Self.persistentTables(of: projectors), to: buildCacheBytes)
    }

    /// Writes each projector's changed rows into its live database and moves its checkpoint,
    /// all in one transaction; then trims the caches to the budget.
    func commit(_ projectors: [any Projector], checkpoint: UInt64) throws(ProjectionError) {
        let changes = try projectors.map { projector throws(ProjectionError) in try RowChanges(takenFrom: projector) }
        try writing("committing read models at position \(checkpoint)") { txn in
            for change in changes {
                guard var status = try status(of: change.projector, in: txn), status.slot == change.slot else {
                    throw ProjectionError(
                        .storage,
                        "\(change.projector) is not attached to its live rows",
                        projector: change.projector
                    )
                }
                try write(change, in: txn)
                status.checkpoint = checkpoint
                try put(status, in: txn)
            }
        }
        try trimCaches(of: projectors)
    }

    /// Makes the rows projectors built from scratch (after ``prepareBuild(of:)``) live, up to
    /// `checkpoint`, in one transaction: their last changes (few after a ``flush(_:)``) go into
    /// the spare database, which becomes the live one, and the old live rows are dropped.
    func install(_ projectors: [any Projector], checkpoint: UInt64, asOf: AsOf? = nil) throws(ProjectionError) {
        let changes = try projectors.map { projector throws(ProjectionError) in
            try RowChanges(takenFrom: projector, keepingThemCached: false)
        }
        let empty = emptySpares.withLock { $0 }
        try writing("installing rebuilt read models at position \(checkpoint)") { txn in
            for change in changes {
                guard let slot = change.slot else {
                    throw ProjectionError(.storage, "\(change.projector) was not built", projector: change.projector)
                }
                try write(
                    change,
                    into: try existingRowDatabase(change.projector, slot),
                    in: txn,
                    appending: empty.contains(change.projector)
                )
                if let previous = try status(of: change.projector, in: txn), previous.slot != slot {
                    try txn.empty(try existingRowDatabase(change.projector, previous.slot))
                }
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
        emptySpares.withLock { $0.subtract(changes.map(\.projector)) }
        try trimCaches(of: projectors)
    }

    /// Lets the committed rows used longest ago go until what the tables of `projectors` cache
    /// fits the budget.
    func trimCaches(of projectors: [any Projector]) throws(ProjectionError) {
        trimCaches(of: try Self.persistentTables(of: projectors), to: cacheBytes)
    }

    private func trimCaches(of tables: [any PersistentTable], to budget: Int) {
        // Two agings let every cached row go.
        for _ in 0..<2 where tables.reduce(0, { $0 + $1.cachedBytes }) > budget {
            for table in tables { table.age() }
        }
    }

    /// Reads the stored row of `table` under `key` from `database`, through `body`.
    func readRow<R>(
        table: String,
        key: String,
        in database: Database,
        _ body: (UnsafeRawBufferPointer) throws(ProjectionError) -> R
    ) throws(ProjectionError) -> R? {
        try reading("reading \(table)/\(key)") { txn -> R? in
            guard let bytes = try txn.get(Self.storageKey(table: table, key: key), in: database) else { return nil }
            return try body(bytes)
        }
    }

    // MARK: - Helpers

    /// Writes `changes` into the database their projector's tables are attached to.
    private func write(_ changes: RowChanges, in txn: borrowing WriteTransaction, appending: Bool = false) throws {
        guard let slot = changes.slot else {
            throw ProjectionError(.storage, "\(changes.projector) was not built", projector: changes.projector)
        }
        try write(changes, into: try existingRowDatabase(changes.projector, slot), in: txn, appending: appending)
    }

    /// Writes `changes` (in key order); `appending` when the database is empty, which lets LMDB
    /// fill pages in order, and where a removal has nothing to remove.
    private func write(
        _ changes: RowChanges,
        into database: Database,
        in txn: borrowing WriteTransaction,
        appending: Bool = false
    ) throws {
        for row in changes.rows {
            if let value = row.value {
                try txn.put(value, for: row.key, in: database, flags: appending ? .append : [])
            } else if !appending {
                try txn.delete(row.key, in: database)
            }
        }
    }

    func status(of name: String, in txn: borrowing some Transaction & ~Copyable) throws -> ProjectionStatus? {
        guard let bytes = try txn.get(Array(name.utf8), in: catalogue) else { return nil }
        return try JSONDecoder().decode(ProjectionStatus.self, from: Data(bytes))
    }

    private func put(_ status: ProjectionStatus, in txn: borrowing WriteTransaction) throws {
        try txn.put(Array(try JSONEncoder().encode(status)), for: Array(status.name.utf8), in: catalogue)
    }

    func liveDatabase(of projector: String, in txn: borrowing ReadTransaction) throws -> Database? {
        guard let status = try status(of: projector, in: txn) else { return nil }
        return rowDatabase(projector, status.slot)
    }

    /// The row database of `projector` in `slot`, if ``openRowDatabases(of:)`` found it.
    private func rowDatabase(_ projector: String, _ slot: ProjectionStatus.Slot) -> Database? {
        rowDatabases.withLock { $0["\(projector)#\(slot.rawValue)"] }
    }

    /// Opens the row databases of `projector` that exist. Called outside any transaction: a
    /// handle opened inside a read transaction would not outlive it.
    func openRowDatabases(of projector: String) throws(ProjectionError) {
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

    static func persistentTables(of projectors: [any Projector]) throws(ProjectionError) -> [any PersistentTable] {
        var tables: [any PersistentTable] = []
        for projector in projectors { tables.append(contentsOf: try persistentTables(of: projector).values) }
        return tables
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

    func reading<R>(
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

/// Where a table reads the committed rows it does not hold in memory: one of its read model's
/// two row databases.
struct RowSource: Sendable {
    let store: ReadModelStore
    let database: Database
    let slot: ProjectionStatus.Slot

    /// Reads the stored row of `table` under `key` through `body`; `nil` when there is none.
    func read<R>(
        table: String,
        key: String,
        _ body: (UnsafeRawBufferPointer) throws(ProjectionError) -> R
    ) throws(ProjectionError) -> R? {
        try store.readRow(table: table, key: key, in: database, body)
    }
}
