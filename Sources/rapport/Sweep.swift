import ArgumentParser
import CRMSchema
import CRMService
import EventStore
import Foundation
import SwiftProtobuf

extension Rapport {
    /// Runs the public-pool sweep by hand, as the server does on its schedule.
    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release customers idle past their level's limit to the public pool, and warn owners first.",
            discussion: """
                Judged by the pool rules in force at the sweep's time. Running it again for the \
                same time does nothing more. Examples:
                  rapport sweep
                  rapport sweep --at 2026-11-01T00:00:00Z --json
                """
        )

        @OptionGroup var log: LogOptions

        @Option(
            help: "The business time to sweep at, ISO 8601 (default: now; never in the future).",
            transform: parseTime
        )
        var at: Date?

        @Flag(help: "Print what was released and warned as JSON.")
        var json = false

        func run() async throws {
            try await reportingErrors {
                let eventLog = try await log.openExistingForWriting()
                let report: PoolSweepReport
                do {
                    report = try await CRMService(log: eventLog).sweepPool(at: at, actor: "rapport-sweep")
                } catch {
                    await eventLog.close()
                    throw error
                }
                await eventLog.close()
                print(render(report))
            }
        }

        private func render(_ report: PoolSweepReport) -> String {
            let time = report.time.formatted(.iso8601)
            if json {
                let object: [String: Any] = [
                    "time": time,
                    "customersChecked": report.customersChecked,
                    "released": report.released.map {
                        ["customer": $0.customerID, "from": $0.fromOwnerID, "note": $0.note]
                    },
                    "warned": report.warned.map {
                        [
                            "customer": $0.customerID, "owner": $0.ownerID,
                            "releaseDueAt": $0.releaseDueAt.date.formatted(.iso8601),
                        ]
                    },
                    "unreadable": report.unreadable,
                ]
                let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
                return String(decoding: data, as: UTF8.self)
            }
            var lines = [
                "swept \(report.customersChecked) customers at \(time): \(report.released.count) released, \(report.warned.count) warned"
            ]
            lines += report.released.map { "released \($0.customerID) from \($0.fromOwnerID) (\($0.note))" }
            lines += report.warned.map {
                "warned \($0.ownerID) about \($0.customerID): release due \($0.releaseDueAt.date.formatted(.iso8601))"
            }
            lines += report.unreadable.map { "left \($0) as it is: its stream holds an event this build cannot read" }
            return lines.joined(separator: "\n")
        }
    }
}

/// Parses an ISO 8601 time such as `2026-11-01T00:00:00Z`.
func parseTime(_ text: String) throws -> Date {
    guard let date = try? Date(text, strategy: .iso8601) else {
        throw ValidationError("\"\(text)\" is not an ISO 8601 time such as 2026-11-01T00:00:00Z")
    }
    return date
}
