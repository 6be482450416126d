import Foundation
import SystemPackage
import Zstd

/// Where an export's bytes go: a file, through zstd unless uncompressed, in large writes.
///
/// Plain POSIX calls, so a full disk or a file-size limit surfaces as an error naming the file
/// and the system's reason, never as a Foundation exception.
public final class ExportSink {
    private let path: String
    private let descriptor: Int32
    private var isClosed = false
    private let compressor: ZstdStreamCompressor?
    private var buffer: [UInt8] = []
    /// Bytes written to the file so far.
    public private(set) var fileBytes = 0

    /// Creates the file at `path`, which must not exist.
    ///
    /// - Parameters:
    ///   - compressionLevel: the zstd level (1 to 19), or `nil` for plain bytes.
    /// - Throws: ``ExportFileError`` `.cannotCreateFile`, or a `ZstdError` when the compressor cannot be set up.
    public init(path: String, compressionLevel: Int32?) throws {
        compressor = try compressionLevel.map { try ZstdStreamCompressor(level: $0) }
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ExportFileError.system(.cannotCreateFile, "cannot create", path) }
        buffer.reserveCapacity(1 << 20 + 65_536)
    }

    deinit {
        if !isClosed { close(descriptor) }
    }

    /// Appends bytes, writing them out once a megabyte has gathered.
    public func write(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= 1 << 20 { try drain() }
    }

    /// Writes everything out, ends the zstd frame, and syncs and closes the file.
    ///
    /// - Throws: ``ExportFileError`` `.cannotWriteFile`.
    public func finish() throws {
        try drain()
        if let compressor {
            try compressor.compress(UnsafeRawBufferPointer(start: nil, count: 0), isLast: true) { try emit($0) }
        }
        guard fsync(descriptor) == 0 else { throw ExportFileError.system(.cannotWriteFile, "cannot write", path) }
        isClosed = true
        guard close(descriptor) == 0 else { throw ExportFileError.system(.cannotWriteFile, "cannot write", path) }
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

    private func emit(_ bytes: UnsafeRawBufferPointer) throws(ExportFileError) {
        do {
            try FileDescriptor(rawValue: descriptor).writeAll(bytes)
        } catch {
            throw ExportFileError(.cannotWriteFile, "cannot write \(path): \(error)")
        }
        fileBytes += bytes.count
    }
}
