import CLMDB

/// A handle to a named database inside an ``Environment``.
///
/// Handles are cheap values, valid for the life of their environment.
public struct Database: Sendable, Hashable {
    let handle: MDB_dbi

    /// How a database sorts and stores its entries.
    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Create the database if it does not exist.
        public static let create = Flags(rawValue: UInt32(MDB_CREATE))
        /// Keys may hold several values, kept sorted.
        public static let duplicateSort = Flags(rawValue: UInt32(MDB_DUPSORT))
        /// With `duplicateSort`: all values of a key have the same size, stored packed.
        public static let duplicateFixed = Flags(rawValue: UInt32(MDB_DUPFIXED))
        /// Keys are native-endian unsigned integers compared numerically.
        public static let integerKey = Flags(rawValue: UInt32(MDB_INTEGERKEY))
    }

    /// Counts and shape of a database.
    public struct Statistics: Sendable {
        /// Key/value pairs, counting every duplicate.
        public var entries: Int
        /// Height of the B-tree.
        public var depth: Int
        /// Pages in use: branch, leaf and overflow.
        public var pages: Int
        /// Page size in bytes.
        public var pageSize: Int
    }
}

/// Options of a single write.
public struct WriteFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Fail with `keyExists` instead of replacing an existing key.
    public static let noOverwrite = WriteFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// In a duplicate-sorted database: fail with `keyExists` if the pair exists already.
    public static let noDuplicateData = WriteFlags(rawValue: UInt32(MDB_NODUPDATA))
    /// The key sorts after every existing key: skips the search (fails with `keyExists`
    /// otherwise).
    public static let append = WriteFlags(rawValue: UInt32(MDB_APPEND))
    /// In a duplicate-sorted database: the value sorts after every value of its key.
    public static let appendDuplicate = WriteFlags(rawValue: UInt32(MDB_APPENDDUP))
}
