import EventStore
import Foundation
import Zstd

/// Why an import stopped, and where in the file.
struct ImportError: Error, CustomStringConvertible {
    /// A stable reason.
    struct Code: RawRepresentable, Hashable, CustomStringConvertible {
        let rawValue: String
        var description: String { rawValue }
        /// The file is not an export this build reads.
        static let notAnExport = Code(rawValue: "not_an_export")
        /// A line or frame is damaged: unreadable, or not what its fields say.
        static let corruptInput = Code(rawValue: "corrupt_input")
        /// The file ends before its end line or frame.
        static let truncatedInput = Code(rawValue: "truncated_input")
        /// The target log's head is not where the export starts.
        static let logMismatch = Code(rawValue: "log_mismatch")
    }

    var code: Code
    var message: String
    /// Where: "line 12" (NDJSON) or "byte 4096" (binary, of the decompressed stream).
    var location: String?

    var description: String { (location.map { "\($0): " } ?? "") + "\(message) [\(code)]" }
}

/// What an export file holds, item by item, with where each item starts.
enum ImportItem {
    case header(ExportFormat.Header)
    case event(RecordedEvent, location: String)
    case uniqueKey(UniqueKeyOwnership, location: String)
    case end(ExportFormat.End, location: String)
}

/// Reads an export file chunk by chunk, through zstd when it is compressed, and parses it.
struct ImportReader {
    private let handle: FileHandle
    private let decompressor: ZstdStreamDecompressor?
    private var parser: any ExportParser
    /// Bytes of the file read so far.
    private(set) var fileOffset = 0
    /// The file's size.
    let fileBytes: Int

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(code: .notAnExport, message: "cannot open \(path)")
        }
        self.handle = handle
        fileBytes = Int(try handle.seekToEnd())
        try handle.seek(toOffset: 0)
        let start = try handle.read(upToCount: 12).map(Array.init) ?? []
        try handle.seek(toOffset: 0)
        let compressed = start.starts(with: ExportFormat.zstdMagic)
        decompressor = compressed ? try ZstdStreamDecompressor() : nil
        if compressed {
            // The encoding shows in the first decompressed bytes; the parser decides then.
            parser = SniffingParser()
        } else if start.starts(with: ExportFormat.binaryMagic) {
            parser = BinaryExportParser()
        } else if start.first == UInt8(ascii: "{") {
            parser = NDJSONExportParser()
        } else {
            throw ImportError(code: .notAnExport, message: "\(path) is not a Rapport export (neither zstd, NDJSON nor RAPPORTX)")
        }
    }

    /// The items of the next chunk of the file; `nil` at the end, once the file was found
    /// complete.
    mutating func next() throws -> [ImportItem]? {
        guard let chunk = try handle.read(upToCount: 1 << 18), !chunk.isEmpty else {
            if let decompressor, !decompressor.isFinished {
                throw ImportError(
                    code: .truncatedInput,
                    message: "the compressed file ends in the middle of its zstd frame, after \(fileOffset) bytes",
                    location: parser.location
                )
            }
            try parser.finish()
            return nil
        }
        var items: [ImportItem] = []
        if let decompressor {
            do {
                let taken = try chunk.withUnsafeBytes { input in
                    try decompressor.decompress(input) { plain in try parser.consume(plain) { items.append($0) } }
                }
                guard taken == chunk.count else {
                    throw ImportError(
                        code: .corruptInput,
                        message: "the compressed file goes on after its zstd frame ends, at byte \(fileOffset + taken)",
                        location: parser.location
                    )
                }
            } catch let error as ZstdError {
                throw ImportError(
                    code: .corruptInput,
                    message: "the compressed file is damaged near byte \(fileOffset + decompressor.consumed): \(error)",
                    location: parser.location
                )
            }
        } else {
            try chunk.withUnsafeBytes { try parser.consume($0) { items.append($0) } }
        }
        fileOffset += chunk.count
        return items
    }
}

/// Turns an export's decompressed bytes into items, however the bytes are split.
protocol ExportParser {
    /// Where the parser is: the line or byte offset it reached.
    var location: String { get }
    mutating func consume(_ bytes: UnsafeRawBufferPointer, _ emit: (ImportItem) -> Void) throws
    /// The input ended: refuses a partial line or frame.
    mutating func finish() throws
}

/// Looks at the first decompressed byte and hands everything to the right parser.
struct SniffingParser: ExportParser {
    private var inner: (any ExportParser)?

    var location: String { inner?.location ?? "byte 0" }

    mutating func consume(_ bytes: UnsafeRawBufferPointer, _ emit: (ImportItem) -> Void) throws {
        if inner == nil, let first = bytes.first {
            if first == UInt8(ascii: "{") {
                inner = NDJSONExportParser()
            } else if first == ExportFormat.binaryMagic[0] {
                inner = BinaryExportParser()
            } else {
                throw ImportError(code: .notAnExport, message: "the decompressed file is neither NDJSON nor RAPPORTX")
            }
        }
        try inner?.consume(bytes, emit)
    }

    mutating func finish() throws {
        guard inner != nil else { throw ImportError(code: .truncatedInput, message: "the file is empty") }
        try inner?.finish()
    }
}

// MARK: - NDJSON

struct NDJSONExportParser: ExportParser {
    private var partial: [UInt8] = []
    private var lineNumber = 0
    private var sawEnd = false
    private let line = EventLine()
    private let decoder = JSONDecoder()

    var location: String { "line \(lineNumber + 1)" }

    mutating func consume(_ bytes: UnsafeRawBufferPointer, _ emit: (ImportItem) -> Void) throws {
        var start = 0
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if partial.isEmpty {
                try parse(UnsafeRawBufferPointer(rebasing: bytes[start..<newline]), emit)
            } else {
                partial.append(contentsOf: bytes[start..<newline])
                let whole = partial
                partial.removeAll(keepingCapacity: true)
                try whole.withUnsafeBytes { try parse($0, emit) }
            }
            start = newline + 1
        }
        partial.append(contentsOf: bytes[start...])
    }

    mutating func finish() throws {
        guard partial.isEmpty else {
            throw ImportError(code: .truncatedInput, message: "the file ends in the middle of a line", location: location)
        }
        guard sawEnd else {
            throw ImportError(code: .truncatedInput, message: "the file ends after \(lineNumber) lines without its end line", location: location)
        }
    }

    private mutating func parse(_ text: UnsafeRawBufferPointer, _ emit: (ImportItem) -> Void) throws {
        lineNumber += 1
        let here = "line \(lineNumber)"
        func corrupt(_ why: String) -> ImportError { ImportError(code: .corruptInput, message: why, location: here) }
        guard !sawEnd else { throw corrupt("there is more after the end line") }
        if lineNumber == 1 {
            guard let header = try? decoder.decode(HeaderLine.self, from: Data(text)), header.rapportExport == ExportFormat.version,
                header.encoding == ExportFormat.Encoding.ndjson.rawValue, let previous = ChainHash(hex: header.previousHash)
            else {
                throw ImportError(code: .notAnExport, message: "the first line is not a Rapport export header (version \(ExportFormat.version))", location: here)
            }
            return emit(.header(ExportFormat.Header(from: header.from, through: header.through, previousHash: previous, carriesUniqueKeys: header.uniqueKeys)))
        }
        if text.starts(with: #"{"position":"#.utf8) {
            guard let fields = try? decoder.decode(EventFields.self, from: Data(text)) else { throw corrupt("not a valid event line") }
            let event = try fields.recordedEvent(corrupt)
            var rendered: [UInt8] = []
            rendered.reserveCapacity(text.count)
            line.render(event, withStoredBytes: true, into: &rendered)
            guard rendered.elementsEqual(text) else {
                throw corrupt("the event line at position \(event.position) is not as exported: a byte was changed")
            }
            return emit(.event(event, location: here))
        }
        if text.starts(with: #"{"uniqueKey":"#.utf8) {
            guard let fields = try? decoder.decode(KeyLine.self, from: Data(text)), let key = try? UniqueKey(fields.uniqueKey),
                let owner = try? StreamName(fields.owner)
            else { throw corrupt("not a valid unique-key line") }
            return emit(.uniqueKey(UniqueKeyOwnership(key: key, owner: owner), location: here))
        }
        guard let end = try? decoder.decode(EndLine.self, from: Data(text)), let hash = ChainHash(hex: end.end.lastHash) else {
            throw corrupt("neither an event, a unique key nor the end line")
        }
        sawEnd = true
        emit(.end(ExportFormat.End(events: end.end.events, uniqueKeys: end.end.uniqueKeys, lastHash: hash), location: here))
    }

    private struct HeaderLine: Decodable {
        var rapportExport: UInt32
        var encoding: String
        var from: UInt64
        var through: UInt64
        var previousHash: String
        var uniqueKeys: Bool
    }

    private struct KeyLine: Decodable {
        var uniqueKey: String
        var owner: String
    }

    private struct EndLine: Decodable {
        struct Summary: Decodable {
            var events: UInt64
            var uniqueKeys: UInt64
            var lastHash: String
        }
        var end: Summary
    }

    private struct EventFields: Decodable {
        var position: UInt64
        var stream: String
        var streamVersion: UInt64
        var id: UUID
        var type: String
        var schemaVersion: UInt32
        var contentType: String
        var recordedAt: String
        var occurredAt: String
        var actor: String
        var correlationID: UUID?
        var causationID: UUID?
        var payload: String
        var hash: String

        func recordedEvent(_ corrupt: (String) -> ImportError) throws -> RecordedEvent {
            guard let stream = try? StreamName(stream) else { throw corrupt("stream \"\(stream)\" is not a stream name") }
            guard let recordedAt = Timestamp(rfc3339: recordedAt), let occurredAt = Timestamp(rfc3339: occurredAt) else {
                throw corrupt("a time is not RFC 3339 with nanoseconds")
            }
            guard let payload = Data(base64Encoded: payload) else { throw corrupt("the payload is not base64") }
            guard let hash = ChainHash(hex: hash) else { throw corrupt("the hash is not 64 hex digits") }
            return RecordedEvent(
                position: position, stream: stream, streamVersion: streamVersion, id: id, type: type,
                schemaVersion: schemaVersion, contentType: contentType, recordedAt: recordedAt, occurredAt: occurredAt,
                actor: actor, correlationID: correlationID, causationID: causationID, payload: Array(payload), hash: hash
            )
        }
    }
}

// MARK: - Binary

struct BinaryExportParser: ExportParser {
    private var buffer: [UInt8] = []
    /// The offset, in the decompressed stream, of `buffer`'s first byte.
    private var bufferOffset = 0
    private var sawMagic = false
    private var sawEnd = false

    var location: String { "byte \(bufferOffset)" }

    mutating func consume(_ bytes: UnsafeRawBufferPointer, _ emit: (ImportItem) -> Void) throws {
        buffer.append(contentsOf: bytes)
        var start = 0
        defer {
            buffer.removeFirst(start)
            bufferOffset += start
        }
        if !sawMagic {
            guard buffer.count >= 12 else { return }
            guard buffer.starts(with: ExportFormat.binaryMagic) else {
                throw ImportError(code: .notAnExport, message: "not a RAPPORTX file", location: "byte 0")
            }
            let version = buffer.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) }
            guard version == ExportFormat.version else {
                throw ImportError(code: .notAnExport, message: "export format version \(version); this build reads \(ExportFormat.version)", location: "byte 8")
            }
            sawMagic = true
            start = 12
        }
        let pending = buffer
        let offset = bufferOffset
        var sawEnd = self.sawEnd
        defer { self.sawEnd = sawEnd }
        try pending.withUnsafeBytes { all in
            while all.count - start >= 5 {
                let here = "byte \(offset + start)"
                func corrupt(_ why: String) -> ImportError { ImportError(code: .corruptInput, message: why, location: here) }
                let length = Int(UInt32(littleEndian: all.loadUnaligned(fromByteOffset: start + 1, as: UInt32.self)))
                guard let kind = ExportFormat.FrameKind(rawValue: all[start]) else { throw corrupt("unknown frame kind \(all[start])") }
                guard length <= ExportFormat.maxFrameBody else { throw corrupt("a frame claims \(length) bytes") }
                guard all.count - start - 5 >= length else { return }
                guard !sawEnd else { throw corrupt("there is more after the end frame") }
                let body = UnsafeRawBufferPointer(rebasing: all[(start + 5)..<(start + 5 + length)])
                try emit(Self.item(kind, body, at: here, corrupt))
                if kind == .end { sawEnd = true }
                start += 5 + length
            }
        }
    }

    mutating func finish() throws {
        guard buffer.isEmpty else {
            throw ImportError(code: .truncatedInput, message: "the file ends in the middle of a frame", location: location)
        }
        guard sawEnd else {
            throw ImportError(code: .truncatedInput, message: "the file ends without its end frame", location: location)
        }
    }

    private static func item(
        _ kind: ExportFormat.FrameKind,
        _ body: UnsafeRawBufferPointer,
        at here: String,
        _ corrupt: (String) -> ImportError
    ) throws -> ImportItem {
        func integer<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            T(littleEndian: body.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        switch kind {
        case .header:
            guard body.count == 49 else { throw corrupt("the header frame has \(body.count) bytes, not 49") }
            return .header(ExportFormat.Header(
                from: integer(0, UInt64.self), through: integer(8, UInt64.self),
                previousHash: ChainHash(bytes: Array(body[16..<48])), carriesUniqueKeys: body[48] & 1 != 0
            ))
        case .event:
            do {
                return .event(try RecordedEvent(storedRecord: body), location: here)
            } catch {
                throw corrupt("the event frame is not a record: \(error.message)")
            }
        case .uniqueKey:
            guard body.count >= 2 else { throw corrupt("the unique-key frame is too short") }
            let keyLength = Int(integer(0, UInt16.self))
            guard body.count > 2 + keyLength,
                let key = try? UniqueKey(String(decoding: body[2..<2 + keyLength], as: UTF8.self)),
                let owner = try? StreamName(String(decoding: body[(2 + keyLength)...], as: UTF8.self))
            else { throw corrupt("the unique-key frame is not a key and a stream") }
            return .uniqueKey(UniqueKeyOwnership(key: key, owner: owner), location: here)
        case .end:
            guard body.count == 48 else { throw corrupt("the end frame has \(body.count) bytes, not 48") }
            return .end(
                ExportFormat.End(events: integer(0, UInt64.self), uniqueKeys: integer(8, UInt64.self), lastHash: ChainHash(bytes: Array(body[16..<48]))),
                location: here
            )
        }
    }
}
