import LMDB

/// How one read model's stored rows in one store compare with another store's: what proves
/// that the rows a live engine kept are the rows a rebuild from the log gives.
public struct ReadModelComparison: Sendable, Hashable {
    /// The read model compared.
    public var projector: String
    /// The rows walked in both stores, up to the first difference.
    public var rowsCompared: Int
    /// The first row, in storage order, that differs; `nil` when every row is the same.
    public var firstDifference: Difference?

    /// A row that one store holds and the other does not, or holds with other bytes.
    public struct Difference: Sendable, Hashable, CustomStringConvertible {
        /// The table and key of the row.
        public var table: String
        public var key: String
        /// The row's encoded size in each store, `nil` where the store has no such row.
        public var bytesHere: Int?
        public var bytesThere: Int?

        public var description: String {
            switch (bytesHere, bytesThere) {
            case (nil, _): "\(table)/\(key) is only in the other store"
            case (_, nil): "\(table)/\(key) is only in this store"
            case let (here?, there?): "\(table)/\(key) differs (\(here) bytes here, \(there) there)"
            }
        }
    }
}

extension ReadModelStore {
    /// Compares the live rows of the read model `projector` with its live rows in `other`, row
    /// by row in storage order, stopping at the first difference; each store is read in one
    /// transaction, so rows written meanwhile are not seen half-way.
    ///
    /// Memory stays flat: the two cursors walk side by side and no row is kept.
    ///
    /// - Throws: ``ProjectionError`` with `.storage` when either store cannot be read.
    public func compare(_ projector: String, with other: ReadModelStore) throws(ProjectionError) -> ReadModelComparison
    {
        try openRowDatabases(of: projector)
        try other.openRowDatabases(of: projector)
        return try reading("comparing the rows of \(projector)") { here in
            try other.reading("comparing the rows of \(projector)") { there in
                let mine = try liveDatabase(of: projector, in: here)
                let theirs = try other.liveDatabase(of: projector, in: there)
                return try Self.rows(of: mine, in: here) { nextHere in
                    try Self.rows(of: theirs, in: there) { nextThere in
                        try Self.compare(projector, nextHere, nextThere)
                    }
                }
            }
        }
    }

    /// Walks two row sequences in storage order side by side up to their first difference.
    private static func compare(
        _ projector: String,
        _ nextHere: () throws -> Cursor.Entry?,
        _ nextThere: () throws -> Cursor.Entry?
    ) throws -> ReadModelComparison {
        var comparison = ReadModelComparison(projector: projector, rowsCompared: 0)
        var (left, right) = (try nextHere(), try nextThere())
        while left != nil || right != nil {
            let order = order(left?.key, right?.key)
            if order == 0, let left, let right, !left.value.elementsEqual(right.value) {
                comparison.firstDifference = difference(at: left.key, here: left.value.count, there: right.value.count)
                break
            }
            if order < 0, let left {
                comparison.firstDifference = difference(at: left.key, here: left.value.count, there: nil)
                break
            }
            if order > 0, let right {
                comparison.firstDifference = difference(at: right.key, here: nil, there: right.value.count)
                break
            }
            comparison.rowsCompared += 1
            (left, right) = (try nextHere(), try nextThere())
        }
        return comparison
    }

    /// Runs `body` with a step that returns `database`'s rows one by one in storage order (an
    /// unpositioned LMDB cursor's next entry is its first), or none when there is no database.
    private static func rows<R>(
        of database: Database?,
        in txn: borrowing ReadTransaction,
        _ body: (() throws -> Cursor.Entry?) throws -> R
    ) throws -> R {
        guard let database else { return try body { nil } }
        return try txn.withCursor(database) { cursor in try body { try cursor.next() } }
    }

    /// How two storage keys sort, a missing key after every present one: -1, 0 or 1.
    private static func order(_ left: UnsafeRawBufferPointer?, _ right: UnsafeRawBufferPointer?) -> Int {
        switch (left, right) {
        case (nil, nil): 0
        case (nil, _): 1
        case (_, nil): -1
        case let (l?, r?): l.elementsEqual(r) ? 0 : (l.lexicographicallyPrecedes(r) ? -1 : 1)
        }
    }

    private static func difference(
        at key: UnsafeRawBufferPointer,
        here: Int?,
        there: Int?
    ) -> ReadModelComparison.Difference {
        let separator = key.firstIndex(of: 0) ?? key.count
        return ReadModelComparison.Difference(
            table: String(decoding: key[..<separator], as: UTF8.self),
            key: String(decoding: key[min(separator + 1, key.count)...], as: UTF8.self),
            bytesHere: here,
            bytesThere: there
        )
    }
}
