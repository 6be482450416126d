import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("Stream snapshots")
struct StreamSnapshotTests {
    let directory = TemporaryDirectory("snapshots")

    /// Appends `count` events to `name` and returns the last one as the log recorded it.
    func appendEvents(_ count: Int, to name: String, in log: LMDBEventLog) async throws -> RecordedEvent {
        try await log.append(to: stream(name), (0..<count).map { _ in testEvent() })
        return try #require(try log.readStream(stream(name), from: .max, direction: .backward, limit: 1).first)
    }

    @Test("an offered snapshot is written with the next append, not at once on its own, and read back as offered")
    func ridesAlong() async throws {
        let log = try openTestLog(directory)
        let last = try await appendEvents(3, to: "contract-a", in: log)
        let offered = StreamSnapshot(of: last, state: Array("state at 2".utf8))
        let offeredAt = ContinuousClock.now
        log.offerSnapshot(offered)
        // No commit of its own within the quiet period (5 s): nothing kept until an append
        // commits. (A machine that stalled this task past the period proves nothing either way.)
        try await Task.sleep(for: .milliseconds(50))
        let early = try log.snapshot(of: stream("contract-a"))
        if ContinuousClock.now - offeredAt < .seconds(4) { #expect(early == nil) }
        try await log.append(to: stream("lead-b"), [testEvent()])
        let kept = try #require(try log.snapshot(of: stream("contract-a")))
        #expect(kept == offered)
        #expect(kept.isAnchored(at: last))
        #expect((kept.version, kept.position, kept.hash) == (2, last.position, last.hash))
        await log.close()
    }

    @Test("a snapshot offered to a log with nothing else to write is written on its own after a quiet period")
    func writtenWhenQuiet() async throws {
        let log = try openTestLog(directory)
        let last = try await appendEvents(3, to: "user-q", in: log)
        let offered = StreamSnapshot(of: last, state: [42])
        let offeredAt = ContinuousClock.now
        log.offerSnapshot(offered)
        let deadline = offeredAt + .seconds(30)
        var kept: StreamSnapshot?
        while kept == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            kept = try log.snapshot(of: stream("user-q"))
        }
        #expect(kept == offered, "written without an append")
        #expect(ContinuousClock.now - offeredAt >= .seconds(5), "not before the quiet period")
        #expect(try log.head().position == last.position, "no event appended for it")
        await log.close()
    }

    @Test("the latest version offered for a stream wins; the snapshots waiting are written when the log closes")
    func latestWinsAndCloseWrites() async throws {
        var log = try openTestLog(directory)
        let first = try await appendEvents(2, to: "user-a", in: log)
        let second = try await appendEvents(2, to: "user-a", in: log)
        log.offerSnapshot(StreamSnapshot(of: second, state: [2]))
        log.offerSnapshot(StreamSnapshot(of: first, state: [1]))
        await log.close()
        log = try openTestLog(directory)
        let kept = try #require(try log.snapshot(of: stream("user-a")))
        #expect(kept.state == [2] && kept.version == 3)
        #expect(try log.snapshot(of: stream("user-b")) == nil)
        await log.close()
    }

    @Test("the anchor is the event's stream, version, position and chain hash; another log's event is no anchor")
    func anchors() async throws {
        let log = try openTestLog(directory)
        let other = TemporaryDirectory("snapshots-other")
        let otherLog = try openTestLog(other)
        let mine = try await appendEvents(2, to: "user-a", in: log)
        // The same stream, version and position in another log: only the chain hash differs.
        let theirs = try await appendEvents(2, to: "user-a", in: otherLog)
        #expect((theirs.streamVersion, theirs.position) == (mine.streamVersion, mine.position))
        let snapshot = StreamSnapshot(of: mine, state: [])
        #expect(snapshot.isAnchored(at: mine))
        #expect(!snapshot.isAnchored(at: theirs))
        let earlier = try #require(try log.readStream(stream("user-a")).first)
        #expect(!snapshot.isAnchored(at: earlier))
        await log.close()
        await otherLog.close()
    }

    @Test("a snapshot damaged on disk reads as none")
    func damaged() async throws {
        var log = try openTestLog(directory)
        let last = try await appendEvents(1, to: "contract-a", in: log)
        log.offerSnapshot(StreamSnapshot(of: last, state: Array("a state worth keeping".utf8)))
        await log.close()
        #expect(try flipStoredByte(of: "worth keeping", in: directory))
        log = try openTestLog(directory)
        #expect(try log.snapshot(of: stream("contract-a")) == nil)
        await log.close()
    }

    @Test("a read-only log reads the snapshots kept and ignores offers")
    func readOnly() async throws {
        let writer = try openTestLog(directory)
        let last = try await appendEvents(1, to: "user-a", in: writer)
        writer.offerSnapshot(StreamSnapshot(of: last, state: [7]))
        try await writer.append(to: stream("lead-a"), [testEvent()])
        let reader = try openReadOnlyLog(directory)
        #expect(try reader.snapshot(of: stream("user-a"))?.state == [7])
        reader.offerSnapshot(StreamSnapshot(of: last, state: [8]))
        try await writer.append(to: stream("lead-a"), [testEvent()])
        #expect(try reader.snapshot(of: stream("user-a"))?.state == [7])
        await reader.close()
        await writer.close()
    }
}
