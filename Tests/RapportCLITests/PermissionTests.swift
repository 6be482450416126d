import EventStore
import Foundation
import RapportTestSupport
import Testing

/// Commands run as an unprivileged user on paths that user may not read or write. Root reads
/// and writes anything, so the child drops to `nobody` with `setpriv`. Each command must exit 2
/// (it could not run; not 1, which says a log or backup was found bad) with one `rapport:` line
/// naming the path and that permission was denied, and change nothing.
@Suite(
    "Permission denied: paths an unprivileged user may not read or write",
    .enabled(
        if: Launcher.canDropPrivileges,
        "needs to run as root with setpriv (util-linux) to start rapport as nobody"
    )
)
struct PermissionTests {
    static let nobody: UInt32 = 65_534

    /// Reachable by `nobody` but not writable: the place for paths it must fail to create.
    let directory: TemporaryDirectory

    init() throws {
        directory = TemporaryDirectory("cli-permissions")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
    }

    /// A log of 50 events in `name`, owned by root with the usual modes (directory 0755, files
    /// 0644) unless `nobody` should own it.
    func smallLog(_ name: String, ownedByNobody: Bool = false) async throws -> String {
        let path = directory.appending(name)
        var options = LMDBEventLog.Options()
        options.initialMapSize = 16 << 20
        let log = try LMDBEventLog(directory: path, options: options)
        try await log.append(
            to: stream("customer-1"),
            (0..<50).map { _ in testEvent(payload: String(repeating: "x", count: 200)) }
        )
        await log.close()
        if ownedByNobody { try giveToNobody(path) }
        return path
    }

    /// A directory `nobody` may write in.
    func nobodysDirectory(_ name: String) throws -> String {
        let path = directory.appending(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        try giveToNobody(path)
        return path
    }

    func giveToNobody(_ path: String) throws {
        let owner: [FileAttributeKey: Any] = [.ownerAccountID: Self.nobody, .groupOwnerAccountID: Self.nobody]
        try FileManager.default.setAttributes(owner, ofItemAtPath: path)
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            try FileManager.default.setAttributes(owner, ofItemAtPath: path + "/" + name)
        }
    }

    func chmod(_ path: String, _ mode: Int) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    func head(_ log: String) throws -> String {
        let run = try rapport("stats", "--data-dir", log, "--json")
        try #require(run.status == 0, "\(run.errors)")
        let statistics = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        return "\(statistics["headPosition"] ?? "-") \(statistics["headHash"] ?? "-")"
    }

    /// Exit 2 by exit, not by a signal, and one `rapport:` line naming `path` and the denial.
    func expectDenied(_ run: Run, naming path: String, _ context: String = "") {
        #expect(!run.wasSignalled, "\(context): killed by signal \(run.status): \(run.errors)")
        #expect(run.status == 2, "\(context): \(run.errors)")
        #expect(run.errors.hasPrefix("rapport: "), "\(context): \(run.errors)")
        #expect(run.errors.contains(path), "\(context): \(run.errors)")
        #expect(run.errors.contains("Permission denied"), "\(context): \(run.errors)")
    }

    /// Entries of the test's directory other than `expected`: what a failed command left.
    func leftovers(besides expected: Set<String>) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !expected.contains($0) }.sorted()
    }

    // MARK: - Logs the user may not read

    @Test(
        "a log the user may not read (directory 0700, or files 0600, of another user) is refused with exit 2 naming it, not reported missing",
        arguments: [["stats"], ["verify"], ["replay"], ["export", "--output", "OUT"], ["backup", "--to", "OUT"]]
    )
    func unreadableLog(command: [String]) async throws {
        let out = try nobodysDirectory("out")
        let arguments = command.map { $0 == "OUT" ? out + "/copy" : $0 }
        let closed = try await smallLog("closed")
        try chmod(closed, 0o700)
        let hidden = try await smallLog("hidden")
        for name in try FileManager.default.contentsOfDirectory(atPath: hidden) {
            try chmod(hidden + "/" + name, 0o600)
        }

        for log in [closed, hidden] {
            let run = try rapport(arguments + ["--data-dir", log], through: .unprivileged)
            expectDenied(run, naming: log, "\(command) on \(log)")
            #expect(!run.errors.contains("no log at"), "\(run.errors)")
            #expect(run.output.isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
        }
    }

    // MARK: - Logs the user may not write

    @Test("import and demo into a log the user may not write exit 2 naming its lock file, and append nothing")
    func unwritableLog() async throws {
        let log = try await smallLog("log")
        let before = try head(log)
        let file = directory.appending("log.export")
        try #require(try rapport("export", "--data-dir", try await smallLog("other"), "--output", file).status == 0)

        let imported = try rapport(["import", "--data-dir", log, "--input", file], through: .unprivileged)
        expectDenied(imported, naming: log + "/writer.lock", "import")
        let demo = try rapport(["demo", "--data-dir", log, "--customers", "5", "--days", "5"], through: .unprivileged)
        expectDenied(demo, naming: log + "/writer.lock", "demo")
        #expect(try head(log) == before)
    }

    @Test(
        "import and demo into a new log in a directory the user may not write exit 2 naming the log directory, and create nothing"
    )
    func newLogInUnwritableDirectory() async throws {
        let file = directory.appending("log.export")
        try #require(try rapport("export", "--data-dir", try await smallLog("other"), "--output", file).status == 0)
        let target = directory.appending("new")
        let imported = try rapport(["import", "--data-dir", target, "--input", file], through: .unprivileged)
        expectDenied(imported, naming: target, "import")
        let demo = try rapport(
            ["demo", "--data-dir", target, "--customers", "5", "--days", "5"],
            through: .unprivileged
        )
        expectDenied(demo, naming: target, "demo")
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    // MARK: - Outputs the user may not create

    @Test(
        "an output in a directory the user may not write is refused with exit 2 naming the output, and nothing is left behind",
        arguments: [
            ["export", "--output", "OUT"], ["export", "--format", "binary", "--uncompressed", "--output", "OUT"],
            ["backup", "--to", "OUT"], ["checkpoint", "--new-key", "OUT"],
            ["checkpoint", "--key", "KEY", "--output", "OUT"],
        ]
    )
    func unwritableOutput(command: [String]) async throws {
        let log = try await smallLog("log", ownedByNobody: true)
        let before = try head(log)
        let keys = try nobodysDirectory("keys")
        let key = keys + "/auditor.pem"
        try #require(
            try rapport(["checkpoint", "--data-dir", log, "--new-key", key], through: .unprivileged).status == 0
        )
        let output = directory.appending("output")
        let arguments = command.map { $0 == "OUT" ? output : $0 == "KEY" ? key : $0 }

        let run = try rapport(arguments + ["--data-dir", log], through: .unprivileged)
        expectDenied(run, naming: output, "\(command)")
        #expect(try leftovers(besides: ["log", "keys"]) == [])
        #expect(try head(log) == before)
    }

    @Test("restore into a directory the user may not write exits 2 naming the target, and leaves nothing behind")
    func restoreIntoUnwritableDirectory() async throws {
        let log = try await smallLog("log")
        let file = directory.appending("log.backup")
        try #require(try rapport("backup", "--data-dir", log, "--to", file).status == 0)
        let target = directory.appending("restored")
        let run = try rapport(["restore", "--from", file, "--data-dir", target], through: .unprivileged)
        expectDenied(run, naming: target)
        #expect(try leftovers(besides: ["log", "log.backup"]) == [])
    }

    // MARK: - Inputs the user may not read

    @Test(
        "a key, checkpoint or backup the user may not read is refused with exit 2 naming it and that permission was denied"
    )
    func unreadableInputs() async throws {
        let log = try await smallLog("log", ownedByNobody: true)
        let key = directory.appending("auditor.pem")
        let checkpoint = directory.appending("day-1.checkpoint")
        try #require(try rapport("checkpoint", "--data-dir", log, "--new-key", key, "--output", checkpoint).status == 0)
        let backup = directory.appending("log.backup")
        try #require(try rapport("backup", "--data-dir", log, "--to", backup).status == 0)
        let readable = [key + ".pub", checkpoint, backup]
        for path in [key] + readable { try chmod(path, 0o600) }
        let out = try nobodysDirectory("out")

        let cases: [(path: String, arguments: [String])] = [
            (key, ["checkpoint", "--data-dir", log, "--key", key, "--output", out + "/day-2.checkpoint"]),
            (key + ".pub", ["verify", "--data-dir", log, "--against", checkpoint, "--public-key", key + ".pub"]),
            (checkpoint, ["verify", "--data-dir", log, "--against", checkpoint]),
            (backup, ["restore", "--from", backup, "--data-dir", out + "/restored"]),
        ]
        for (path, arguments) in cases {
            // Everything else it needs is readable.
            for other in readable where other != path { try chmod(other, 0o644) }
            try chmod(path, 0o600)
            let run = try rapport(arguments, through: .unprivileged)
            expectDenied(run, naming: path, arguments[0])
            #expect(!run.errors.contains("doesn’t exist") && !run.errors.contains("doesn't exist"), "\(run.errors)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
    }
}
