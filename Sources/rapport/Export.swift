import ArgumentParser
import EventStore
import Foundation
import LogArchive

extension Rapport {
    /// Writes the log, or a range of it, to a file that `import` reads back exactly.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the log or a range of it as NDJSON or binary frames, zstd-compressed.",
            discussion: """
                Opens the log read-only and copies one consistent snapshot, so it runs beside the \
                process that appends. Every event keeps its position, recorded time, payload bytes \
                and chain hash: `rapport import` of the file reproduces the same chain. An export of \
                the whole log also carries the unique-key reservations (the dedup table); a range \
                carries none. NDJSON lines are `rapport replay` lines plus "payload" (base64) and \
                "hash". Examples:
                  rapport export --output log.ndjson.zst
                  rapport export --format binary --output log.rpx.zst
                  rapport export --from 1000001 --to 2000000 --output part.ndjson.zst
                  rapport export --uncompressed --output log.ndjson && head -3 log.ndjson
                """
        )

        @OptionGroup var log: LogOptions

        @Option(help: "The file to write; it must not exist yet.")
        var output: String

        @Option(help: "ndjson or binary.")
        var format: ExportFormat.Encoding = .ndjson

        @Option(help: "The first position (default: 1).")
        var from: UInt64 = 1

        @Option(help: "The last position (default: the head).")
        var to: UInt64?

        @Flag(help: "Write plain bytes, without zstd.")
        var uncompressed = false

        @Option(help: "The zstd level, 1 (fastest) to 19 (smallest).")
        var level: Int32 = 3

        func validate() throws {
            if from == 0 { throw ValidationError("--from is a position, counted from 1") }
            if let to, to < from { throw ValidationError("--to \(to) is before --from \(from)") }
            if !(1...19).contains(level) { throw ValidationError("--level must be 1 to 19") }
            if FileManager.default.fileExists(atPath: output) {
                throw ValidationError("--output \(output) exists already; an export never overwrites a file")
            }
        }

        func run() async throws {
            try await reportingArchiveErrors {
                let eventLog = try log.openReadOnly()
                let started = ContinuousClock.now
                let progress = ProgressLine(unit: "events")
                let summary: ExportSummary
                do {
                    summary = try LogExporter(format: format).export(
                        eventLog,
                        from: from,
                        through: to ?? .max,
                        to: ExportSink(path: output, compressionLevel: uncompressed ? nil : level)
                    ) { progress.update($0.eventsWritten, total: $0.eventsTotal) }
                    progress.finish()
                } catch {
                    await eventLog.close()
                    try? FileManager.default.removeItem(atPath: output)
                    throw error
                }
                await eventLog.close()
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                let rate = seconds > 0 ? Int(Double(summary.events) / seconds) : 0
                print(
                    "exported \(summary.events) events (positions \(summary.from)–\(summary.through)) and "
                        + "\(summary.uniqueKeys) unique keys to \(output): \(summary.fileBytes) bytes, \(rate) events/s"
                )
            }
        }
    }
}
