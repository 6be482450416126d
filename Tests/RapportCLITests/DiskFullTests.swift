import EventStore
import Foundation
import RapportTestSupport
import Testing

/// Commands whose writes fail as on a full disk: standard output on `/dev/full` (ENOSPC), and
/// files past a per-process size limit (EFBIG, with SIGXFSZ ignored so the write fails rather
/// than killing the process). Each must exit 2 naming what it could not write, leave nothing
/// at its final path, and leave the log it read or wrote verifying.
@Suite("Disk full: writes that fail with ENOSPC or EFBIG")
struct DiskFullTests {
    let directory = TemporaryDirectory("cli-disk-full")

    /// A log of `count` events with incompressible payloads, so that every copy of it, compressed
    /// or not, is about as large as the log: about 600 KB of records by default.
    func randomLog(_ name: String, events count: Int = 1_500) async throws -> String {
        let path = directory.appending(name)
        var options = LMDBEventLog.Options()
        (options.durability, options.initialMapSize) = (.none, 16 << 20)
        let log = try LMDBEventLog(directory: path, options: options)
        var generator = SystemRandomNumberGenerator()
        for batch in 0..<(count / 100) {
            let events = (0..<100).map { _ in
                EventData(
                    type: "test.Random",
                    payload: (0..<400).map { _ in UInt8.random(in: 0...255, using: &generator) }
                )
            }
            try await log.append(to: stream("customer-\(batch)"), events)
        }
        try log.sync()
        await log.close()
        return path
    }

    /// The head `rapport stats` reports, after `rapport verify` passed.
    func verifiedHead(_ log: String) throws -> (position: Int, hash: String) {
        let verify = try rapport("verify", "--data-dir", log)
        try #require(verify.status == 0, "\(verify.output)\(verify.errors)")
        let run = try rapport("stats", "--data-dir", log, "--json")
        try #require(run.status == 0, "\(run.errors)")
        let statistics = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        return (try #require(statistics["headPosition"] as? Int), try #require(statistics["headHash"] as? String))
    }

    /// Files in the test's directory other than `expected`: leftovers of a failed write.
    func leftovers(besides expected: Set<String>) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !expected.contains($0) }.sorted()
    }

    /// The failure every command here must show: status 2 by exit, not by a signal, and one
    /// `rapport:` line naming `what` and why.
    ///
    /// LMDB does not pass on why its own writes failed: a short write into the log is EIO, a
    /// failed compacting copy EINVAL. Those failures are checked for `what` alone.
    func expectWriteFailure(_ run: Run, naming what: String, because reason: String? = nil, _ context: String = "") {
        #expect(!run.wasSignalled, "\(context): killed by signal \(run.status): \(run.errors)")
        #expect(run.status == 2, "\(context): \(run.errors)")
        #expect(run.errors.contains("rapport: "), "\(context): \(run.errors)")
        #expect(run.errors.contains(what), "\(context): \(run.errors)")
        if let reason { #expect(run.errors.contains(reason), "\(context): \(run.errors)") }
    }

    // MARK: - Standard output on a full device

    @Test(
        "a command whose standard output is a full device exits 2 saying standard output could not be written",
        .enabled(if: FileManager.default.isWritableFile(atPath: "/dev/full"), "needs /dev/full"),
        arguments: [["replay"], ["stats"], ["stats", "--json"], ["verify"], ["checkpoint", "--new-key", "KEY"]]
    )
    func standardOutputOnAFullDevice(command: [String]) async throws {
        let log = try await randomLog("log", events: 300)
        let before = try verifiedHead(log)
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let arguments = command.map { $0 == "KEY" ? directory.appending("auditor.pem") : $0 } + ["--data-dir", log]
        let run = try rapport(arguments, output: full)
        expectWriteFailure(run, naming: "standard output", because: "No space left on device", "\(command)")
        #expect(try verifiedHead(log) == before)
    }

    // MARK: - Files past the size limit

    @Test(
        "export that runs out of space exits 2 naming the file, and leaves no file at --output",
        arguments: [
            ["--format", "ndjson", "--uncompressed"], ["--format", "binary", "--uncompressed"], ["--format", "ndjson"],
        ]
    )
    func exportRunsOutOfSpace(options: [String]) async throws {
        let log = try await randomLog("log")
        let before = try verifiedHead(log)
        let file = directory.appending("log.export")
        let run = try rapport(
            ["export", "--data-dir", log, "--output", file] + options,
            through: .fileSizeLimit(200_000)
        )
        expectWriteFailure(run, naming: file, because: "File too large", "\(options)")
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try leftovers(besides: ["log"]) == [])
        #expect(try verifiedHead(log) == before)
    }

    @Test(
        "backup that runs out of space exits 2 with backup_io_failure, and leaves no backup, .partial or staging copy"
    )
    func backupRunsOutOfSpace() async throws {
        let log = try await randomLog("log")
        let before = try verifiedHead(log)
        let file = directory.appending("log.backup")
        let run = try rapport(["backup", "--data-dir", log, "--to", file], through: .fileSizeLimit(200_000))
        expectWriteFailure(run, naming: "backup_io_failure")
        #expect(run.errors.contains("cannot copy the log for \(file)"), "\(run.errors)")
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(!FileManager.default.fileExists(atPath: file + ".partial"))
        #expect(try leftovers(besides: ["log"]) == [])
        #expect(try verifiedHead(log) == before)
        // With room, the same backup goes through.
        #expect(try rapport(["backup", "--data-dir", log, "--to", file]).status == 0)
    }

    @Test(
        "restore that runs out of space exits 2 with backup_io_failure, leaves the target absent, and the backup still restores"
    )
    func restoreRunsOutOfSpace() async throws {
        let log = try await randomLog("log")
        let before = try verifiedHead(log)
        let file = directory.appending("log.backup")
        try #require(try rapport(["backup", "--data-dir", log, "--to", file]).status == 0)
        let backupBytes = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        let target = directory.appending("restored")
        // Enough for the backup file itself (it is only read), not for the log inside it.
        let run = try rapport(
            ["restore", "--from", file, "--data-dir", target],
            through: .fileSizeLimit(backupBytes / 2)
        )
        expectWriteFailure(run, naming: "backup_io_failure", because: "File too large")
        #expect(run.errors.contains(directory.path), "names where it wrote: \(run.errors)")
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try leftovers(besides: ["log", "log.backup"]) == [])
        #expect(try rapport(["restore", "--from", file, "--data-dir", target]).status == 0)
        #expect(try verifiedHead(target) == before)
    }

    @Test(
        "checkpoint --output that runs out of space exits 2 naming the file, and leaves no checkpoint or temporary file"
    )
    func checkpointRunsOutOfSpace() async throws {
        let log = try await randomLog("log", events: 100)
        let key = directory.appending("auditor.pem")
        try #require(try rapport(["checkpoint", "--data-dir", log, "--new-key", key]).status == 0)
        let file = directory.appending("day-1.checkpoint")
        // A key is about 120 bytes, a checkpoint about 300: the limit lets the key be read, not the checkpoint written.
        let run = try rapport(
            ["checkpoint", "--data-dir", log, "--key", key, "--output", file],
            through: .fileSizeLimit(64)
        )
        expectWriteFailure(run, naming: file, because: "File too large")
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try leftovers(besides: ["log", "auditor.pem", "auditor.pem.pub"]) == [])
    }

    @Test(
        "checkpoint --new-key that runs out of space exits 2 naming the key, and leaves no half-written key to block the next try"
    )
    func newKeyRunsOutOfSpace() async throws {
        let log = try await randomLog("log", events: 100)
        let key = directory.appending("auditor.pem")
        let run = try rapport(["checkpoint", "--data-dir", log, "--new-key", key], through: .fileSizeLimit(64))
        expectWriteFailure(run, naming: key, because: "File too large")
        #expect(try leftovers(besides: ["log"]) == [])
        let again = try rapport(["checkpoint", "--data-dir", log, "--new-key", key])
        #expect(again.status == 0, "\(again.errors)")
    }

    @Test(
        "import that runs out of space exits 2, keeps only whole batches of the export, and a second run completes it"
    )
    func importRunsOutOfSpace() async throws {
        let source = try await randomLog("source")
        let expected = try verifiedHead(source)
        let file = directory.appending("log.export")
        try #require(try rapport(["export", "--data-dir", source, "--output", file]).status == 0)
        let target = directory.appending("target")
        // The export is only read; the target's data.mdb grows past the limit part way through.
        let exportBytes = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        let run = try rapport(
            ["import", "--data-dir", target, "--input", file, "--batch-size", "100"],
            through: .fileSizeLimit(max(exportBytes / 2, 300_000))
        )
        expectWriteFailure(run, naming: "committing an append to the log at \(target)")
        #expect(run.errors.contains("storage_failure"), "\(run.errors)")

        let stopped = try verifiedHead(target)
        #expect(stopped.position > 0 && stopped.position < expected.position, "\(run.errors)")
        #expect(stopped.position % 100 == 0, "a failed batch appends nothing: head \(stopped.position)")
        var options = LMDBEventLog.Options()
        options.readOnly = true
        let original = try LMDBEventLog(directory: source, options: options)
        #expect(try original.chainHash(at: UInt64(stopped.position))?.hex == stopped.hash)
        await original.close()

        let resumed = try rapport(["import", "--data-dir", target, "--input", file])
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(try verifiedHead(target) == expected)
    }

    @Test("demo that runs out of space exits 2 with storage_failure, and what it wrote still verifies")
    func demoRunsOutOfSpace() throws {
        let log = directory.appending("demo")
        let run = try rapport(
            ["demo", "--data-dir", log, "--customers", "100", "--days", "60"],
            through: .fileSizeLimit(300_000)
        )
        expectWriteFailure(run, naming: "committing an append to the log at \(log)")
        #expect(run.errors.contains("storage_failure"), "\(run.errors)")
        let verify = try rapport("verify", "--data-dir", log)
        #expect(verify.status == 0, "\(verify.output)\(verify.errors)")
    }
}
