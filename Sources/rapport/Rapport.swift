import ArgumentParser
import CRMDomain
import CRMServer
import EventStore
import Foundation
import Projections

/// `rapport`: the one executable for operating a Rapport log.
@main
struct Rapport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport",
        abstract: "Rapport, an event-sourced CRM backend on an append-only LMDB log.",
        discussion: """
            Run with no subcommand to serve the HTTP API on the log in the data directory \
            (RAPPORT_DATA_DIR, or ./rapport-data), filled with a demo history on first start.
            """,
        subcommands: [
            Serve.self, Demo.self, Stats.self, Verify.self, Sweep.self, Project.self, Rebuild.self, Replay.self,
            Export.self, Import.self,
            Checkpoint.self, Backup.self, Restore.self, Compact.self, Token.self, Access.self,
        ],
        defaultSubcommand: Serve.self
    )

    /// Runs the command, then flushes what it printed: standard output on a full disk fails
    /// the command (status 2) rather than losing its output in silence.
    static func main() async {
        await main(nil)
        // Standard error is unbuffered: only standard output holds anything to flush.
        if fflush(nil) != 0 {
            FileHandle.standardError.write(
                Data("rapport: cannot write standard output: \(String(cString: strerror(errno)))\n".utf8)
            )
            Foundation.exit(2)
        }
    }
}

/// Options every subcommand that opens a log shares.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The log's directory (default: $RAPPORT_DATA_DIR or ./rapport-data).")
    var dataDirectory: String?

    var directory: String {
        dataDirectory ?? ProcessInfo.processInfo.environment["RAPPORT_DATA_DIR"] ?? "rapport-data"
    }

    func openReadOnly() throws -> LMDBEventLog {
        var options = LMDBEventLog.Options()
        options.readOnly = true
        return try LMDBEventLog(directory: directory, options: options)
    }

    /// Opens a log that must exist already, for appending: a mistyped directory is an
    /// error, not a new empty log.
    func openExistingForWriting() async throws -> LMDBEventLog {
        await (try openReadOnly()).close()
        return try LMDBEventLog(directory: directory)
    }
}

/// Turns a log error or a refused command into a one-line message and exit status 2, not a
/// stack trace.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as EventStoreError {
        FileHandle.standardError.write(Data("rapport: \(error.message) [\(error.code)]\n".utf8))
        throw ExitCode(2)
    } catch let error as DomainError {
        FileHandle.standardError.write(Data("rapport: \(error.message) [\(error.code)]\n".utf8))
        throw ExitCode(2)
    } catch let error as ProjectionError {
        FileHandle.standardError.write(Data("rapport: \(error.message) [\(error.code)]\n".utf8))
        throw ExitCode(2)
    } catch let error as TokenStoreError {
        FileHandle.standardError.write(Data("rapport: \(error)\n".utf8))
        throw ExitCode(2)
    } catch let error as OutputError {
        FileHandle.standardError.write(Data("rapport: \(error)\n".utf8))
        throw ExitCode(2)
    }
}
