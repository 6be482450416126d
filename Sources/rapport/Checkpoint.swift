import ArgumentParser
import EventStore
import Foundation

extension Rapport {
    /// Signs the log's head for auditors.
    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the log's head (position and chain hash) with Ed25519 into a checkpoint file.",
            discussion: """
                Opens the log read-only, so it runs beside the process that appends. Keys are PEM \
                (PKCS #8, as `openssl genpkey -algorithm ed25519` writes) or the raw 32 bytes; \
                --new-key creates one readable by its owner only, with its public key in FILE.pub. \
                `rapport verify --against CHECKPOINT` later proves the log still extends it. Examples:
                  rapport checkpoint --new-key auditor.pem --output day-1.checkpoint
                  rapport checkpoint --key auditor.pem --data-dir /srv/rapport -o day-2.checkpoint
                  rapport verify --against day-1.checkpoint --public-key auditor.pem.pub
                """
        )

        @OptionGroup var log: LogOptions

        @Option(help: "The Ed25519 private key to sign with (PEM or raw 32 bytes).")
        var key: String?

        @Option(
            name: .customLong("new-key"),
            help:
                "Create a private key in this file (0600, never overwritten) and its public key in FILE.pub, and sign with it."
        )
        var newKey: String?

        @Option(name: [.short, .long], help: "Write the checkpoint to this file instead of standard output.")
        var output: String?

        func validate() throws {
            guard (key == nil) != (newKey == nil) else {
                throw ValidationError("Give exactly one of --key FILE or --new-key FILE.")
            }
        }

        func run() async throws {
            try await reportingOperatorErrors {
                let eventLog = try log.openReadOnly()
                let head: LogHead
                do {
                    head = try eventLog.head()
                    await eventLog.close()
                } catch {
                    await eventLog.close()
                    throw error
                }
                let signingKey =
                    try newKey.map(SigningKeyFile.createPrivateKey(at:)) ?? SigningKeyFile.readPrivateKey(key ?? "")
                let checkpoint = try SignedCheckpoint(signing: head, with: signingKey)
                guard let output else {
                    try writeAll(checkpoint.jsonData(), to: STDOUT_FILENO, naming: "standard output")
                    return
                }
                try checkpoint.write(to: output)
                print("signed position \(checkpoint.position) hash \(checkpoint.hash) into \(output)")
            }
        }
    }
}
