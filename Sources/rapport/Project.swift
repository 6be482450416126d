import ArgumentParser
import CRMReadModels
import EventStore
import Foundation
import Projections

extension Rapport {
    /// Brings the read models up to date with the log, and optionally keeps them there.
    struct Project: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Bring the read models up to the head of the log (rebuilding those that need it); --follow keeps them there.",
            discussion: """
                Read models never built, or built by another version of their projector, are rebuilt \
                from the log; the others catch up from their checkpoints. Every batch is committed \
                with its checkpoint, so stopping or killing this at any moment loses nothing and \
                applies nothing twice. Examples:
                  rapport project
                  rapport project --follow --data-dir /var/lib/rapport
                """
        )

        @OptionGroup var log: LogOptions
        @OptionGroup var readModels: ReadModelOptions

        @Flag(help: "Keep following the log after catching up, until stopped.")
        var follow = false

        /// For crash tests: hang, uncommitted, in the first live batch that reaches this position.
        @Option(help: .hidden)
        var hangBeforeCommitting: UInt64?

        func run() async throws {
            try await reportingErrors {
                let eventLog = try log.openReadOnly()
                let store = try readModels.open(beside: log)
                let runner = ProjectionRunner(
                    log: eventLog,
                    store: store,
                    decoder: CRMProjections.decoder,
                    projectors: CRMProjections.all
                )
                let progress = ProgressLine(unit: "events")
                try await runner.start(progress: progress.projectionReport)
                progress.finish()
                if let hangBeforeCommitting { await runner.setBeforeCommit(Self.hang(at: hangBeforeCommitting)) }
                if follow {
                    try await runner.run()
                } else {
                    try await runner.catchUp()
                }
                for lag in try await runner.lag() {
                    print("\(lag.name): position \(lag.checkpoint), \(lag.eventsBehind) behind")
                }
                await eventLog.close()
            }
        }
    }
}

extension Rapport.Project {
    /// Announces the batch it stops in on standard output and sleeps until killed.
    static func hang(at position: UInt64) -> @Sendable (UInt64) -> Void {
        { last in
            guard last >= position else { return }
            FileHandle.standardOutput.write(Data("hanging before committing position \(last)\n".utf8))
            while true { sleep(3_600) }
        }
    }
}
