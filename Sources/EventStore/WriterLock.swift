import Foundation
import Synchronization

/// An exclusive `flock` on `writer.lock` in a directory: one writing process per log, and one
/// per read-model store.
///
/// Readers (replay, verify, backup, queries) don't take it. The kernel drops the lock when the
/// process dies, so a crashed writer never leaves the directory locked.
public final class WriterLock: Sendable {
    /// The lock file's name in the directory.
    public static let fileName = "writer.lock"
    private let descriptor: Mutex<Int32?>

    /// Takes the lock on `directory`.
    ///
    /// - Throws: `.writerLocked` when another process (or another open in this one) holds it.
    public init(directory: String) throws(EventStoreError) {
        let path = directory + "/" + Self.fileName
        let descriptor = Foundation.open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw EventStoreError(.storage, "cannot open \(path) to lock the log for writing: \(reason)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            Foundation.close(descriptor)
            throw EventStoreError(
                .writerLocked,
                "another process is writing to the log at \(directory); open it read-only, or stop that process"
            )
        }
        self.descriptor = Mutex(descriptor)
    }

    /// Lets another process write; safe to call more than once.
    public func release() {
        guard let descriptor = descriptor.withLock({ $0.take() }) else { return }
        flock(descriptor, LOCK_UN)
        Foundation.close(descriptor)
    }

    deinit {
        release()
    }
}
