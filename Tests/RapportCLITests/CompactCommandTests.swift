import EventStore
import Foundation
import RapportTestSupport
import Testing

/// `rapport compact` as an operator runs it: on a demo history, beside other processes, and
/// killed half-way.
@Suite("rapport compact")
struct CompactCommandTests {
    let directory = TemporaryDirectory("compact-command")

    private func demoLog(_ name: String) throws -> String {
        let log = directory.appending(name)
        let demo = try rapport("demo", "--data-dir", log, "--customers", "300", "--days", "60")
        try #require(demo.status == 0, "\(demo.errors)")
        return log
    }

    private func replay(_ log: String) throws -> String {
        let run = try rapport("replay", "--data-dir", log)
        #expect(run.status == 0, "\(run.errors)")
        return run.output
    }

    private func json(_ run: Run) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
    }

    @Test("compact then replay gives the same events, the chain verifies, and the file shrinks")
    func roundTrip() throws {
        let log = try demoLog("log")
        let before = try replay(log)
        let statsBefore = try json(try rapport("stats", "--data-dir", log, "--json"))
        let events = try #require(statsBefore["events"] as? Int)
        try #require(events > 2_000)

        let compact = try rapport("compact", "--data-dir", log, "--keep-hot", "500", "--json")

        #expect(compact.status == 0, "\(compact.errors)")
        let report = try json(compact)
        let sealed = try #require(report["sealedEvents"] as? Int)
        #expect(sealed == events - 500)
        #expect(try #require(report["ratio"] as? Double) <= 0.40)
        #expect(try #require(report["fileBytesAfter"] as? Int) < (try #require(report["fileBytesBefore"] as? Int)))
        #expect(try replay(log) == before)
        let verify = try rapport("verify", "--data-dir", log)
        #expect(verify.status == 0, "\(verify.output) \(verify.errors)")
        let stats = try json(try rapport("stats", "--data-dir", log, "--json"))
        #expect(stats["sealedEvents"] as? Int == sealed)
        #expect(stats["headHash"] as? String == statsBefore["headHash"] as? String)
        #expect(stats["compactions"] as? Int == 1)
        let table = try rapport("stats", "--data-dir", log)
        #expect(table.output.contains("compacted    \(sealed) events"), "\(table.output)")

        let again = try rapport("compact", "--data-dir", log, "--keep-hot", "500")
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output.contains("sealed       nothing"), "\(again.output)")
    }

    @Test("beside a reader the events are sealed but the space is not reclaimed, and a later run reclaims it")
    func besideAReader() async throws {
        let log = try demoLog("read")
        let before = try replay(log)
        // This test process is the other process that has the log open, as a follower would.
        var options = LMDBEventLog.Options()
        options.readOnly = true
        let reader = try LMDBEventLog(directory: log, options: options)
        let readerHead = try reader.head()

        let compact = try rapport("compact", "--data-dir", log, "--keep-hot", "100")

        #expect(compact.status == 2)
        #expect(compact.errors.contains("log_in_use"), "\(compact.errors)")
        #expect(try reader.readAll().count == Int(readerHead.position), "the reader still reads every event")
        #expect(try reader.verify().isIntact)
        await reader.close()
        #expect(try replay(log) == before)

        let reclaim = try rapport("compact", "--data-dir", log, "--keep-hot", "100", "--json")
        #expect(reclaim.status == 0, "\(reclaim.errors)")
        let report = try json(reclaim)
        #expect(report["sealedEvents"] as? Int == 0)
        #expect(try #require(report["fileBytesAfter"] as? Int) < (try #require(report["fileBytesBefore"] as? Int)))
        #expect(try replay(log) == before)
        #expect(try rapport("verify", "--data-dir", log).status == 0)
    }

    @Test(
        "a compaction killed between commits leaves a log that verifies, reads the same, and finishes on the next run"
    )
    func killedHalfWay() throws {
        let log = try demoLog("killed")
        let before = try replay(log)

        let killed = try rapport(
            "compact",
            "--data-dir",
            log,
            "--keep-hot",
            "100",
            "--chunk-events",
            "16",
            "--crash-after-events",
            "1500"
        )

        #expect(killed.status == SIGKILL, "\(killed.status) \(killed.errors)")
        let stats = try json(try rapport("stats", "--data-dir", log, "--json"))
        let sealed = try #require(stats["sealedEvents"] as? Int)
        #expect(sealed == 2_048, "two commits of 64 chunks of 16 events")
        #expect(try rapport("verify", "--data-dir", log).status == 0)
        #expect(try replay(log) == before)

        let finished = try rapport("compact", "--data-dir", log, "--keep-hot", "100", "--json")
        #expect(finished.status == 0, "\(finished.errors)")
        #expect(try json(finished)["from"] as? Int == sealed + 1)
        #expect(try rapport("verify", "--data-dir", log).status == 0)
        #expect(try replay(log) == before)
        #expect(try json(try rapport("stats", "--data-dir", log, "--json"))["compactions"] as? Int == 2)
    }

    @Test("refusals: no log, a writer holding the log, a bad chunk size")
    func refusals() async throws {
        let missing = try rapport("compact", "--data-dir", directory.appending("absent"))
        #expect(missing.status == 2)
        #expect(missing.errors.contains("log_not_found"), "\(missing.errors)")

        let badChunk = try rapport("compact", "--data-dir", directory.appending("absent"), "--chunk-events", "0")
        #expect(badChunk.status == 64)

        let held = directory.appending("held")
        let writer = try LMDBEventLog(directory: held)
        try await writer.append(to: StreamName("lead-1"), [testEvent()])
        let refused = try rapport("compact", "--data-dir", held, "--keep-hot", "0")
        #expect(refused.status == 2)
        #expect(refused.errors.contains("writer_locked"), "\(refused.errors)")
        #expect(try writer.readAll().count == 1)
        await writer.close()
    }
}
