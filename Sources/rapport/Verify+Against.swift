import ArgumentParser
import EventStore
import Foundation

extension Rapport.Verify {
    /// `verify --against`: proves the log extends a signed checkpoint, or exits 1 naming why not.
    func verifyAgainst(_ checkpointFile: String) async throws {
        try await reportingOperatorErrors {
            let checkpoint = try SignedCheckpoint(contentsOf: checkpointFile)
            let trustedKey = try publicKey.map(SigningKeyFile.readPublicKey)
            let eventLog = try log.openReadOnly()
            let result: CheckpointVerification
            do {
                result = try eventLog.verify(against: checkpoint, trustedKey: trustedKey)
                await eventLog.close()
            } catch {
                await eventLog.close()
                throw error
            }
            if let problem = result.problem {
                print("FAILED against \(checkpointFile): \(problem)")
                throw ExitCode(1)
            }
            print(
                "ok: the log extends the checkpoint at position \(checkpoint.position) signed \(checkpoint.signedAt); "
                    + "\(result.eventsChecked) events verified, head \(result.head.position)"
            )
            if !result.keyWasTrusted {
                print("note: checked with the key the checkpoint names; give --public-key to check who signed it")
            }
        }
    }
}
