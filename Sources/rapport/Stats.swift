import ArgumentParser
import EventStore
import Foundation

extension Rapport {
    /// Prints a log's statistics.
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a log's events, streams, sizes and counts per category and type.",
            discussion: """
                Opens the log and the read models read-only, so it runs beside the process that \
                appends and the one that projects. Each read model shows how many positions its \
                checkpoint is behind the head of the log. Examples:
                  rapport stats
                  rapport stats --data-dir /var/lib/rapport --json
                """
        )

        @OptionGroup var log: LogOptions
        @OptionGroup var readModels: ReadModelOptions

        @Flag(help: "Print the statistics as JSON.")
        var json = false

        func run() async throws {
            try await reportingErrors {
                let eventLog = try log.openReadOnly()
                let statistics = try eventLog.statistics()
                await eventLog.close()
                var report = StatisticsReport(statistics: statistics)
                report.readModels = try ReadModelLag.all(
                    inStoreAt: readModels.path(beside: log),
                    head: statistics.head.position
                )
                print(report.render(json: json))
            }
        }
    }
}

/// The statistics as a table for people or JSON for programs.
struct StatisticsReport {
    var statistics: LogStatistics
    var verification: ChainVerification? = nil
    /// The read models' lag, `nil` when there is no read-model store beside the log.
    var readModels: [ReadModelLag]? = nil

    func render(json: Bool) -> String {
        let s = statistics
        if json {
            var object: [String: Any] = [
                "events": s.events, "streams": s.streams, "headPosition": s.head.position,
                "headHash": s.head.hash.hex, "uniqueKeys": s.uniqueKeys, "fileBytes": s.fileBytes,
                "usedBytes": s.usedBytes, "recordBytes": s.recordBytes, "sealedEvents": s.sealedEvents,
                "sealedRecordBytes": s.sealedRecordBytes, "sealedBytes": s.sealedBytes,
                "compactions": s.compactions.count,
                "eventsByCategory": s.eventsByCategory, "eventsByType": s.eventsByType,
            ]
            if let verification { object["chainIntact"] = verification.isIntact }
            if let readModels { object["readModels"] = readModels.map(\.json) }
            let data =
                (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        var lines = [
            "events       \(s.events)",
            "streams      \(s.streams)",
            "unique keys  \(s.uniqueKeys)",
            "head         \(s.head.position) \(s.head.hash.hex)",
            "last event   \(s.head.recordedAt)",
            "disk         \(s.fileBytes) bytes in data.mdb, \(s.usedBytes) in use",
            "hot          \(s.events - s.sealedEvents) events, \(s.recordBytes) bytes of records"
                + (s.events > s.sealedEvents ? " (\(s.recordBytes / Int(s.events - s.sealedEvents)) per event)" : ""),
        ]
        if s.sealedEvents > 0 {
            lines.append(
                "compacted    \(s.sealedEvents) events, \(s.sealedBytes) bytes in chunks (\(s.sealedBytes / Int(s.sealedEvents)) per event; "
                    + "\(s.sealedRecordBytes) before) by \(s.compactions.count) compaction\(s.compactions.count == 1 ? "" : "s")"
            )
        }
        if let verification {
            lines.append("chain        " + (verification.problem.map { "BROKEN: \($0)" } ?? "intact"))
        }
        if let readModels {
            lines.append("read models")
            lines += readModels.map(\.line)
        }
        lines.append("by category")
        for (name, count) in s.eventsByCategory.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(count)")
        }
        lines.append("by type")
        for (name, count) in s.eventsByType.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(count)")
        }
        return lines.joined(separator: "\n")
    }
}
