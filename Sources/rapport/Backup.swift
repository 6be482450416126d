import ArgumentParser
import EventStore
import Foundation
import Synchronization

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
                  rapport backup --to nightly.backup
                  rapport backup --data-dir /srv/rapport --to nightly.backup --json
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
                let lines = BackupProgressLines()
                let header = try await LogBackup.create(from: log.directory, to: to, progress: lines.report)
                lines.finish()
                let bytes = (try? FileManager.default.attributesOfItem(atPath: to)[.size] as? UInt64) ?? 0
                print(
                    describeBackup(header, file: to, fileBytes: bytes, took: ContinuousClock.now - started, json: json)
                )
            }
        }
    }
}

/// A backup's head and sizes, as a line for people or JSON for programs.
func describeBackup(_ header: BackupHeader, file: String, fileBytes: UInt64, took: Duration, json: Bool) -> String {
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

/// Progress of a backup or restore on standard error, one ``ProgressLine`` per phase, fed from
/// the thread doing the work.
final class BackupProgressLines: Sendable {
    private let current = Mutex<(phase: BackupProgress.Phase?, line: ProgressLine?)>((nil, nil))

    func report(_ progress: BackupProgress) {
        current.withLock { state in
            if state.phase != progress.phase {
                state.line?.finish()
                state.phase = progress.phase
                state.line =
                    progress.total > 0
                    ? ProgressLine(unit: Self.unit(progress.phase), total: Self.scaled(progress.total, progress.phase))
                    : nil
                if progress.phase == .copying {
                    FileHandle.standardError.write(Data("copying the log (LMDB compacting copy)…\n".utf8))
                }
            }
            state.line?.update(Self.scaled(progress.done, progress.phase), detail: progress.phase.rawValue)
        }
    }

    func finish() {
        current.withLock { state in state.line?.finish() }
    }

    private static func unit(_ phase: BackupProgress.Phase) -> String { phase == .verifying ? "events" : "MiB" }

    private static func scaled(_ count: UInt64, _ phase: BackupProgress.Phase) -> Int {
        Int(phase == .verifying ? count : count >> 20)
    }
}
