import ArgumentParser
import EventStore
import Foundation

extension Rapport {
    /// Writes a compressed, consistent copy of a log.
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent, compacted, zstd-compressed copy of the log, even while it is written.",
            discussion: """
                Opens the log read-only and copies one committed snapshot (LMDB's compacting copy) into \
                a temporary directory beside FILE, then compresses it into FILE with its head position \
                and chain hash in a header. Needs free space beside FILE for the uncompressed copy. \
                Never overwrites FILE. It holds the log only: read models are rebuilt from it by `rapport project`. Examples:
                  rapport backup --to rapport-2026-11-24.backup
                  rapport backup --data-dir /var/lib/rapport --to /backups/rapport.backup --json
                """
        )

        @OptionGroup var log: LogOptions

        @Option(help: "The backup file to create.")
        var to: String

        @Flag(help: "Print the backup's header as JSON.")
        var json = false

        func run() async throws {
            try await reportingOperatorErrors {
                let started = ContinuousClock.now
                let header = try await LogBackup.create(from: log.directory, to: to)
                let bytes = (try? FileManager.default.attributesOfItem(atPath: to)[.size] as? UInt64) ?? 0
                print(describe(header, file: to, fileBytes: bytes, took: ContinuousClock.now - started, json: json))
            }
        }
    }

    /// Restores a backup into a new data directory.
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a backup into a new data directory, only if its chain verifies up to the recorded head.",
            discussion: """
                Refuses a target that is not absent or empty. Decompresses into a temporary directory \
                beside the target, walks the hash chain, checks the head against the backup's header, \
                and only then renames it into place: a backup that does not verify exits 1 and leaves \
                the target untouched. Examples:
                  rapport restore --from rapport-2026-11-24.backup --data-dir /var/lib/rapport-restored
                  rapport restore --from /backups/rapport.backup --data-dir ./rapport-data --json
                """
        )

        @Option(help: "The backup file to restore.")
        var from: String

        @Option(name: .customLong("data-dir"), help: "The new log directory: absent or empty.")
        var dataDirectory: String

        @Flag(help: "Print the restored head as JSON.")
        var json = false

        func run() async throws {
            try await reportingOperatorErrors {
                let started = ContinuousClock.now
                let header = try await LogBackup.restore(from: from, to: dataDirectory)
                print(describe(header, file: dataDirectory, fileBytes: header.dataBytes, took: ContinuousClock.now - started, json: json))
            }
        }
    }
}

/// A backup's head and sizes, as a line for people or JSON for programs.
private func describe(_ header: BackupHeader, file: String, fileBytes: UInt64, took: Duration, json: Bool) -> String {
    let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
    if json {
        let object: [String: Any] = [
            "headPosition": header.headPosition, "headHash": header.headHash, "dataBytes": header.dataBytes,
            "fileBytes": fileBytes, "createdAt": header.createdAt, "path": file, "seconds": seconds,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
    return "ok: \(file): head \(header.headPosition) \(header.headHash), \(header.dataBytes) bytes of log, "
        + "\(fileBytes) bytes written, \(String(format: "%.1f", seconds)) s"
}
