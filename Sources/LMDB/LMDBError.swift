import CLMDB

/// An error returned by LMDB: one of LMDB's own codes, or a system `errno` it passed on.
///
/// Every LMDB return code has a named value, so callers match on `.mapFull` or `.notFound`
/// rather than on numbers; `description` carries LMDB's own text for the code.
public struct LMDBError: Error, RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The C return code.
    public let rawValue: Int32

    /// Wraps a C return code.
    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    // MARK: - LMDB's own codes

    /// `MDB_KEYEXIST`: key/data pair already exists.
    public static let keyExists = LMDBError(rawValue: -30799)
    /// `MDB_NOTFOUND`: key/data pair not found (EOF).
    public static let notFound = LMDBError(rawValue: -30798)
    /// `MDB_PAGE_NOTFOUND`: requested page not found; usually indicates corruption.
    public static let pageNotFound = LMDBError(rawValue: -30797)
    /// `MDB_CORRUPTED`: located page was wrong type.
    public static let corrupted = LMDBError(rawValue: -30796)
    /// `MDB_PANIC`: update of meta page failed or environment had a fatal error.
    public static let panic = LMDBError(rawValue: -30795)
    /// `MDB_VERSION_MISMATCH`: environment version mismatch.
    public static let versionMismatch = LMDBError(rawValue: -30794)
    /// `MDB_INVALID`: file is not a valid LMDB file.
    public static let invalid = LMDBError(rawValue: -30793)
    /// `MDB_MAP_FULL`: environment map size reached.
    public static let mapFull = LMDBError(rawValue: -30792)
    /// `MDB_DBS_FULL`: environment max databases reached.
    public static let databasesFull = LMDBError(rawValue: -30791)
    /// `MDB_READERS_FULL`: environment max readers reached.
    public static let readersFull = LMDBError(rawValue: -30790)
    /// `MDB_TLS_FULL`: too many TLS keys in use.
    public static let tlsFull = LMDBError(rawValue: -30789)
    /// `MDB_TXN_FULL`: transaction has too many dirty pages.
    public static let transactionFull = LMDBError(rawValue: -30788)
    /// `MDB_CURSOR_FULL`: cursor stack too deep.
    public static let cursorFull = LMDBError(rawValue: -30787)
    /// `MDB_PAGE_FULL`: page has not enough space.
    public static let pageFull = LMDBError(rawValue: -30786)
    /// `MDB_MAP_RESIZED`: another process grew the map beyond this one's size.
    public static let mapResized = LMDBError(rawValue: -30785)
    /// `MDB_INCOMPATIBLE`: operation and database incompatible, or database flags changed.
    public static let incompatible = LMDBError(rawValue: -30784)
    /// `MDB_BAD_RSLOT`: invalid reuse of a reader locktable slot.
    public static let badReaderSlot = LMDBError(rawValue: -30783)
    /// `MDB_BAD_TXN`: transaction must abort, has a child, or is invalid.
    public static let badTransaction = LMDBError(rawValue: -30782)
    /// `MDB_BAD_VALSIZE`: unsupported size of key, DB name, data, or wrong DUPFIXED size.
    public static let badValueSize = LMDBError(rawValue: -30781)
    /// `MDB_BAD_DBI`: the database handle was changed unexpectedly.
    public static let badDatabase = LMDBError(rawValue: -30780)

    /// Not LMDB's: the environment was closed by this process and cannot start transactions.
    public static let environmentClosed = LMDBError(rawValue: -30_600)

    // MARK: - System errors LMDB passes on

    /// `ENOENT`: the directory or file does not exist.
    public static let noSuchFile = LMDBError(rawValue: 2)
    /// `EIO`: an I/O error.
    public static let ioError = LMDBError(rawValue: 5)
    /// `EAGAIN`: the environment is locked by another process (with `MDB_NOLOCK` absent).
    public static let tryAgain = LMDBError(rawValue: 11)
    /// `ENOMEM`: out of memory.
    public static let outOfMemory = LMDBError(rawValue: 12)
    /// `EACCES`: permission denied.
    public static let permissionDenied = LMDBError(rawValue: 13)
    /// `EBUSY`: resource busy.
    public static let busy = LMDBError(rawValue: 16)
    /// `EINVAL`: an invalid parameter was given.
    public static let invalidArgument = LMDBError(rawValue: 22)
    /// `ENOSPC`: no space left on the device.
    public static let noSpace = LMDBError(rawValue: 28)
    /// `EROFS`: read-only file system.
    public static let readOnlyFileSystem = LMDBError(rawValue: 30)

    /// The symbolic name of the code, such as `MDB_MAP_FULL` or `ENOSPC`.
    public var name: String {
        Self.names[rawValue] ?? "error \(rawValue)"
    }

    /// The name and LMDB's text for the code.
    public var description: String {
        if self == .environmentClosed { return "\(name): the environment is closed" }
        return "\(name): \(String(cString: mdb_strerror(rawValue)))"
    }

    private static let names: [Int32: String] = [
        -30799: "MDB_KEYEXIST", -30798: "MDB_NOTFOUND", -30797: "MDB_PAGE_NOTFOUND",
        -30796: "MDB_CORRUPTED", -30795: "MDB_PANIC", -30794: "MDB_VERSION_MISMATCH",
        -30793: "MDB_INVALID", -30792: "MDB_MAP_FULL", -30791: "MDB_DBS_FULL",
        -30790: "MDB_READERS_FULL", -30789: "MDB_TLS_FULL", -30788: "MDB_TXN_FULL",
        -30787: "MDB_CURSOR_FULL", -30786: "MDB_PAGE_FULL", -30785: "MDB_MAP_RESIZED",
        -30784: "MDB_INCOMPATIBLE", -30783: "MDB_BAD_RSLOT", -30782: "MDB_BAD_TXN",
        -30781: "MDB_BAD_VALSIZE", -30780: "MDB_BAD_DBI", -30_600: "ENVIRONMENT_CLOSED",
        2: "ENOENT", 5: "EIO", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 16: "EBUSY",
        22: "EINVAL", 28: "ENOSPC", 30: "EROFS",
    ]
}

/// The one place a C return code becomes a Swift error.
@inline(__always)
func check(_ code: Int32) throws(LMDBError) {
    if code != 0 { throw LMDBError(rawValue: code) }
}
