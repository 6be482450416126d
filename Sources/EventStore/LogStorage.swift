import Foundation
import LMDB

/// The log's LMDB environment and its databases, and how keys are laid out in them.
///
/// | database    | key                       | value                                   |
/// |-------------|---------------------------|-----------------------------------------|
/// | meta        | `magic`, `format`         | `rapport-log`, u32 format version        |
/// | events      | position (u64 big-endian) | record: canonical bytes ‖ chain hash    |
/// | streams     | stream name ‖ 0 ‖ version | position (BE)                           |
/// | categories  | category                  | dup-sorted: position (BE)               |
/// | types       | event type                | dup-sorted: position (BE)               |
/// | eventIDs    | event id (16 bytes)       | position (BE)                           |
/// | uniqueKeys  | key                       | owning stream name                      |
/// | checkpoints | consumer name             | position (BE)                           |
/// | chunks      | first position (BE)       | a ``SealedChunk`` of records            |
/// | dictionaries| dictionary id (BE u32)    | a zstd dictionary trained on the log    |
/// | compactions | first position (BE)       | a ``CompactionManifest``                |
/// | receipts    | a caller's key            | a ``StoredReceipt``                     |
/// | snapshots   | stream name               | a ``StreamSnapshot`` (a readers' cache)  |
///
/// `events` holds the hot tail; `compact` moves a cold prefix of it into `chunks`, so a
/// position lives in exactly one of the two, and every read goes through ``walkRecords`` or
/// ``withRecord(at:in:cache:)``, which look in both.
///
/// Big-endian keys sort in numeric order, so a cursor walks positions in log order and new
/// events always append at the end of every index. The stream index is flat rather than
/// dup-sorted: a dup-sorted key grows a B-tree of its own, and a commit touching many streams
/// would then dirty two or three pages per stream instead of about one.
struct LogStorage: Sendable {
    /// The format a new log is stamped with.
    static let formatVersion: UInt32 = 1
    /// The format of a log with sealed chunks, which builds before compaction cannot read.
    static let sealedFormatVersion: UInt32 = 2
    static let magic = Array("rapport-log".utf8)
    static let dataFileName = "data.mdb"

    let environment: Environment
    let meta: Database
    let events: Database
    let streams: Database
    let categories: Database
    let types: Database
    let eventIDs: Database
    let uniqueKeys: Database
    let checkpoints: Database
    /// The sealed side; `nil` only in a read-only open of a log written before compaction
    /// existed, which has nothing sealed.
    let chunks: Database?
    let dictionaries: Database?
    let compactions: Database?
    /// Receipts left by appends; `nil` only in a read-only open of a log written before
    /// receipts existed, which holds none.
    let receipts: Database?
    /// Readers' folded states of long streams; `nil` only in a read-only open of a log
    /// written before snapshots existed, which holds none.
    let snapshots: Database?
    let decompressors = ChunkDecompressors()

    private static let indexFlags: Database.Flags = [.duplicateSort, .duplicateFixed]

    /// Opens the log in `directory`, creating it when writable and absent.
    static func open(
        directory: String,
        readOnly: Bool,
        options: Environment.Options
    ) throws(EventStoreError) -> LogStorage {
        try checkDirectory(directory, readOnly: readOnly)
        var options = options
        options.readOnly = readOnly
        let environment: Environment
        do {
            environment = try Environment(path: directory, options: options)
        } catch let error as LMDBError where error == .invalid || error == .versionMismatch {
            throw EventStoreError(
                .notARapportLog,
                "\(directory) holds a \(dataFileName) that is not an LMDB environment"
            )
        } catch let error as LMDBError {
            throw .storage(error, while: "opening the log at \(directory)")
        } catch {
            throw .storage(.ioError, while: "opening the log at \(directory)")
        }
        do {
            return try readOnly ? openExisting(environment) : openOrCreate(environment)
        } catch let error as EventStoreError {
            throw error
        } catch let error as LMDBError {
            throw .storage(error, while: "opening the log's databases in \(directory)")
        } catch {
            throw .storage(.ioError, while: "opening the log at \(directory)")
        }
    }

    private static func checkDirectory(_ directory: String, readOnly: Bool) throws(EventStoreError) {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if !files.fileExists(atPath: directory, isDirectory: &isDirectory) {
            if readOnly { throw EventStoreError(.logNotFound, "no log at \(directory): the directory does not exist") }
            do {
                try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw EventStoreError(
                    .storage,
                    "cannot create the log directory \(directory): \(error.localizedDescription)"
                )
            }
            return
        }
        guard isDirectory.boolValue else {
            throw EventStoreError(.notARapportLog, "\(directory) is a file, not a log directory")
        }
        let contents: [String]
        do {
            contents = try files.contentsOfDirectory(atPath: directory)
        } catch {
            // Not "no log": a log may well be there, out of this user's reach.
            throw EventStoreError(.storage, "cannot read the log directory \(directory): \(error.systemReason)")
        }
        if !contents.contains(dataFileName) {
            if readOnly { throw EventStoreError(.logNotFound, "no log at \(directory): it holds no \(dataFileName)") }
            let foreign = contents.filter { $0 != WriterLock.fileName && $0 != "lock.mdb" }
            if !foreign.isEmpty {
                throw EventStoreError(
                    .notARapportLog,
                    "\(directory) is not empty and holds no Rapport log (found \(foreign.sorted().prefix(3).joined(separator: ", ")))"
                )
            }
        }
    }

    private static func openExisting(_ environment: Environment) throws -> LogStorage {
        let meta: Database
        do {
            meta = try environment.openDatabase("meta")
        } catch let error as LMDBError where error == .notFound || error == .incompatible {
            throw EventStoreError(.notARapportLog, "\(environment.path) is an LMDB environment but not a Rapport log")
        }
        try environment.withReadTransaction { txn in try checkMeta(txn, meta: meta, path: environment.path) }
        return try LogStorage(environment: environment, meta: meta) { name, flags in
            try environment.openDatabase(name, flags: flags)
        }
    }

    private static func openOrCreate(_ environment: Environment) throws -> LogStorage {
        try environment.withWriteTransaction { txn in
            let meta = try openOrCreateMeta(in: txn, path: environment.path)
            return try LogStorage(environment: environment, meta: meta) { name, flags in
                try txn.openDatabase(name, flags: flags.union(.create))
            }
        }
    }

    /// The meta database of an existing log, or a new one stamped with the format version
    /// when the environment is empty.
    private static func openOrCreateMeta(in txn: borrowing WriteTransaction, path: String) throws -> Database {
        do {
            let meta = try txn.openDatabase("meta")
            try checkMeta(txn, meta: meta, path: path)
            return meta
        } catch let error as LMDBError where error == .notFound || error == .incompatible {
            let main = try txn.openDatabase(nil)
            guard error == .notFound, try txn.statistics(of: main).entries == 0 else {
                throw EventStoreError(.notARapportLog, "\(path) is an LMDB environment but not a Rapport log")
            }
            let meta = try txn.openDatabase("meta", flags: .create)
            try txn.put(magic, for: Array("magic".utf8), in: meta)
            try txn.put(
                withUnsafeBytes(of: formatVersion.littleEndian, Array.init),
                for: Array("format".utf8),
                in: meta
            )
            return meta
        }
    }

    private init(environment: Environment, meta: Database, open: (String, Database.Flags) throws -> Database) throws {
        self.environment = environment
        self.meta = meta
        events = try open("events", [])
        streams = try open("streams", [])
        categories = try open("categories", Self.indexFlags)
        types = try open("types", Self.indexFlags)
        eventIDs = try open("eventIDs", [])
        uniqueKeys = try open("uniqueKeys", [])
        checkpoints = try open("checkpoints", [])
        func openIfPresent(_ name: String) throws -> Database? {
            do {
                return try open(name, [])
            } catch let error as LMDBError where error == .notFound {
                return nil
            }
        }
        chunks = try openIfPresent("chunks")
        dictionaries = try openIfPresent("dictionaries")
        compactions = try openIfPresent("compactions")
        receipts = try openIfPresent("receipts")
        snapshots = try openIfPresent("snapshots")
    }

    private static func checkMeta<T: Transaction & ~Copyable>(_ txn: borrowing T, meta: Database, path: String) throws {
        guard let stored = try txn.get(Array("magic".utf8), in: meta), Array(stored) == magic else {
            throw EventStoreError(.notARapportLog, "\(path) is an LMDB environment but not a Rapport log")
        }
        guard let format = try txn.get(Array("format".utf8), in: meta), format.count == 4 else {
            throw EventStoreError(.notARapportLog, "\(path) has no log format version")
        }
        let version = UInt32(littleEndian: format.loadUnaligned(as: UInt32.self))
        guard version <= sealedFormatVersion else {
            throw EventStoreError(
                .unsupportedFormat,
                "the log at \(path) has format version \(version); this build reads up to \(sealedFormatVersion) — upgrade Rapport"
            )
        }
    }
}

// MARK: - Keys

/// Big-endian bytes of a position or version, so keys sort numerically.
@inline(__always)
func withBigEndian<R>(_ value: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try withUnsafeBytes(of: value.bigEndian, body)
}

@inline(__always)
func bigEndianUInt64(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt64 {
    UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
}

/// The stream index key: the name, a 0 byte (never in a name, so one stream's keys are
/// contiguous and sort before any longer name's), and the big-endian version.
func streamIndexKey(_ stream: StreamName, version: UInt64) -> [UInt8] {
    var key = [UInt8]()
    key.reserveCapacity(stream.rawValue.utf8.count + 9)
    key.append(contentsOf: stream.rawValue.utf8)
    key.append(0)
    withUnsafeBytes(of: version.bigEndian) { key.append(contentsOf: $0) }
    return key
}

/// Runs `body` with a string's UTF-8 bytes, without copying when it is stored contiguously.
@inline(__always)
func withUTF8<R>(_ string: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    var string = string
    return try string.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
}

extension UUID {
    /// The 16 bytes, for the event-id index.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: uuid, body)
    }
}
