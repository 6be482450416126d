import Foundation
import SystemPackage

/// One open file for a backup's streaming reads and writes, closed exactly once.
///
/// Plain POSIX calls with one reusable buffer, so memory stays flat whatever the file's size.
struct BackupFile: ~Copyable {
    let descriptor: Int32
    let path: String

    /// Opens an existing file for reading.
    init(reading path: String) throws(BackupError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure("cannot open", path) }
        self.descriptor = descriptor
        self.path = path
    }

    /// Creates a new file for writing; an existing file is an error.
    init(creating path: String, mode: mode_t = 0o644) throws(BackupError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Self.failure("cannot create", path) }
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// Reads up to `buffer.count` bytes; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(BackupError) -> Int {
        do {
            return try FileDescriptor(rawValue: descriptor).read(into: buffer)
        } catch {
            throw Self.failure("cannot read", path, error)
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(BackupError) {
        do {
            try FileDescriptor(rawValue: descriptor).writeAll(bytes)
        } catch {
            throw Self.failure("cannot write", path, error)
        }
    }

    /// Flushes the file to disk.
    func sync() throws(BackupError) {
        guard fsync(descriptor) == 0 else { throw Self.failure("cannot sync", path) }
    }

    /// Creates `path` holding `bytes`, synced to disk. A write that fails (a full disk) removes
    /// the file, so no half-written file is left to pass for a whole one or to block a retry.
    static func create(_ path: String, holding bytes: [UInt8], mode: mode_t = 0o644) throws(BackupError) {
        let file = try BackupFile(creating: path, mode: mode)
        var failure: BackupError?
        bytes.withUnsafeBytes { buffer in
            do throws(BackupError) {
                try file.write(buffer)
                try file.sync()
            } catch {
                failure = error
            }
        }
        if let failure {
            unlink(path)
            throw failure
        }
    }

    static func failure(_ action: String, _ path: String) -> BackupError {
        BackupError(.io, "\(action) \(path): \(String(cString: strerror(errno)))", path: path)
    }

    /// The failure a file operation of swift-system threw (its `Errno` reads as the system's
    /// reason).
    static func failure(_ action: String, _ path: String, _ error: any Error) -> BackupError {
        BackupError(.io, "\(action) \(path): \(error)", path: path)
    }
}
