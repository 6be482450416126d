public import EventStore
import Foundation
import Zstd

/// What an export file holds, item by item, with where each item starts.
public enum ImportItem: Sendable {
    /// The header: always the first item.
    case header(ExportFormat.Header)
    /// An event, exactly as recorded, with its chain hash.
    case event(RecordedEvent, location: ImportLocation)
    /// An entry of the unique-key table.
    case uniqueKey(UniqueKeyOwnership, location: ImportLocation)
    /// The end: the last item of a complete file.
    case end(ExportFormat.End, location: ImportLocation)
}

/// Reads an export file chunk by chunk, through zstd when it is compressed, and parses it.
///
/// It checks what one item can tell (a line against its own rendering, a frame against the
/// record format, the file's end); ``LogImporter`` checks how the items fit together.
public struct ImportReader {
    private let handle: FileHandle
    private let decompressor: ZstdStreamDecompressor?
    private var parser: any ExportParser
    /// Bytes of the file read so far.
    public private(set) var fileOffset = 0
    /// The file's size.
    public let fileBytes: Int

    /// Opens the export at `path` and tells its encoding from its first bytes.
    ///
    /// - Throws: ``ImportError`` `.notAnExport` when the file cannot be opened or is neither
    ///   zstd, NDJSON nor `RAPPORTX`.
    public init(path: String) throws {
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
            throw ImportError(
                code: .notAnExport,
                message: "\(path) is not a Rapport export (neither zstd, NDJSON nor RAPPORTX)"
            )
        }
    }

    /// The items of the next chunk of the file; `nil` at the end, once the file was found
    /// complete.
    ///
    /// - Throws: ``ImportError`` with the line or byte where the file is damaged
    ///   (`.corruptInput`), ends early (`.truncatedInput`), or is not an export.
    public mutating func next() throws -> [ImportItem]? {
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
