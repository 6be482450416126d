import EventStore
import Foundation
import RapportTestSupport
import Testing

/// `replay`, `export` and `import` driven as an operator would: real processes, real files.
@Suite("rapport replay, export and import")
struct RapportArchiveTests {
    let directory = TemporaryDirectory("archive")

    // MARK: - Replay

    /// Twenty events in three recording moments at least a second apart:
    /// positions 1–5 `customer-1` (`test.A`); 6–15 alternately `customer-2` (`test.B`, even
    /// positions) and `order-1` (`test.A`, odd); 16–20 `customer-1` (`test.A`).
    private func timedLog() async throws -> String {
        let path = directory.appending("timed")
        let log = try LMDBEventLog(directory: path)
        func events(_ type: String, _ count: Int) -> [EventData] {
            (0..<count).map { EventData(type: type, payload: Array("payload \($0)".utf8)) }
        }
        try await log.append(to: StreamName("customer-1"), events("test.A", 5))
        try await Task.sleep(for: .milliseconds(1_050))
        for _ in 0..<5 {
            try await log.append(to: StreamName("customer-2"), events("test.B", 1))
            try await log.append(to: StreamName("order-1"), events("test.A", 1))
        }
        try await Task.sleep(for: .milliseconds(1_050))
        try await log.append(to: StreamName("customer-1"), events("test.A", 5))
        await log.close()
        return path
    }

    private func lines(_ run: Run) -> [[String: Any]] {
        run.output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    private func positions(_ run: Run) -> [Int] { lines(run).compactMap { $0["position"] as? Int } }

    /// The whole second at or after a line's recorded time, as ISO 8601.
    private func second(of line: [String: Any], roundingUp: Bool) throws -> String {
        let recordedAt = try #require(line["recordedAt"] as? String)
        let floor = try Date(String(recordedAt.prefix(19)) + "Z", strategy: .iso8601)
        return (roundingUp ? floor.addingTimeInterval(1) : floor).formatted(.iso8601)
    }

    @Test(
        "replay prints every event as canonical JSON in a stable key order, and ranges and filters select the expected events"
    )
    func replay() async throws {
        let log = try await timedLog()
        let all = try rapport("replay", "--data-dir", log)
        #expect(all.status == 0, "\(all.errors)")
        #expect(positions(all) == Array(1...20))
        // Progress goes to standard error, where it never mixes with the events.
        #expect(all.errors.contains("20/20 positions (100%)"), "\(all.errors)")
        let first = try #require(all.output.split(separator: "\n").first)
        let keys = [
            "position", "stream", "streamVersion", "id", "type", "schemaVersion", "contentType", "recordedAt",
            "occurredAt", "actor", "correlationID", "causationID", "data",
        ]
        var cursor = first.startIndex
        for key in keys {
            let found = try #require(first.range(of: "\"\(key)\":", range: cursor..<first.endIndex), "\(key) in order")
            cursor = found.upperBound
        }
        #expect(
            first.contains(#""data":"\#(Data("payload 0".utf8).base64EncodedString())""#),
            "an unknown type's payload is base64"
        )
        #expect(first.contains(#""correlationID":null"#))

        #expect(positions(try rapport("replay", "--data-dir", log, "--from", "4", "--to", "8")) == [4, 5, 6, 7, 8])
        #expect(positions(try rapport("replay", "--data-dir", log, "--from", "18")) == [18, 19, 20])
        #expect(
            positions(try rapport("replay", "--data-dir", log, "--stream", "customer-1")) == [
                1, 2, 3, 4, 5, 16, 17, 18, 19, 20,
            ]
        )
        #expect(positions(try rapport("replay", "--data-dir", log, "--type", "test.B")) == [6, 8, 10, 12, 14])
        #expect(
            positions(
                try rapport("replay", "--data-dir", log, "--category", "order", "--category", "customer", "--to", "7")
            ) == Array(1...7)
        )
        #expect(
            positions(try rapport("replay", "--data-dir", log, "--category", "customer", "--type", "test.A")) == [
                1, 2, 3, 4, 5, 16, 17, 18, 19, 20,
            ]
        )
        #expect(
            positions(
                try rapport(
                    "replay",
                    "--data-dir",
                    log,
                    "--type",
                    "test.A",
                    "--type",
                    "test.B",
                    "--from",
                    "14",
                    "--to",
                    "16"
                )
            ) == [14, 15, 16]
        )
        #expect(try rapport("replay", "--data-dir", log, "--type", "test.C").output.isEmpty)

        let parsed = lines(all)
        let sixth = try second(of: parsed[5], roundingUp: false)
        #expect(positions(try rapport("replay", "--data-dir", log, "--as-of", sixth)) == [1, 2, 3, 4, 5])
        let afterFifteenth = try second(of: parsed[14], roundingUp: true)
        #expect(
            positions(try rapport("replay", "--data-dir", log, "--from-time", afterFifteenth)) == [16, 17, 18, 19, 20]
        )
        #expect(
            positions(
                try rapport(
                    "replay",
                    "--data-dir",
                    log,
                    "--from-time",
                    sixth,
                    "--to-time",
                    afterFifteenth,
                    "--type",
                    "test.B"
                )
            ) == [6, 8, 10, 12, 14]
        )
    }

    @Test("replay refuses bad arguments with status 64 and a missing log with status 2")
    func replayRefusals() throws {
        let log = directory.appending("absent")
        for arguments in [
            ["--from", "0"], ["--from", "5", "--to", "4"], ["--stream", "nodash"], ["--as-of", "yesterday"],
            ["--as-of", "2026-01-01T00:00:00Z", "--to-time", "2026-01-01T00:00:00Z"],
        ] {
            let run = try rapport(["replay", "--data-dir", log] + arguments)
            #expect(run.status == 64, "\(arguments): \(run.errors)")
        }
        let missing = try rapport("replay", "--data-dir", log)
        #expect(missing.status == 2)
        #expect(missing.errors.contains("no log at"))
        #expect(!FileManager.default.fileExists(atPath: log))
    }

    // MARK: - Export and import

    private func demoLog(_ name: String) throws -> String {
        let log = directory.appending(name)
        let demo = try rapport("demo", "--data-dir", log, "--customers", "300", "--days", "60")
        #expect(demo.status == 0, "\(demo.errors)")
        return log
    }

    private func stats(_ log: String) throws -> [String: Any] {
        let run = try rapport("stats", "--data-dir", log, "--json")
        #expect(run.status == 0, "\(run.errors)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    }

    @Test(
        "export then import into a new directory reproduces the chain, the unique keys and every replayed event",
        arguments: ["ndjson", "binary"]
    )
    func roundTrip(format: String) throws {
        let source = try demoLog("source")
        let file = directory.appending("log.\(format).zst")
        let export = try rapport("export", "--data-dir", source, "--format", format, "--output", file)
        #expect(export.status == 0, "\(export.errors)")
        let copy = directory.appending("copy")
        let imported = try rapport("import", "--data-dir", copy, "--input", file)
        #expect(imported.status == 0, "\(imported.errors)")

        let verify = try rapport("verify", "--data-dir", copy)
        #expect(verify.status == 0, "\(verify.output)")
        let before = try stats(source)
        let after = try stats(copy)
        #expect((before["events"] as? Int ?? 0) > 1_000)
        #expect(after["headHash"] as? String == before["headHash"] as? String)
        #expect(after["events"] as? Int == before["events"] as? Int)
        #expect((before["uniqueKeys"] as? Int ?? 0) > 0)
        #expect(after["uniqueKeys"] as? Int == before["uniqueKeys"] as? Int)
        let original = try rapport("replay", "--data-dir", source)
        #expect(original.output.contains(#""type":"crm.v1.CustomerCreated","schemaVersion":1"#))
        #expect(original.output.contains(#","data":{"#), "catalogued payloads are protobuf JSON")
        #expect(try rapport("replay", "--data-dir", copy).output == original.output)

        // Importing the same file again finds everything in place and changes nothing.
        let again = try rapport("import", "--data-dir", copy, "--input", file)
        #expect(again.status == 0, "\(again.errors)")
        #expect(try stats(copy)["headHash"] as? String == before["headHash"] as? String)
    }

    @Test("a range export continues a log whose head matches its start, and is refused by one that does not")
    func rangeExports() throws {
        let source = try demoLog("source")
        let total = try #require(try stats(source)["events"] as? Int)
        let middle = total / 2
        let first = directory.appending("first.rpx")
        let second = directory.appending("second.ndjson.zst")
        #expect(
            try rapport(
                "export",
                "--data-dir",
                source,
                "--format",
                "binary",
                "--uncompressed",
                "--to",
                "\(middle)",
                "--output",
                first
            ).status == 0
        )
        #expect(try rapport("export", "--data-dir", source, "--from", "\(middle + 1)", "--output", second).status == 0)

        let copy = directory.appending("copy")
        let early = try rapport("import", "--data-dir", copy, "--input", second)
        #expect(early.status == 2)
        #expect(early.errors.contains("log_mismatch"))
        #expect(try rapport("import", "--data-dir", copy, "--input", first).status == 0)
        #expect(try stats(copy)["events"] as? Int == middle)
        let rest = try rapport("import", "--data-dir", copy, "--input", second)
        #expect(rest.status == 0, "\(rest.errors)")
        #expect(try stats(copy)["headHash"] as? String == stats(source)["headHash"] as? String)
        #expect(try rapport("verify", "--data-dir", copy).status == 0)
    }

    @Test(
        "a damaged or cut export stops the import with the line or byte, status 65, and the target log unchanged",
        arguments: ["ndjson", "binary"]
    )
    func damagedExports(format: String) throws {
        let source = try demoLog("source")
        let total = try #require(try stats(source)["events"] as? Int)
        let firstPart = directory.appending("first")
        let rest = directory.appending("rest")
        let whole = directory.appending("whole")
        let head = total / 3
        #expect(
            try rapport("export", "--data-dir", source, "--format", format, "--to", "\(head)", "--output", firstPart)
                .status == 0
        )
        #expect(
            try rapport(
                "export",
                "--data-dir",
                source,
                "--format",
                format,
                "--from",
                "\(head + 1)",
                "--uncompressed",
                "--output",
                rest
            ).status == 0
        )
        #expect(try rapport("export", "--data-dir", source, "--format", format, "--output", whole).status == 0)
        let target = directory.appending("target")
        #expect(try rapport("import", "--data-dir", target, "--input", firstPart).status == 0)
        let targetHead = try #require(try stats(target)["headHash"] as? String)
        let location = format == "ndjson" ? "line " : "byte "

        let plain = try Data(contentsOf: URL(fileURLWithPath: rest))
        let compressed = try Data(contentsOf: URL(fileURLWithPath: whole))
        var damaged: [(String, Data)] = []
        var flipped = plain
        flipped[plain.count / 2] ^= 0x04
        damaged.append(("flipped", flipped))
        damaged.append(("cut", plain.prefix(plain.count / 2)))
        damaged.append(("cut at the end", plain.prefix(plain.count - 10)))
        var flippedCompressed = compressed
        flippedCompressed[compressed.count / 2] ^= 0x04
        damaged.append(("flipped compressed", flippedCompressed))
        damaged.append(("cut compressed", compressed.prefix(compressed.count / 2)))

        for (name, bytes) in damaged {
            let file = directory.appending("damaged-\(name)")
            try bytes.write(to: URL(fileURLWithPath: file))
            let run = try rapport("import", "--data-dir", target, "--input", file, "--batch-size", "1000000")
            #expect(run.status == 65, "\(name): \(run.errors)")
            #expect(run.errors.contains("import stopped"), "\(name): \(run.errors)")
            if !name.contains("compressed") { #expect(run.errors.contains(location), "\(name): \(run.errors)") }
            #expect(try stats(target)["headHash"] as? String == targetHead, "\(name)")
        }
        #expect(try rapport("verify", "--data-dir", target).status == 0)
        // The undamaged file still goes in after all that.
        #expect(try rapport("import", "--data-dir", target, "--input", rest).status == 0)
        #expect(try stats(target)["headHash"] as? String == stats(source)["headHash"] as? String)
    }

    @Test("import refuses a log another process holds for writing, and appends nothing")
    func importBesideAWriter() async throws {
        let file = directory.appending("held.zst")
        #expect(try rapport("export", "--data-dir", try demoLog("held-source"), "--output", file).status == 0)
        let target = directory.appending("held-target")
        let writer = try LMDBEventLog(directory: target)
        let refused = try rapport("import", "--data-dir", target, "--input", file)
        #expect(refused.status == 2, "\(refused.errors)")
        #expect(refused.errors.contains("writer_locked"), "\(refused.errors)")
        #expect(try writer.head().position == 0)
        await writer.close()
    }

    @Test("export and import refuse a wrong data directory, an existing output and a file that is no export")
    func refusals() throws {
        let missing = try rapport(
            "export",
            "--data-dir",
            directory.appending("absent"),
            "--output",
            directory.appending("x")
        )
        #expect(missing.status == 2)
        #expect(missing.errors.contains("no log at"))
        #expect(!FileManager.default.fileExists(atPath: directory.appending("x")))

        let source = try demoLog("source")
        let existing = directory.appending("existing")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))
        let overwrite = try rapport("export", "--data-dir", source, "--output", existing)
        #expect(overwrite.status == 64)
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")

        let notExport = try rapport("import", "--data-dir", directory.appending("copy"), "--input", existing)
        #expect(notExport.status == 65)
        #expect(notExport.errors.contains("not_an_export"))

        let file = directory.appending("log.zst")
        #expect(try rapport("export", "--data-dir", source, "--output", file).status == 0)
        let intoFile = try rapport("import", "--data-dir", existing, "--input", file)
        #expect(intoFile.status == 2)
        #expect(intoFile.errors.contains("existing"))
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
        let intoOther = try rapport("import", "--data-dir", source, "--input", file)
        #expect(intoOther.status == 0, "a log that already holds the whole export is resumed, not doubled")
        let other = try demoLog("other")
        let partial = directory.appending("partial.zst")
        #expect(try rapport("export", "--data-dir", source, "--from", "2", "--output", partial).status == 0)
        let mismatch = try rapport("import", "--data-dir", other, "--input", partial)
        #expect(mismatch.status == 2, "\(mismatch.errors)")
        #expect(mismatch.errors.contains("log_mismatch"))
    }
}
