import EventStore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A log in a fresh directory of its own, deleted when the benchmark is done.
///
/// The directory is under `RAPPORT_BENCHMARK_DIR` when set, else under the system's temporary
/// directory. It must be on a real disk: on a tmpfs an fsync costs nothing and the durable
/// figures mean nothing. Before a durable log is opened, the OS's dirty pages are flushed, so
/// write-back left by an earlier benchmark (the pre-filled logs are written without fsync)
/// does not slow this one's fsyncs.
final class TemporaryLog: Sendable {
    let directory: String
    let log: LMDBEventLog

    init(_ name: String, durability: LMDBEventLog.Durability, groupCommitWindow: Duration = .microseconds(250)) throws {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["RAPPORT_BENCHMARK_DIR"] ?? FileManager.default.temporaryDirectory.path
        directory = "\(base)/rapport-benchmark-\(name)-\(UUID().uuidString)"
        if durability != .none { sync() }
        var options = LMDBEventLog.Options()
        options.durability = durability
        options.groupCommitWindow = groupCommitWindow
        // Big enough for the pre-filled logs, so the map never grows while being measured.
        options.initialMapSize = 4 << 30
        log = try LMDBEventLog(directory: directory, options: options)
    }

    /// Closes the log and deletes its directory.
    func remove() async {
        await log.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
