import ArgumentParser
import EventStore
import Foundation
import LogArchive

extension Rapport {
    /// Appends an export's events to a log exactly as they were recorded.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Append an export (NDJSON or binary, zstd or plain) exactly as recorded: same positions, same chain.",
            discussion: """
                The log (created when absent) must be empty or end where the export starts, with \
                the chain hash the export names; events the log already holds up to its head are \
                checked and skipped, so an interrupted import is resumed by running it again. \
                Events go in batches of --batch-size, one transaction each. A damaged or cut file \
                stops the import with the line (NDJSON) or byte offset (binary, of the decompressed \
                stream), exit status 65, and nothing from the batch holding the damage appended; the \
                batches before it stay. A log that does not match exits 2. Examples:
                  rapport import --data-dir /var/lib/rapport-copy --input log.ndjson.zst
                  rapport import --data-dir copy --input log.rpx.zst --batch-size 50000
                """
        )

        @OptionGroup var log: LogOptions

        @Option(help: "The export file to read.")
        var input: String

        @Option(name: .customLong("batch-size"), help: "Events per transaction.")
        var batchSize = LogImporter.defaultBatchSize

        func validate() throws {
            guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
            guard FileManager.default.fileExists(atPath: input) else {
                throw ValidationError("--input \(input) does not exist")
            }
        }

        func run() async throws {
            try await reportingArchiveErrors {
                var reader = try ImportReader(path: input)
                var options = LMDBEventLog.Options()
                // A commit per batch reaches the disk without a metadata fsync; the last one is
                // synced before the import reports success.
                options.durability = .relaxed
                let eventLog = try LMDBEventLog(directory: log.directory, options: options)
                let started = ContinuousClock.now
                var importer = try LogImporter(log: eventLog, batchSize: batchSize)
                do {
                    let progress = ProgressLine(unit: "MiB", total: reader.fileBytes >> 20)
                    while let items = try reader.next() {
                        for item in items { try await importer.take(item) }
                        progress.update(reader.fileOffset >> 20, detail: "\(importer.imported) events")
                    }
                    progress.finish()
                    try await importer.finish()
                    try eventLog.sync()
                } catch {
                    // A batch already in flight lies wholly before the damage: it stays.
                    try? await importer.settle()
                    await eventLog.close()
                    if importer.imported > 0 {
                        FileHandle.standardError.write(
                            Data("rapport: imported through position \(importer.head.position) before stopping\n".utf8)
                        )
                    }
                    throw error
                }
                await eventLog.close()
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                let rate = seconds > 0 ? Int(Double(importer.imported) / seconds) : 0
                print(
                    "imported \(importer.imported) events (\(importer.skipped) already in the log) and \(importer.keys) unique keys: "
                        + "head \(importer.head.position) \(importer.head.hash), \(rate) events/s"
                )
            }
        }
    }
}

/// ``reportingErrors``, and an import's or export's own failures: a damaged file exits 65
/// (EX_DATAERR), a log that does not match or a file that cannot be written exits 2.
func reportingArchiveErrors(_ body: () async throws -> Void) async throws {
    do {
        try await reportingErrors(body)
    } catch let error as ImportError {
        FileHandle.standardError.write(Data("rapport: import stopped: \(error)\n".utf8))
        throw ExitCode(error.code == .logMismatch ? 2 : 65)
    } catch let error as ExportFileError {
        FileHandle.standardError.write(Data("rapport: \(error)\n".utf8))
        throw ExitCode(2)
    }
}
