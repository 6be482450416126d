/// A table of a read model: rows of one type by string key, stored in a ``ReadModelStore``.
///
/// The engine attaches a table to the store's database of its read model; the table keeps the
/// rows changed since the last commit, and a cache of rows read or written lately, in memory,
/// and reads any other row from the store when a projector asks for it. After each commit the
/// engine trims the caches of all tables to the store's budget (``ReadModelStore/cacheBytes``,
/// or ``ReadModelStore/buildCacheBytes`` while building from scratch), so memory does not grow
/// with the history. A row changed and not yet committed stays in memory until it is.
///
/// A row's memory is estimated from its stored size (``memoryEstimate(storedBytes:)``): a
/// decoded row takes several times its compact stored form.
///
/// Keys sort as UTF-8 bytes in the store, so a key built as `period|rep|stage` can be read back
/// by prefix.
///
/// Rows are stored in the binary ``RowFormat`` and must encode deterministically (the engine
/// compares read models byte for byte): dictionaries are written in sorted key order, and only
/// those keyed by `String`, `Int` or a `CodingKeyRepresentable` type are accepted; a `Set`, which
/// has no order, is refused (keep a sorted array).
public final class ReadModelTable<Row: Codable & Sendable>: ReadModelTableProtocol, PersistentTable {
    /// The table's name, unique within its projector.
    public let name: String
    /// Rows changed since the last commit, `nil` for a removed one: only a commit lets them go.
    private var changed: [String: Row?] = [:]
    /// Committed rows used lately, in two generations: a trim drops `older` and ages `recent`,
    /// and a row of `older` used again moves back to `recent`. No key is in both, nor in
    /// `changed`.
    private var recent: [String: CachedRow] = [:]
    private var older: [String: CachedRow] = [:]
    /// The estimated memory of the rows in `recent` and `older`.
    private var recentBytes = 0
    private var olderBytes = 0
    /// The estimated memory of the rows encoded or read so far, for estimating what `changed`
    /// holds.
    private var seenBytes = 0
    private var seenRows = 0
    /// Whether either generation holds a row: while neither does (a build that has not flushed
    /// yet), a key need not be looked up there.
    private var hasCached: Bool { !recent.isEmpty || !older.isEmpty }
    /// Where committed rows not in memory are read from; `nil` before the engine attaches the
    /// table, when it holds only what it was given.
    private var source: RowSource?
    /// Whether a row may be in the store and not in memory: false while a table built from
    /// scratch has not let any row go, so a key it does not hold is known to be absent.
    private var storeMayHoldMore = false
    /// The first failure to read a row from the store; the engine refuses to commit after one.
    private var readFailure: ProjectionError?

    /// An empty table called `name`.
    public init(_ name: String) {
        precondition(!name.isEmpty && !name.utf8.contains(0), "a table name is non-empty and has no NUL")
        self.name = name
    }

    /// The row under `key`; setting `nil` removes it.
    public subscript(key: String) -> Row? {
        get { row(key) }
        set {
            if hasCached { forgetCached(key) }
            changed[key] = .some(newValue)
        }
    }

    /// Whether the table holds a row under `key`.
    public func contains(_ key: String) -> Bool { row(key) != nil }

    /// Changes the row under `key` in place, starting from `initial` when there is none.
    public func update(_ key: String, default initial: @autoclosure () -> Row, _ change: (inout Row) -> Void) {
        if let index = changed.index(forKey: key) {
            if changed.values[index] == nil { changed.values[index] = initial() }
            change(&changed.values[index]!)
            return
        }
        var row = takeCommitted(key) ?? initial()
        change(&row)
        changed[key] = row
    }

    /// Changes the row under `key` in place when there is one; returns whether there was.
    @discardableResult
    public func updateIfPresent(_ key: String, _ change: (inout Row) -> Void) -> Bool {
        if let index = changed.index(forKey: key) {
            guard changed.values[index] != nil else { return false }
            change(&changed.values[index]!)
            return true
        }
        guard var row = takeCommitted(key) else { return false }
        change(&row)
        changed[key] = row
        return true
    }

    // MARK: - Reading

    private func row(_ key: String) -> Row? {
        if let index = changed.index(forKey: key) { return changed.values[index] }
        if hasCached {
            if let cached = recent[key] { return cached.row }
            if let cached = older.removeValue(forKey: key) {
                olderBytes -= cached.size
                remember(cached, under: key)
                return cached.row
            }
        }
        guard let cached = readStored(key) else { return nil }
        remember(cached, under: key)
        return cached.row
    }

    /// The committed row under `key`, out of the cache (the caller is about to change it).
    private func takeCommitted(_ key: String) -> Row? {
        if hasCached {
            if let cached = recent.removeValue(forKey: key) {
                recentBytes -= cached.size
                return cached.row
            }
            if let cached = older.removeValue(forKey: key) {
                olderBytes -= cached.size
                return cached.row
            }
        }
        return readStored(key)?.row
    }

    private func readStored(_ key: String) -> CachedRow? {
        guard storeMayHoldMore, let source, readFailure == nil else { return nil }
        do {
            return try source.read(table: name, key: key) { (bytes) throws(ProjectionError) in
                CachedRow(
                    row: try RowCodec.decode(Row.self, from: bytes, table: name, key: key),
                    size: Self.memoryEstimate(storedBytes: bytes.count)
                )
            }
        } catch {
            readFailure = error
            return nil
        }
    }

    private func remember(_ cached: CachedRow, under key: String) {
        recent[key] = cached
        recentBytes += cached.size
    }

    private func forgetCached(_ key: String) {
        if let cached = recent.removeValue(forKey: key) { recentBytes -= cached.size }
        if let cached = older.removeValue(forKey: key) { olderBytes -= cached.size }
    }

    // MARK: - Engine

    func attach(_ source: RowSource, empty: Bool) {
        self.source = source
        storeMayHoldMore = !empty
    }

    var attachedSource: RowSource? { source }

    /// About how much memory a row of `storedBytes` stored takes decoded, with its key and its
    /// place in a dictionary.
    static func memoryEstimate(storedBytes: Int) -> Int { storedBytes * 3 + 96 }

    func takeChanges(keepingThemCached: Bool) throws(ProjectionError) -> [(key: String, value: [UInt8]?)] {
        if let readFailure { throw readFailure }
        var changes: [(key: String, value: [UInt8]?)] = []
        changes.reserveCapacity(changed.count)
        for (key, row) in changed {
            guard let row else {
                changes.append((key, nil))
                continue
            }
            let bytes = try RowCodec.encode(row, table: name, key: key)
            changes.append((key, bytes))
            let size = Self.memoryEstimate(storedBytes: bytes.count)
            seenBytes += size
            seenRows += 1
            if keepingThemCached {
                remember(CachedRow(row: row, size: size), under: key)
            } else {
                storeMayHoldMore = true
            }
        }
        // A live batch's capacity is worth keeping; a whole build's is not.
        changed.removeAll(keepingCapacity: changed.count <= 4_096)
        return changes
    }

    var cachedBytes: Int { recentBytes + olderBytes }

    var changedBytesEstimate: Int {
        changed.count * (seenRows == 0 ? Self.memoryEstimate(storedBytes: 64) : seenBytes / seenRows)
    }

    func age() {
        if !older.isEmpty { storeMayHoldMore = true }
        guard hasCached else { return }
        older = recent
        olderBytes = recentBytes
        recent = [:]
        recentBytes = 0
    }

    /// A committed row and its estimated memory.
    private struct CachedRow {
        var row: Row
        var size: Int
    }
}

/// What the engine needs of any table, whatever its row type.
public protocol ReadModelTableProtocol: AnyObject {
    /// The table's name, unique within its projector.
    var name: String { get }
}

/// The engine's side of a table: attach it to the store, take its changes, trim its cache.
protocol PersistentTable: ReadModelTableProtocol {
    /// Reads rows not in memory from `source`; `empty` when that holds none yet (a build from
    /// scratch), so nothing need be read until a row has been let go.
    func attach(_ source: RowSource, empty: Bool)
    /// Where the table reads and its changes are written.
    var attachedSource: RowSource? { get }
    /// The rows changed since the last call, encoded (`nil` for a removed row); they stay cached
    /// as committed rows when `keepingThemCached`.
    ///
    /// - Throws: the failure to read a row, if one happened since the last commit: the changes
    ///   may rest on a row that could not be read.
    func takeChanges(keepingThemCached: Bool) throws(ProjectionError) -> [(key: String, value: [UInt8]?)]
    /// The estimated memory of the committed rows held in memory.
    var cachedBytes: Int { get }
    /// The estimated memory of the changed rows.
    var changedBytesEstimate: Int { get }
    /// Lets the committed rows used longest ago go.
    func age()
}
