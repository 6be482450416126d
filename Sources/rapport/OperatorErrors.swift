import ArgumentParser
import EventStore
import Foundation

/// ``reportingErrors(_:)`` for the commands that handle backups and checkpoints: a backup
/// found bad exits 1, like a broken chain in `verify`; anything that stopped the command
/// from running exits 2.
func reportingOperatorErrors(_ body: () async throws -> Void) async throws {
    try await reportingErrors {
        do {
            try await body()
        } catch let error as BackupError {
            FileHandle.standardError.write(Data("rapport: \(error.message) [\(error.code)]\n".utf8))
            throw ExitCode(error.backupIsBad ? 1 : 2)
        } catch let error as CheckpointError {
            FileHandle.standardError.write(Data("rapport: \(error.message) [\(error.code)]\n".utf8))
            throw ExitCode(2)
        }
    }
}
