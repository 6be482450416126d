import ArgumentParser
import EventStore
import Foundation

extension Rapport {
    /// Prints a log's statistics.
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a log's events, streams, sizes and counts per category and type.",
            discussion: """
                Opens the log read-only, so it runs beside the process that appends. Examples:
                  rapport stats
                  rapport stats --data-dir /var/lib/rapport --json
                """
        )

        @OptionGroup var log: LogOptions

        @Flag(help: "Print the statistics as JSON.")
        var json = false

        func run() async throws {
            try await reportingErrors {
                let eventLog = try log.openReadOnly()
                let statistics = try eventLog.statistics()
                await eventLog.close()
                print(StatisticsReport(statistics: statistics, verification: nil).render(json: json))
            }
        }
    }

    /// Walks the hash chain and names the first bad position.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the hash chain; exit 1 and name the first bad position if it breaks.",
            discussion: """
                Opens the log read-only. Examples:
                  rapport verify
                  rapport verify --data-dir /var/lib/rapport
                  rapport verify --against day-1.checkpoint --public-key auditor.pem.pub
                With --against, also proves the log extends a checkpoint from `rapport checkpoint`: \
                its signature holds and the record at its position has its chain hash.
                """
        )

        @OptionGroup var log: LogOptions

        @Option(help: "A checkpoint file the log must still extend.")
        var against: String?

        @Option(name: .customLong("public-key"), help: "The key the checkpoint must be signed with (PEM, raw or base64).")
        var publicKey: String?

        func run() async throws {
            if let against { return try await verifyAgainst(against) }
            try await reportingErrors {
                let eventLog = try log.openReadOnly()
                let verification = try eventLog.verify()
                await eventLog.close()
                if let problem = verification.problem {
                    print("BROKEN after \(verification.eventsChecked) good events: \(problem)")
                    throw ExitCode(1)
                }
                print("ok: \(verification.eventsChecked) events, head hash \(verification.verifiedHead.hash)")
            }
        }
    }
}

/// The statistics as a table for people or JSON for programs.
struct StatisticsReport {
    var statistics: LogStatistics
    var verification: ChainVerification?

    func render(json: Bool) -> String {
        let s = statistics
        if json {
            var object: [String: Any] = [
                "events": s.events, "streams": s.streams, "headPosition": s.head.position,
                "headHash": s.head.hash.hex, "uniqueKeys": s.uniqueKeys, "fileBytes": s.fileBytes,
                "usedBytes": s.usedBytes, "recordBytes": s.recordBytes,
                "eventsByCategory": s.eventsByCategory, "eventsByType": s.eventsByType,
            ]
            if let verification { object["chainIntact"] = verification.isIntact }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        var lines = [
            "events       \(s.events)",
            "streams      \(s.streams)",
            "unique keys  \(s.uniqueKeys)",
            "head         \(s.head.position) \(s.head.hash.hex)",
            "last event   \(s.head.recordedAt)",
            "disk         \(s.fileBytes) bytes in data.mdb, \(s.usedBytes) in use, \(s.recordBytes) of records"
                + (s.events > 0 ? " (\(s.recordBytes / Int(s.events)) per event)" : ""),
        ]
        if let verification {
            lines.append("chain        " + (verification.problem.map { "BROKEN: \($0)" } ?? "intact"))
        }
        lines.append("by category")
        for (name, count) in s.eventsByCategory.sorted(by: { $0.key < $1.key }) { lines.append("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(count)") }
        lines.append("by type")
        for (name, count) in s.eventsByType.sorted(by: { $0.key < $1.key }) { lines.append("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(count)") }
        return lines.joined(separator: "\n")
    }
}
