import EventStore
import Foundation
import RapportTestSupport
import Testing

/// `rapport backup`, `restore`, `checkpoint` and `verify --against`, driven as an operator
/// would: real processes, real files.
@Suite("Backups and signed checkpoints")
struct BackupCommandTests {
    let directory = TemporaryDirectory("cli-backup")

    /// A demo log in `name`, small enough to build in a second or two.
    func demoLog(_ name: String, customers: Int = 20, seed: Int = 1) throws -> String {
        let log = directory.appending(name)
        let run = try rapport(
            "demo",
            "--data-dir",
            log,
            "--customers",
            "\(customers)",
            "--days",
            "60",
            "--seed",
            "\(seed)"
        )
        try #require(run.status == 0, "\(run.errors)")
        return log
    }

    func statistics(_ log: String) throws -> [String: Any] {
        let run = try rapport("stats", "--data-dir", log, "--json")
        try #require(run.status == 0, "\(run.errors)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    }

    func isAbsentOrEmpty(_ path: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).isEmpty
    }

    /// Leftovers of a backup or restore beside its files: none may remain.
    func stagingLeftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter {
            $0.contains(".backup-") || $0.contains(".restore-") || $0.hasSuffix(".partial")
        }
    }

    // MARK: - Backup and restore

    @Test("backup then restore gives a log with the same head hash, events and counts")
    func roundTrip() throws {
        let log = try demoLog("log")
        let file = directory.appending("log.backup")
        let backup = try rapport("backup", "--data-dir", log, "--to", file, "--json")
        #expect(backup.status == 0, "\(backup.errors)")
        let header = try #require(try JSONSerialization.jsonObject(with: Data(backup.output.utf8)) as? [String: Any])

        let restored = directory.appending("restored")
        let restore = try rapport("restore", "--from", file, "--data-dir", restored)
        #expect(restore.status == 0, "\(restore.errors)")
        #expect(restore.output.hasPrefix("ok: "))

        let original = try statistics(log)
        let copy = try statistics(restored)
        #expect(copy["headHash"] as? String == original["headHash"] as? String)
        #expect(copy["headPosition"] as? Int == original["headPosition"] as? Int)
        #expect(header["headHash"] as? String == original["headHash"] as? String)
        #expect(copy["events"] as? Int == original["events"] as? Int)
        #expect(copy["eventsByType"] as? [String: Int] == original["eventsByType"] as? [String: Int])
        #expect(copy["streams"] as? Int == original["streams"] as? Int)
        #expect(try rapport("verify", "--data-dir", restored).status == 0)
        #expect(stagingLeftovers().isEmpty)

        // A backup never overwrites a file, and a restore never writes into a log.
        let again = try rapport("backup", "--data-dir", log, "--to", file)
        #expect(again.status == 2)
        #expect(again.errors.contains("backup_exists"))
        let onto = try rapport("restore", "--from", file, "--data-dir", log)
        #expect(onto.status == 2)
        #expect(onto.errors.contains("target_not_empty"))
        #expect(try statistics(log)["headHash"] as? String == original["headHash"] as? String)
    }

    @Test("a backup taken while another writer appends restores a log that verifies and is a prefix of the live one")
    func backupWhileAppending() async throws {
        let live = TemporaryDirectory("cli-backup-live")
        let log = try openTestLog(live)
        for batch in 0..<20 {
            try await log.append(
                to: stream("customer-\(batch)"),
                (0..<100).map { _ in testEvent(payload: String(repeating: "x", count: 300)) }
            )
        }
        let file = directory.appending("live.backup")
        let process = try rapportProcess(["backup", "--data-dir", live.path, "--to", file])
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        var appended = 0
        // At least a few appends land while the backup runs, and the map grows under it.
        while process.isRunning || appended < 5 {
            try await log.append(
                to: stream("lead-\(appended)"),
                (0..<200).map { _ in testEvent(payload: String(repeating: "y", count: 300)) }
            )
            appended += 1
        }
        process.waitUntilExit()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(errorText)")

        let restored = directory.appending("restored")
        let restore = try rapport("restore", "--from", file, "--data-dir", restored, "--json")
        #expect(restore.status == 0, "\(restore.errors)")
        #expect(try rapport("verify", "--data-dir", restored).status == 0)
        let copy = try statistics(restored)
        let position = try #require(copy["headPosition"] as? Int)
        #expect(position >= 2_000)
        #expect(try log.chainHash(at: UInt64(position))?.hex == copy["headHash"] as? String)
        await log.close()
    }

    @Test(
        "a damaged backup is refused with exit 1 and leaves the target absent",
        arguments: ["flip", "truncate", "header", "foreign"]
    )
    func damagedBackup(damage: String) throws {
        let log = try demoLog("log")
        let file = directory.appending("log.backup")
        #expect(try rapport("backup", "--data-dir", log, "--to", file).status == 0)
        let url = URL(fileURLWithPath: file)
        var bytes = try Data(contentsOf: url)
        switch damage {
        case "flip": bytes[bytes.count / 2] ^= 0x40
        case "truncate": bytes = bytes.prefix(bytes.count * 2 / 3)
        case "header":
            // The recorded head no longer names the log inside.
            let range = try #require(bytes.range(of: Data("\"headPosition\":".utf8)))
            bytes[range.upperBound] =
                bytes[range.upperBound] == UInt8(ascii: "9") ? UInt8(ascii: "8") : UInt8(ascii: "9")
        default: bytes = Data("name,phone\nAcme,555\n".utf8)
        }
        try bytes.write(to: url)

        let restored = directory.appending("restored")
        let restore = try rapport("restore", "--from", file, "--data-dir", restored)
        #expect(restore.status == 1, "\(restore.output) \(restore.errors)")
        let expected = [
            "flip": "corrupt_backup", "truncate": "corrupt_backup", "header": "backup_head_mismatch",
            "foreign": "not_a_backup",
        ]
        #expect(restore.errors.contains(expected[damage] ?? "?"), "\(restore.errors)")
        #expect(!FileManager.default.fileExists(atPath: restored))
        #expect(stagingLeftovers().isEmpty)

        // An empty target directory given beforehand stays empty.
        try FileManager.default.createDirectory(atPath: restored, withIntermediateDirectories: true)
        #expect(try rapport("restore", "--from", file, "--data-dir", restored).status == 1)
        #expect(isAbsentOrEmpty(restored))
    }

    // MARK: - Signed checkpoints

    @Test("a checkpoint signed earlier verifies against the log after more appends")
    func checkpointThenAppend() async throws {
        let log = try demoLog("log")
        let key = directory.appending("auditor.pem")
        let checkpoint = directory.appending("day-1.checkpoint")
        let sign = try rapport("checkpoint", "--data-dir", log, "--new-key", key, "--output", checkpoint)
        #expect(sign.status == 0, "\(sign.errors)")
        let permissions = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(FileManager.default.fileExists(atPath: key + ".pub"))
        let saved = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: checkpoint))) as? [String: Any]
        )
        #expect(saved["position"] as? Int == (try statistics(log))["headPosition"] as? Int)
        #expect(saved["hash"] as? String == (try statistics(log))["headHash"] as? String)
        for field in ["signedAt", "publicKey", "signature"] { #expect(saved[field] is String, "\(field)") }

        let writer = try LMDBEventLog(directory: log)
        try await writer.append(to: stream("customer-after"), [testEvent(), testEvent()])
        await writer.close()

        let verify = try rapport("verify", "--data-dir", log, "--against", checkpoint, "--public-key", key + ".pub")
        #expect(verify.status == 0, "\(verify.output) \(verify.errors)")
        #expect(verify.output.hasPrefix("ok: the log extends the checkpoint"))

        // Signing again with the same key, from its file, gives a later checkpoint by the same signer.
        let later = try rapport("checkpoint", "--data-dir", log, "--key", key)
        #expect(later.status == 0, "\(later.errors)")
        let laterJSON = try #require(try JSONSerialization.jsonObject(with: Data(later.output.utf8)) as? [String: Any])
        #expect(laterJSON["publicKey"] as? String == saved["publicKey"] as? String)
        #expect((laterJSON["position"] as? Int ?? 0) == (saved["position"] as? Int ?? 0) + 2)
    }

    @Test(
        "a checkpoint fails with exit 1 and the reason against another log, another key, an edited file or a shorter log"
    )
    func checkpointTampering() throws {
        let log = try demoLog("log", customers: 20, seed: 1)
        let other = try demoLog("other", customers: 20, seed: 2)
        let shorter = try demoLog("shorter", customers: 5, seed: 1)
        let key = directory.appending("auditor.pem")
        let checkpoint = directory.appending("log.checkpoint")
        #expect(try rapport("checkpoint", "--data-dir", log, "--new-key", key, "--output", checkpoint).status == 0)
        let stranger = directory.appending("stranger.pem")
        #expect(try rapport("checkpoint", "--data-dir", other, "--new-key", stranger).status == 0)

        let otherLog = try rapport("verify", "--data-dir", other, "--against", checkpoint)
        #expect(otherLog.status == 1)
        let otherHead = try statistics(other)["headPosition"] as? Int ?? 0
        let checkpointPosition = try statistics(log)["headPosition"] as? Int ?? 0
        #expect(
            otherLog.output.contains(
                otherHead < checkpointPosition
                    ? "log shorter than the checkpoint" : "hash differs at position \(checkpointPosition)"
            ),
            "\(otherLog.output)"
        )

        let shorterLog = try rapport("verify", "--data-dir", shorter, "--against", checkpoint)
        #expect(shorterLog.status == 1)
        #expect(shorterLog.output.contains("log shorter than the checkpoint"), "\(shorterLog.output)")

        let wrongKey = try rapport(
            "verify",
            "--data-dir",
            log,
            "--against",
            checkpoint,
            "--public-key",
            stranger + ".pub"
        )
        #expect(wrongKey.status == 1)
        #expect(wrongKey.output.contains("wrong public key"), "\(wrongKey.output)")

        let edited = directory.appending("edited.checkpoint")
        var text = try String(contentsOfFile: checkpoint, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "\"position\" : \(checkpointPosition)",
            with: "\"position\" : \(checkpointPosition - 1)"
        )
        try text.write(toFile: edited, atomically: true, encoding: .utf8)
        let editedRun = try rapport("verify", "--data-dir", log, "--against", edited, "--public-key", key + ".pub")
        #expect(editedRun.status == 1)
        #expect(editedRun.output.contains("bad signature"), "\(editedRun.output)")
    }

    // MARK: - Refusals

    @Test("a wrong data directory, a missing file or a bad key is a clear error with exit 2")
    func wrongInputs() throws {
        let absent = directory.appending("absent")
        let backup = try rapport("backup", "--data-dir", absent, "--to", directory.appending("x.backup"))
        #expect(backup.status == 2)
        #expect(backup.errors.contains("no log at"), "\(backup.errors)")
        #expect(!FileManager.default.fileExists(atPath: directory.appending("x.backup")))
        #expect(!FileManager.default.fileExists(atPath: absent))

        let sign = try rapport("checkpoint", "--data-dir", absent, "--new-key", directory.appending("k.pem"))
        #expect(sign.status == 2)
        #expect(sign.errors.contains("no log at"))

        let missingBackup = try rapport(
            "restore",
            "--from",
            directory.appending("none.backup"),
            "--data-dir",
            directory.appending("r")
        )
        #expect(missingBackup.status == 2)
        #expect(missingBackup.errors.contains("backup_io_failure"), "\(missingBackup.errors)")

        let log = try demoLog("log")
        let missingCheckpoint = try rapport(
            "verify",
            "--data-dir",
            log,
            "--against",
            directory.appending("none.checkpoint")
        )
        #expect(missingCheckpoint.status == 2)
        #expect(missingCheckpoint.errors.contains("cannot read the checkpoint"))

        try Data("not a key".utf8).write(to: URL(fileURLWithPath: directory.appending("bad.pem")))
        let badKey = try rapport("checkpoint", "--data-dir", log, "--key", directory.appending("bad.pem"))
        #expect(badKey.status == 2)
        #expect(badKey.errors.contains("invalid_key"))

        let verifyAbsent = try rapport(
            "verify",
            "--data-dir",
            absent,
            "--against",
            directory.appending("none.checkpoint")
        )
        #expect(verifyAbsent.status == 2)
    }
}
