import ArgumentParser
import CRMReadModels
import CRMWorkload
import EventStore
import Foundation
import Projections

extension Rapport {
    /// Lays out a generated CRM history in a new log and prints its statistics.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Generate a realistic CRM history into a new log, print its statistics, and build its read models.",
            discussion: """
                The history goes through the CRM's rules: users and teams, settings, leads, pool \
                claims and releases, follow-ups, opportunities, quotes, approvals, contracts, \
                payments, invoices, refunds, service, campaigns, targets, purchasing and shipping, \
                laid out over business days. One seed gives one history. A log that already holds \
                events is left as it is; its read models (in read-models inside the data directory) \
                are brought up to date either way. Examples:
                  rapport demo
                  rapport demo --data-dir /tmp/rapport --customers 5000 --days 365 --seed 7
                """
        )

        @OptionGroup var log: LogOptions

        @Option(help: "Roughly how many customers the history ends with.")
        var customers = 50_000

        @Option(
            help: """
                Sales reps, eight to a team; by default one for every 1,250 customers (40 for \
                50,000), so a larger history is a larger company, not the same reps holding more.
                """
        )
        var reps: Int?

        @Option(help: "How many days of history, from 2024-11-01.")
        var days = 730

        @Option(help: "The seed: the same seed gives the same history.")
        var seed: UInt64 = 2026

        @Flag(help: "Leave the read models to be built later, by rapport rebuild or rapport serve.")
        var noReadModels = false

        @Flag(help: "Print the statistics as JSON.")
        var json = false

        func validate() throws {
            guard (1...1_000_000).contains(customers) else {
                throw ValidationError("--customers must be between 1 and 1,000,000")
            }
            if let reps, !(1...10_000).contains(reps) {
                throw ValidationError("--reps must be between 1 and 10,000")
            }
            guard (1...750).contains(days) else {
                throw ValidationError("--days must be between 1 and 750, so the history ends before today")
            }
        }

        func run() async throws {
            try await reportingErrors {
                var options = LMDBEventLog.Options()
                // A bulk load: nothing is synced until the end, and nothing waits to share a commit.
                (options.durability, options.groupCommitWindow) = (.none, .zero)
                let eventLog = try LMDBEventLog(directory: log.directory, options: options)
                if try eventLog.head().position == 0 {
                    var workload = WorkloadOptions()
                    (workload.customers, workload.days, workload.seed) = (customers, days, seed)
                    workload.reps = reps ?? max(1, (customers + 625) / 1_250)
                    workload.teams = (workload.reps + 7) / 8
                    print(try await Self.generate(workload, into: eventLog))
                } else {
                    print("\(log.directory) already holds a log; leaving it as it is")
                }
                let verification = try eventLog.verify()
                let statistics = try eventLog.statistics()
                let readModels =
                    noReadModels ? "read models left to be built" : try await projectReadModels(of: eventLog)
                await eventLog.close()
                print(StatisticsReport(statistics: statistics, verification: verification).render(json: json))
                // The statistics alone go to standard output as JSON; the summary is for people.
                if json {
                    FileHandle.standardError.write(Data((readModels + "\n").utf8))
                } else {
                    print(readModels)
                }
            }
        }
    }
}

extension Rapport.Demo {
    /// Generates the history `workload` describes into `eventLog` (opened for a bulk load)
    /// with a progress line, syncs it, and returns a one-line summary.
    static func generate(_ workload: WorkloadOptions, into eventLog: LMDBEventLog) async throws -> String {
        let started = ContinuousClock.now
        let progress = ProgressLine(unit: "days", total: workload.days)
        let summary = try await WorkloadGenerator(options: workload, log: eventLog).run {
            progress.update($0.day, detail: "\($0.events) events")
        }
        try eventLog.sync()
        progress.finish()
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        return
            "generated \(summary.events) events (\(summary.appends) appends) in \(String(format: "%.1f", seconds)) s "
            + "(\(Int(Double(summary.events) / max(seconds, 0.001))) events/s): "
            + "\(summary.customers) customers, \(summary.leads) leads, \(summary.contracts) contracts, \(summary.payments) payments, "
            + "\(summary.refusals) commands refused by the rules"
    }

    /// Brings the read models beside the log up to its head, rebuilding what needs it, with a
    /// progress line; returns a one-line summary.
    func projectReadModels(of eventLog: LMDBEventLog) async throws -> String {
        let store = try ReadModelStore(directory: log.directory + "/read-models")
        defer { store.close() }
        let runner = CRMProjectionRunner(
            log: eventLog,
            store: store,
            decoder: CRMProjections.decoder,
            projectors: CRMProjections.all
        )
        let started = ContinuousClock.now
        let progress = ProgressLine(unit: "events")
        try await runner.start(progress: progress.projectionReport)
        progress.finish()
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        return "read models  \(CRMProjections.all.count) up to date at position \(await runner.checkpoint) "
            + "in \(store.directory) (\(String(format: "%.1f", seconds)) s)"
    }
}
