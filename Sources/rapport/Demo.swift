import ArgumentParser
import EventStore
import Foundation

extension Rapport {
    /// Appends a demo history to a new log and prints its statistics.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append a demo history to a new log, then print its statistics.",
            discussion: """
                A log that already holds events is left as it is. Examples:
                  rapport demo
                  rapport demo --data-dir /tmp/rapport --customers 5000
                """
        )

        @OptionGroup var log: LogOptions

        @Option(help: "How many customers the demo history follows.")
        var customers = 2_000

        @Flag(help: "Print the statistics as JSON.")
        var json = false

        func validate() throws {
            guard (1...1_000_000).contains(customers) else {
                throw ValidationError("--customers must be between 1 and 1,000,000")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let eventLog = try LMDBEventLog(directory: log.directory)
                if try eventLog.head().position == 0 {
                    let started = ContinuousClock.now
                    let appended = try await DemoHistory(customers: customers).append(to: eventLog)
                    let seconds = (ContinuousClock.now - started) / .seconds(1)
                    print("appended \(appended) demo events in \(String(format: "%.2f", seconds)) s")
                } else {
                    print("\(log.directory) already holds a log; leaving it as it is")
                }
                let verification = try eventLog.verify()
                let statistics = try eventLog.statistics()
                await eventLog.close()
                print(StatisticsReport(statistics: statistics, verification: verification).render(json: json))
            }
        }
    }
}
