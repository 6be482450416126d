import ArgumentParser
import EventStore
import Foundation

extension Rapport {
    /// Restores a backup into a new data directory.
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a backup into a new data directory, only if its chain verifies up to the recorded head.",
            discussion: """
                Refuses a target that is not absent or empty. Decompresses into a temporary directory \
                beside the target, walks the hash chain, checks the head against the backup's header, \
                and only then renames it into place: a backup that does not verify exits 1 and leaves \
                the target untouched. Examples:
                  rapport restore --from nightly.backup --data-dir /srv/rapport-new
                  rapport restore --from nightly.backup --data-dir ./restored --json
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
                let lines = BackupProgressLines()
                let header = try await LogBackup.restore(from: from, to: dataDirectory, progress: lines.report)
                lines.finish()
                print(
                    describeBackup(
                        header,
                        file: dataDirectory,
                        fileBytes: header.dataBytes,
                        took: ContinuousClock.now - started,
                        json: json
                    )
                )
            }
        }
    }
}
