import ArgumentParser
import EventStore
import Foundation

extension Rapport {
    struct Compact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seal the cold part of the log into zstd chunks and give the freed space back to the disk.",
            discussion: """
                Records up to the hot tail move into compressed chunks (a dictionary is trained on \
                them and stored in the log); reads return the same events and the chain is \
                unchanged. Each run writes a manifest that `rapport verify` checks. The file is then \
                rewritten without its free pages, which needs the log to itself: stop `serve` and \
                followers first (sealing alone works beside readers; use --no-reclaim).
                Examples:
                  rapport compact
                  rapport compact --keep-hot 100000
                  rapport compact --through 500000 --json
                """
        )

        @OptionGroup var log: LogOptions

        @Option(name: .customLong("keep-hot"), help: "Events at the head left uncompressed.")
        var keepHot: UInt64 = 65_536

        @Option(help: "The last position to seal (default: all but the hot tail).")
        var through: UInt64?

        @Option(name: .customLong("chunk-events"), help: "Records per compressed chunk.")
        var chunkEvents = 256

        @Option(help: "The zstd level, 1 (fastest) to 19 (smallest).")
        var level: Int32 = CompactionOptions().level

        @Flag(name: .customLong("no-reclaim"), help: "Seal only; leave the file's size as it is.")
        var noReclaim = false

        @Flag(help: "Print the report as JSON.")
        var json = false

        /// For crash tests: the process kills itself with SIGKILL at the first commit that seals
        /// this many events, as a power cut between two commits would stop it.
        @Option(name: .customLong("crash-after-events"), help: .hidden)
        var crashAfterEvents: UInt64?

        func validate() throws {
            guard (1...65_536).contains(chunkEvents) else { throw ValidationError("--chunk-events must be 1 to 65536") }
            guard (1...19).contains(level) else { throw ValidationError("--level must be 1 to 19") }
        }

        func run() async throws {
            try await reportingErrors {
                let eventLog = try await log.openExistingForWriting()
                let before = try eventLog.statistics()
                var options = CompactionOptions()
                options.keepHot = keepHot
                options.through = through
                options.chunkEvents = chunkEvents
                options.level = level
                let progress = ProgressLine(unit: "events")
                let manifest: CompactionManifest?
                do {
                    manifest = try eventLog.compact(options) {
                        progress.update(Int($0.done), total: Int($0.total))
                        if let crashAfterEvents, $0.done >= crashAfterEvents { kill(getpid(), SIGKILL) }
                    }
                    progress.finish()
                    await eventLog.close()
                } catch {
                    progress.finish()
                    await eventLog.close()
                    throw error
                }
                let reclaimed = noReclaim ? nil : try LMDBEventLog.reclaimSpace(in: log.directory)
                let report = CompactionReport(before: before, manifest: manifest, reclaimed: reclaimed)
                print(report.render(json: json))
            }
        }
    }
}

/// What a compaction did, for people or programs.
struct CompactionReport {
    var before: LogStatistics
    var manifest: CompactionManifest?
    var reclaimed: ReclaimedSpace?

    func render(json: Bool) -> String {
        if json {
            var object: [String: Any] = ["sealedEvents": manifest?.events ?? 0]
            if let manifest {
                object["from"] = manifest.from
                object["through"] = manifest.through
                object["chunks"] = manifest.chunks
                object["recordBytes"] = manifest.recordBytes
                object["sealedBytes"] = manifest.sealedBytes
                object["ratio"] = manifest.ratio
            }
            if let reclaimed {
                object["fileBytesBefore"] = reclaimed.bytesBefore
                object["fileBytesAfter"] = reclaimed.bytesAfter
            }
            let data =
                (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        var lines: [String] = []
        if let manifest {
            let perEventBefore = Double(manifest.recordBytes) / Double(manifest.events)
            let perEventAfter = Double(manifest.sealedBytes) / Double(manifest.events)
            lines.append(
                "sealed       positions \(manifest.from)–\(manifest.through): \(manifest.events) events in \(manifest.chunks) chunks"
            )
            lines.append(
                "records      \(manifest.recordBytes) → \(manifest.sealedBytes) bytes "
                    + String(
                        format: "(%.1f → %.1f per event, %.1f%%)",
                        perEventBefore,
                        perEventAfter,
                        manifest.ratio * 100
                    )
            )
        } else {
            lines.append(
                "sealed       nothing: positions up to \(before.sealedEvents) are sealed and the rest is the hot tail"
            )
        }
        if let reclaimed {
            let saved = reclaimed.bytesBefore - reclaimed.bytesAfter
            lines.append("data.mdb     \(reclaimed.bytesBefore) → \(reclaimed.bytesAfter) bytes (\(saved) reclaimed)")
        }
        return lines.joined(separator: "\n")
    }
}
