import Foundation
import Zstd

/// Where an export's bytes go: a file, through zstd unless uncompressed, in large writes.
public final class ExportSink {
    private let handle: FileHandle
    private let compressor: ZstdStreamCompressor?
    private var buffer: [UInt8] = []
    /// Bytes written to the file so far.
    public private(set) var fileBytes = 0

    /// Creates the file at `path`, emptying one that exists.
    ///
    /// - Parameters:
    ///   - compressionLevel: the zstd level (1 to 19), or `nil` for plain bytes.
    /// - Throws: ``ExportFileError`` `.cannotCreateFile`, or a `ZstdError` when the compressor cannot be set up.
    public init(path: String, compressionLevel: Int32?) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ExportFileError(.cannotCreateFile, "cannot create \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        compressor = try compressionLevel.map { try ZstdStreamCompressor(level: $0) }
        buffer.reserveCapacity(1 << 20 + 65_536)
    }

    /// Appends bytes, writing them out once a megabyte has gathered.
    public func write(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= 1 << 20 { try drain() }
    }

    /// Writes everything out, ends the zstd frame, and syncs the file.
    public func finish() throws {
        try drain()
        if let compressor { try compressor.compress(UnsafeRawBufferPointer(start: nil, count: 0), isLast: true) { try emit($0) } }
        try handle.synchronize()
        try handle.close()
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

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        try handle.write(contentsOf: Data(bytes))
        fileBytes += bytes.count
    }
}
