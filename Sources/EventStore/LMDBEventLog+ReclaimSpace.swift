import Foundation
import LMDB

/// The log's file size before and after ``LMDBEventLog/reclaimSpace(in:)``.
public struct ReclaimedSpace: Sendable, Hashable {
    /// Bytes of `data.mdb` before.
    public var bytesBefore: Int
    /// Bytes of `data.mdb` after.
    public var bytesAfter: Int
}

extension LMDBEventLog {
    /// Rewrites the log's file without its free pages and swaps it in, so the space sealed
    /// records left behind goes back to the disk.
    ///
    /// LMDB never shrinks its file: pages freed by compaction are only reused by later writes.
    /// This writes LMDB's compacting copy beside the log, syncs it and renames it over
    /// `data.mdb`. The swap needs the log to itself, since a process with the old file mapped
    /// would keep reading it: the writer lock keeps writers out, and LMDB's lock file shows
    /// any other process that has the log open, in which case nothing changes. This process
    /// must not have the log open either.
    ///
    /// - Throws: `EventStoreError` `.writerLocked` or `.logInUse` when another process has the
    ///   log open, `.logNotFound`, or `.storage` when the copy cannot be written (the log is
    ///   then left as it was).
    public static func reclaimSpace(in directory: String) throws(EventStoreError) -> ReclaimedSpace {
        let writerLock = try WriterLock(directory: directory)
        defer { writerLock.release() }
        let data = directory + "/" + LogStorage.dataFileName
        let staging = directory + "/.reclaim-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let before = fileSize(data)
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
            let storage = try LogStorage.open(directory: directory, readOnly: true, options: Environment.Options())
            defer { storage.environment.close() }
            try storage.environment.copy(to: staging, compact: true)
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw wrap(error, while: "writing a compacted copy of the log into \(staging)")
        }
        let copy = staging + "/" + LogStorage.dataFileName
        let exclusive = try LockTableClaim(directory: directory)
        try syncFile(copy)
        guard rename(copy, data) == 0 else {
            throw EventStoreError(.storage, "cannot rename \(copy) to \(data): \(String(cString: strerror(errno)))")
        }
        try syncFile(directory)
        // Opening the log while the claim is held makes this process LMDB's first opener, so
        // it rebuilds the lock table from the new file before anyone else reads it.
        (try? LogStorage.open(directory: directory, readOnly: true, options: Environment.Options()))?.environment
            .close()
        exclusive.release()
        return ReclaimedSpace(bytesBefore: before, bytesAfter: fileSize(data))
    }

    private static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    private static func syncFile(_ path: String) throws(EventStoreError) {
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        defer { if descriptor >= 0 { Foundation.close(descriptor) } }
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            throw EventStoreError(.storage, "cannot sync \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// An exclusive lock on the byte of LMDB's `lock.mdb` that every process with the
/// environment open holds shared: taking it proves no other process has the log open, and
/// holding it makes a process that opens the log meanwhile wait.
///
/// POSIX record locks belong to the process, and closing any descriptor of the file drops
/// them all; that is why the claim is taken only while this process has no environment open.
private struct LockTableClaim: ~Copyable {
    private let descriptor: Int32

    init(directory: String) throws(EventStoreError) {
        let path = directory + "/lock.mdb"
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw EventStoreError(.storage, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 1
        guard fcntl(descriptor, F_SETLK, &lock) == 0 else {
            close(descriptor)
            throw EventStoreError(
                .logInUse,
                "another process has the log at \(directory) open; stop it to reclaim the space (the sealed events are safe)"
            )
        }
        self.descriptor = descriptor
    }

    consuming func release() {
        close(descriptor)
        discard self
    }

    deinit {
        close(descriptor)
    }
}
