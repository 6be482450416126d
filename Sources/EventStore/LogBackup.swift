import Foundation
import LMDB
import Zstd

/// What a backup file records about the log inside it: its first line after the magic line.
///
/// A backup file is the line `rapport-backup v1`, this header as one line of JSON, and one
/// zstd frame (with a content checksum) of a compacted copy of the log's `data.mdb`.
public struct BackupHeader: Codable, Sendable, Hashable {
    /// The backup's last position.
    public var headPosition: UInt64
    /// The chain hash at `headPosition`, 64 lowercase hex digits.
    public var headHash: String
    /// Bytes of the decompressed `data.mdb`.
    public var dataBytes: UInt64
    /// When the backup was made, ISO 8601 in UTC.
    public var createdAt: String
    /// The backup format version; 1.
    public var version: Int
}

/// How far a backup or a restore has come, reported from the thread doing the work.
public struct BackupProgress: Sendable {
    /// The step under way.
    public enum Phase: String, Sendable {
        /// LMDB's compacting copy of the live log (no counts: LMDB reports none).
        case copying
        /// Compressing the copy into the backup file (bytes of the copy).
        case compressing
        /// Decompressing the backup (bytes of the log).
        case decompressing
        /// Walking the restored log's hash chain (events).
        case verifying
    }

    /// The step.
    public var phase: Phase
    /// Bytes or events done.
    public var done: UInt64
    /// Bytes or events in all; 0 when unknown.
    public var total: UInt64
}

/// Consistent, compressed copies of a log, made while it is written, and their restoration.
public enum LogBackup {
    /// The first line of every backup file.
    static let magicLine = Array("rapport-backup v1\n".utf8)
    static let chunkSize = 1 << 20

    /// Copies the log in `logDirectory` into the backup file `file`, while another process may
    /// append to it.
    ///
    /// LMDB copies one committed snapshot, leaving out free pages, into a temporary directory
    /// beside `file`; the copy's head is read, then the copy is compressed into `file.partial`
    /// with a fixed-size buffer, synced, and renamed to `file`. Nothing is left behind on failure.
    ///
    /// - Returns: the header written, naming the backup's head.
    /// - Throws: `EventStoreError` when `logDirectory` holds no log; `BackupError`
    ///   `.backupExists` when `file` exists, `.io` when a file cannot be written.
    public static func create(
        from logDirectory: String,
        to file: String,
        progress: (@Sendable (BackupProgress) -> Void)? = nil
    ) async throws -> BackupHeader {
        guard !FileManager.default.fileExists(atPath: file) else {
            throw BackupError(.backupExists, "\(file) exists; a backup never overwrites a file", path: file)
        }
        var options = LMDBEventLog.Options()
        options.readOnly = true
        let source = try LMDBEventLog(directory: logDirectory, options: options)
        let staging = temporaryPath(beside: file, purpose: "backup")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
            progress?(BackupProgress(phase: .copying, done: 0, total: 0))
            try await onOwnThread { try copyCompacted(source, to: staging) }
            await source.close()
        } catch {
            await source.close()
            if error is BackupError || error is EventStoreError { throw error }
            throw BackupError(
                .io,
                "cannot copy the log for \(file) into \(staging): \(error.systemReason)",
                path: staging
            )
        }
        let copy = try LMDBEventLog(directory: staging, options: options)
        let head: LogHead
        do {
            head = try copy.head()
            await copy.close()
        } catch {
            await copy.close()
            throw error
        }
        let data = staging + "/" + LogStorage.dataFileName
        let dataBytes = (try? FileManager.default.attributesOfItem(atPath: data)[.size] as? UInt64) ?? 0
        let header = BackupHeader(
            headPosition: head.position,
            headHash: head.hash.hex,
            dataBytes: dataBytes,
            createdAt: Date().formatted(.iso8601),
            version: 1
        )
        let partial = file + ".partial"
        do {
            try await onOwnThread { try compress(data, header: header, to: partial, progress: progress) }
            guard rename(partial, file) == 0 else { throw BackupFile.failure("cannot rename \(partial) to", file) }
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        return header
    }

    /// Restores the backup `file` into `directory`, which must be absent or empty.
    ///
    /// The log is decompressed into a temporary directory beside `directory`, its chain walked
    /// from the first event, and its head compared with the header; only a log that passes is
    /// renamed into place. A backup that fails leaves `directory` as it was.
    ///
    /// - Returns: the backup's header.
    /// - Throws: `BackupError`: `.targetNotEmpty`; `.notABackup`, `.unsupportedFormat`,
    ///   `.corruptBackup`, `.chainBroken` or `.headMismatch` for a backup that does not verify
    ///   (``BackupError/backupIsBad``); `.io`.
    public static func restore(
        from file: String,
        to directory: String,
        progress: (@Sendable (BackupProgress) -> Void)? = nil
    ) async throws -> BackupHeader {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: directory, isDirectory: &isDirectory) {
            let contents = isDirectory.boolValue ? (try? files.contentsOfDirectory(atPath: directory)) : nil
            guard let contents, contents.isEmpty else {
                throw BackupError(
                    .targetNotEmpty,
                    "\(directory) is not an empty directory; restore only into a new one",
                    path: directory
                )
            }
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty { try? files.createDirectory(atPath: parent, withIntermediateDirectories: true) }
        let staging = temporaryPath(beside: directory, purpose: "restore")
        defer { try? files.removeItem(atPath: staging) }
        do {
            try files.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw BackupError(
                .io,
                "cannot restore into \(directory): cannot create \(staging): \(error.systemReason)",
                path: staging
            )
        }
        let header = try await onOwnThread {
            try decompress(file, to: staging + "/" + LogStorage.dataFileName, progress: progress)
        }
        var options = LMDBEventLog.Options()
        options.readOnly = true
        let log: LMDBEventLog
        do {
            log = try LMDBEventLog(directory: staging, options: options)
        } catch {
            throw BackupError(.corruptBackup, "\(file) does not hold a Rapport log: \(error.message)", path: file)
        }
        let verification: ChainVerification
        do {
            verification = try await onOwnThread {
                try log.verify { scan in
                    progress?(BackupProgress(phase: .verifying, done: scan.done, total: scan.total))
                }
            }
            await log.close()
        } catch {
            await log.close()
            throw BackupError(.corruptBackup, "the log in \(file) cannot be read: \(error)", path: file)
        }
        if let problem = verification.problem {
            throw BackupError(.chainBroken, "the log in \(file) does not verify: \(problem)", path: file)
        }
        let head = verification.verifiedHead
        guard head.position == header.headPosition, head.hash.hex == header.headHash else {
            throw BackupError(
                .headMismatch,
                "the log in \(file) ends at \(head.position) \(head.hash.hex), the header says \(header.headPosition) \(header.headHash)",
                path: file
            )
        }
        try? files.removeItem(atPath: staging + "/lock.mdb")
        // Replaces an empty directory; anything else was refused above.
        guard rename(staging, directory) == 0 else {
            throw BackupFile.failure("cannot rename \(staging) to", directory)
        }
        return header
    }

    /// Reads the header of a backup file without decompressing it.
    ///
    /// - Throws: `BackupError` `.notABackup`, `.unsupportedFormat` or `.io`.
    public static func header(of file: String) throws(BackupError) -> BackupHeader {
        let input = try BackupFile(reading: file)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        return try readHeader(input, buffer: buffer).0
    }

    // MARK: - Steps

    /// LMDB's compacting copy, adopting a map the writer grew since the log was opened.
    private static func copyCompacted(_ log: LMDBEventLog, to directory: String) throws {
        var attempts = 0
        while true {
            do {
                try log.storage.environment.copy(to: directory, compact: true)
                return
            } catch let error as LMDBError where error == .mapResized && attempts < 5 {
                attempts += 1
                // A read transaction adopts the grown map; the copy then starts again.
                _ = try log.head()
                try? FileManager.default.removeItem(atPath: directory + "/" + LogStorage.dataFileName)
            }
        }
    }

    private static func compress(
        _ data: String,
        header: BackupHeader,
        to file: String,
        progress: (@Sendable (BackupProgress) -> Void)?
    ) throws {
        let input = try BackupFile(reading: data)
        let output = try BackupFile(creating: file)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let headerLine = magicLine + Array(try encoder.encode(header)) + [UInt8(ascii: "\n")]
        try headerLine.withUnsafeBytes { try output.write($0) }
        let compressor = try ZstdStreamCompressor(level: 3, workers: 1)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var done: UInt64 = 0
        while true {
            let count = try input.read(into: buffer)
            done += UInt64(count)
            if done & (64 << 20 - 1) == 0 || count == 0 {
                progress?(BackupProgress(phase: .compressing, done: done, total: header.dataBytes))
            }
            try compressor.compress(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), isLast: count == 0) { piece in
                try output.write(piece)
            }
            if count == 0 { break }
        }
        try output.sync()
    }

    private static func decompress(
        _ file: String,
        to data: String,
        progress: (@Sendable (BackupProgress) -> Void)?
    ) throws -> BackupHeader {
        let input = try BackupFile(reading: file)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        let (header, start, end) = try readHeader(input, buffer: buffer)
        let output = try BackupFile(creating: data)
        let decompressor = try ZstdStreamDecompressor()
        var written: UInt64 = 0
        var pending = start..<end
        func corrupt(_ detail: String) -> BackupError {
            BackupError(.corruptBackup, "\(file) is damaged: \(detail)", path: file)
        }
        while true {
            if pending.isEmpty {
                let count = try input.read(into: buffer)
                if count == 0 { break }
                pending = 0..<count
            }
            let used: Int
            do {
                used = try decompressor.decompress(UnsafeRawBufferPointer(rebasing: buffer[pending])) { piece in
                    written += UInt64(piece.count)
                    guard written <= header.dataBytes else {
                        throw corrupt("it holds more than the \(header.dataBytes) bytes its header records")
                    }
                    try output.write(piece)
                }
            } catch let error as ZstdError {
                throw corrupt("\(error)")
            }
            if decompressor.isFinished, used < pending.count {
                throw corrupt("bytes follow the end of the compressed data")
            }
            pending = pending.endIndex..<pending.endIndex
            progress?(BackupProgress(phase: .decompressing, done: written, total: header.dataBytes))
        }
        guard decompressor.isFinished else { throw corrupt("truncated: the compressed data ends early") }
        guard written == header.dataBytes else {
            throw corrupt("it holds \(written) bytes, its header records \(header.dataBytes)")
        }
        try output.sync()
        return header
    }

    /// Reads the magic line and the header line into `buffer`.
    ///
    /// - Returns: the header, and the range of `buffer` read past it (the start of the data).
    private static func readHeader(
        _ input: borrowing BackupFile,
        buffer: UnsafeMutableRawBufferPointer
    ) throws(BackupError) -> (BackupHeader, Int, Int) {
        var filled = 0
        var headerEnd: Int?
        let limit = min(buffer.count, 64 << 10)
        while headerEnd == nil && filled < limit {
            let count = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<limit]))
            if count == 0 { break }
            filled += count
            if filled > magicLine.count {
                headerEnd = buffer[magicLine.count..<filled].firstIndex(of: UInt8(ascii: "\n"))
            }
        }
        let path = input.path
        guard filled >= magicLine.count, buffer[0..<magicLine.count].elementsEqual(magicLine) else {
            let family = Array("rapport-backup v".utf8)
            if filled >= family.count, buffer[0..<family.count].elementsEqual(family) {
                throw BackupError(
                    .unsupportedFormat,
                    "\(path) is a backup of a format this build does not read",
                    path: path
                )
            }
            throw BackupError(.notABackup, "\(path) is not a Rapport backup", path: path)
        }
        guard let headerEnd,
            let header = try? JSONDecoder().decode(BackupHeader.self, from: Data(buffer[magicLine.count..<headerEnd])),
            ChainHash(hex: header.headHash) != nil
        else {
            throw BackupError(.notABackup, "\(path) has a damaged backup header", path: path)
        }
        return (header, headerEnd + 1, filled)
    }

    static func temporaryPath(beside path: String, purpose: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).\(purpose)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Runs blocking file work on a thread of its own, off the cooperative pool.
    private static func onOwnThread<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
