import EventStore
import Foundation
import Zstd

/// The two encodings of an export, described once.
///
/// Either is written as one zstd frame with a content checksum (unless `--uncompressed`);
/// an import tells the two apart by zstd's magic number.
///
/// **NDJSON.** Line 1 is the header,
/// `{"rapportExport":1,"encoding":"ndjson","from":F,"through":T,"previousHash":"hex","uniqueKeys":true}`;
/// then one ``EventLine`` per event, with `payload` and `hash`; then, when the export holds
/// the whole log, one `{"uniqueKey":"…","owner":"stream"}` per reserved key; last,
/// `{"end":{"events":N,"uniqueKeys":K,"lastHash":"hex"}}`. An imported event line must be
/// byte for byte what this build renders for the event it describes, so every byte of it is
/// checked: the fields through the chain hash, `data` against the payload.
///
/// **Binary.** The 8 bytes `RAPPORTX`, a u32 format version (1), then frames of
/// `u8 kind · u32 body length · body`, all little-endian:
/// - kind 0, header: `u64 from · u64 through · 32 previous hash · u8 flags (1: unique keys)`
/// - kind 1, event: the stored record exactly, canonical bytes (see `RecordFormat`) then its
///   32-byte chain hash, so an import checks every byte against the chain
/// - kind 2, unique key: `u16 key length · key · owner stream`
/// - kind 3, end: `u64 events · u64 unique keys · 32 last hash`
///
/// **Unique keys.** The log's reservation table (normalized phones, e-mails: the dedup
/// rules) is state, not events: appends reserve and release keys beside their events, so it
/// cannot be rebuilt from the events alone. An export of the whole log carries the table as
/// it stands at the export's snapshot, and the import sets it with its last batch. A range
/// export carries none: the table at the head does not describe a prefix of the log.
enum ExportFormat {
    static let version: UInt32 = 1
    static let binaryMagic = Array("RAPPORTX".utf8)
    static let zstdMagic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
    /// The largest binary frame body accepted: a record is at most a few MiB.
    static let maxFrameBody = 64 << 20

    enum Encoding: String, CaseIterable {
        case ndjson
        case binary
    }

    enum FrameKind: UInt8 {
        case header = 0
        case event = 1
        case uniqueKey = 2
        case end = 3
    }

    /// What an export holds, from its first line or frame.
    struct Header {
        var from: UInt64
        var through: UInt64
        var previousHash: ChainHash
        var carriesUniqueKeys: Bool
    }

    /// The summary at an export's end, which tells a complete file from a cut one.
    struct End {
        var events: UInt64
        var uniqueKeys: UInt64
        var lastHash: ChainHash
    }
}

// MARK: - Writing

/// Where an export's bytes go: a file, through zstd unless uncompressed, in large writes.
final class ExportSink {
    private let path: String
    private let descriptor: Int32
    private var isClosed = false
    private let compressor: ZstdStreamCompressor?
    private var buffer: [UInt8] = []
    /// Bytes written to the file so far.
    private(set) var fileBytes = 0

    /// Creates the file at `path`, which must not exist.
    ///
    /// - Throws: `OutputError` when it cannot be created.
    init(path: String, compressionLevel: Int32?) throws {
        compressor = try compressionLevel.map { try ZstdStreamCompressor(level: $0) }
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputError(path) }
        buffer.reserveCapacity(1 << 20 + 65_536)
    }

    deinit {
        if !isClosed { close(descriptor) }
    }

    /// Appends bytes, writing them out once a megabyte has gathered.
    func write(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= 1 << 20 { try drain() }
    }

    /// Writes everything out, ends the zstd frame, and syncs and closes the file.
    func finish() throws {
        try drain()
        if let compressor { try compressor.compress(UnsafeRawBufferPointer(start: nil, count: 0), isLast: true) { try emit($0) } }
        guard fsync(descriptor) == 0 else { throw OutputError(path) }
        isClosed = true
        guard close(descriptor) == 0 else { throw OutputError(path) }
    }

    private func drain() throws {
        guard !buffer.isEmpty else { return }
        if let compressor {
            try buffer.withUnsafeBytes { input in try compressor.compress(input, isLast: false) { try emit($0) } }
        } else {
            try buffer.withUnsafeBytes { try emit($0) }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        try writeAll(bytes, to: descriptor, naming: path)
        fileBytes += bytes.count
    }
}

/// A file that cannot be written or read as an export.
struct ExportFileError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension [UInt8] {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Appends a binary frame: kind, body length, then what `body` appends.
    mutating func appendFrame(_ kind: ExportFormat.FrameKind, _ body: (inout [UInt8]) -> Void) {
        append(kind.rawValue)
        let lengthAt = count
        appendLittleEndian(UInt32(0))
        body(&self)
        let length = UInt32(count - lengthAt - 4)
        Swift.withUnsafeBytes(of: length.littleEndian) { replaceSubrange(lengthAt..<lengthAt + 4, with: $0) }
    }
}
