import ArgumentParser
import EventStore
import Foundation

extension Rapport {
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

        @Option(
            name: .customLong("public-key"),
            help: "The key the checkpoint must be signed with (PEM, raw or base64)."
        )
        var publicKey: String?

        func run() async throws {
            if let against { return try await verifyAgainst(against) }
            try await reportingErrors {
                let eventLog = try log.openReadOnly()
                let progress = ProgressLine(unit: "events")
                let verification = try eventLog.verify { progress.update(Int($0.done), total: Int($0.total)) }
                progress.finish()
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
