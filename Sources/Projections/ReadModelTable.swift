/// A table of a read model: rows of one type by string key, held in memory by the projector
/// that owns it and written to a ``ReadModelStore`` when the engine commits.
///
/// Only rows changed since the last commit are written. Keys sort as UTF-8 bytes in the store,
/// so a key built as `period|rep|stage` can be read back by prefix.
///
/// Rows are stored in the binary ``RowFormat`` and must encode deterministically (the engine
/// compares read models byte for byte): dictionaries are written in sorted key order, and only
/// those keyed by `String`, `Int` or a `CodingKeyRepresentable` type are accepted; a `Set`, which
/// has no order, is refused (keep a sorted array).
public final class ReadModelTable<Row: Codable & Sendable>: ReadModelTableProtocol, PersistentTable {
    /// The table's name, unique within its projector.
    public let name: String
    private var rows: [String: Row] = [:]
    private var changed: Set<String> = []
    /// Off while a table is built from scratch: every row is new then, so there is nothing to
    /// track, and tracking costs a hash of the key on every change.
    private var tracksChanges = true

    /// An empty table called `name`.
    public init(_ name: String) {
        precondition(!name.isEmpty && !name.utf8.contains(0), "a table name is non-empty and has no NUL")
        self.name = name
    }

    /// The row under `key`; setting `nil` removes it.
    public subscript(key: String) -> Row? {
        get { rows[key] }
        set {
            rows[key] = newValue
            if tracksChanges { changed.insert(key) }
        }
    }

    /// Changes the row under `key` in place, starting from `initial` when there is none.
    public func update(_ key: String, default initial: @autoclosure () -> Row, _ change: (inout Row) -> Void) {
        change(&rows[key, default: initial()])
        if tracksChanges { changed.insert(key) }
    }

    /// Changes the row under `key` in place when there is one; returns whether there was.
    @discardableResult
    public func updateIfPresent(_ key: String, _ change: (inout Row) -> Void) -> Bool {
        guard let index = rows.index(forKey: key) else { return false }
        change(&rows.values[index])
        if tracksChanges { changed.insert(key) }
        return true
    }

    /// How many rows the table holds.
    public var count: Int { rows.count }

    /// Every key, in no particular order.
    public var keys: Dictionary<String, Row>.Keys { rows.keys }

    // MARK: - Persistence

    func takeChanges() throws(ProjectionError) -> [(key: String, value: [UInt8]?)] {
        defer { changed.removeAll(keepingCapacity: true) }
        var changes: [(key: String, value: [UInt8]?)] = []
        changes.reserveCapacity(changed.count)
        for key in changed {
            if let row = rows[key] {
                changes.append((key, try RowCodec.encode(row, table: name, key: key)))
            } else {
                changes.append((key, nil))
            }
        }
        return changes
    }

    func takeAllRows() throws(ProjectionError) -> [(key: String, value: [UInt8]?)] {
        defer {
            changed.removeAll()
            tracksChanges = true
        }
        var all: [(key: String, value: [UInt8]?)] = []
        all.reserveCapacity(rows.count)
        for (key, row) in rows { all.append((key, try RowCodec.encode(row, table: name, key: key))) }
        return all
    }

    func stopTrackingChanges() {
        tracksChanges = false
        changed.removeAll()
    }

    func load(key: String, value: UnsafeRawBufferPointer) throws(ProjectionError) {
        rows[key] = try RowCodec.decode(Row.self, from: value, table: name, key: key)
    }
}

/// What the engine needs of any table, whatever its row type.
public protocol ReadModelTableProtocol: AnyObject {
    /// The table's name, unique within its projector.
    var name: String { get }
}

/// The engine's side of a table: hand over changed rows, take back stored ones.
protocol PersistentTable: ReadModelTableProtocol {
    /// The rows changed since the last call, encoded (`nil` for a removed row).
    func takeChanges() throws(ProjectionError) -> [(key: String, value: [UInt8]?)]
    /// Every row, encoded; tracking changes again from here.
    func takeAllRows() throws(ProjectionError) -> [(key: String, value: [UInt8]?)]
    /// Stops tracking changes, for a build from scratch whose every row is new.
    func stopTrackingChanges()
    /// Adds a stored row.
    func load(key: String, value: UnsafeRawBufferPointer) throws(ProjectionError)
}
