import EventStore
import Foundation
import Projections
import RapportTestSupport
import Synchronization
import Testing

@Suite("The live projection runner")
struct ProjectionRunnerTests {
    @Test("Start builds from the log; each later batch is applied once and committed with its checkpoint")
    func startThenFollow() async throws {
        let world = try ProjectionWorld("runner-follow")
        try await appendEvents(world.log, count: 30)
        let runner = world.runner()
        try await runner.start()
        #expect(await runner.checkpoint == 30)
        #expect(try world.store.status(of: "counting")?.checkpoint == 30)

        try await appendEvents(world.log, count: 20, from: 30)
        #expect(try await runner.lag().map(\.eventsBehind) == [20])
        #expect(try await runner.catchUp() == 50)
        #expect(try await runner.lag().map(\.eventsBehind) == [0])

        // Streams thing-0 … thing-4 got events 0, 5, 10, …: ten each; positions are index + 1.
        let row = try #require(
            try world.store.row(
                CountingProjector.StreamRow.self,
                projector: "counting",
                table: "streams",
                key: "thing-0"
            )
        )
        #expect(row.events == 10 && row.positionSum == (0..<10).map { UInt64($0 * 5 + 1) }.reduce(0, +))
        #expect(try world.store.row(Int.self, projector: "counting", table: "types", key: "test.Other") == 17)
        #expect(try world.store.contents(of: "counting") == (try await world.built()).contents(of: "counting"))
    }

    @Test("A restarted runner resumes from its checkpoint without applying anything twice")
    func restartResumes() async throws {
        let world = try ProjectionWorld("runner-restart")
        try await appendEvents(world.log, count: 25)
        try await world.runner().start()
        try await appendEvents(world.log, count: 25, from: 25)
        let second = world.runner()
        try await second.start()
        #expect(await second.checkpoint == 50)
        #expect(try world.store.contents(of: "counting") == (try await world.built()).contents(of: "counting"))
    }

    @Test("The live runner follows appends as they happen")
    func followsLive() async throws {
        let world = try ProjectionWorld("runner-live")
        let runner = world.runner()
        try await runner.start()
        let following = Task { try await runner.run() }
        let last = try await appendEvents(world.log, count: 40)
        let deadline = ContinuousClock.now + .seconds(10)
        while await runner.checkpoint < last, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        following.cancel()
        #expect(await runner.checkpoint == last)
        #expect(try world.store.contents(of: "counting") == (try await world.built()).contents(of: "counting"))
    }

    @Test("A projector whose version changed is rebuilt on start")
    func versionChangeRebuilds() async throws {
        let world = try ProjectionWorld("runner-version")
        try await appendEvents(world.log, count: 12)
        try await world.runner().start()
        #expect(try world.store.status(of: "counting")?.version == 1)
        try await world.runner([CountingProjectorV2.self]).start()
        let status = try #require(try world.store.status(of: "counting"))
        #expect(status.version == 2 && status.checkpoint == 12)
        #expect(try world.store.contents(of: "counting") == (try await world.built()).contents(of: "counting"))
    }

    @Test("A new version whose rows no longer decode as the old ones is rebuilt, not loaded")
    func versionChangeWithNewRows() async throws {
        let world = try ProjectionWorld("runner-new-rows")
        try await appendEvents(world.log, count: 12)
        try await world.runner().start()
        try await world.runner([LastPayloadProjector.self]).start()
        #expect(try world.store.status(of: "counting")?.version == 3)
        #expect(try world.store.row(String.self, projector: "counting", table: "streams", key: "thing-1") == "event 11")
    }

    @Test("A rebuild while the runner is live swaps in rows equal to a build from scratch")
    func rebuildWhileLive() async throws {
        let world = try ProjectionWorld("runner-rebuild")
        try await appendEvents(world.log, count: 60)
        let runner = world.runner([CountingProjector.self, TypeCounter.self])
        try await runner.start()
        let following = Task { try await runner.run() }
        let appending = Task { try await appendEvents(world.log, count: 60, from: 60) }
        let reports = ProgressRecorder()
        try await runner.rebuild(["counting"], progress: reports.record)
        let last = try await appending.value
        let deadline = ContinuousClock.now + .seconds(10)
        while await runner.checkpoint < last, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        following.cancel()
        #expect(await runner.checkpoint == last)
        let reference = try await world.built([CountingProjector.self, TypeCounter.self])
        #expect(try world.store.contents(of: "counting") == reference.contents(of: "counting"))
        #expect(try world.store.contents(of: "type-counter") == reference.contents(of: "type-counter"))
        #expect(reports.last?.isFinished == true)
        await #expect(throws: ProjectionError.self) { try await runner.rebuild(["no-such-model"]) }
    }

    @Test("A refused event commits nothing of its batch and names the projector and position")
    func refusedEventCommitsNothing() async throws {
        let world = try ProjectionWorld("runner-refused")
        try await appendEvents(world.log, count: 10)
        let runner = world.runner()
        try await runner.start()
        let before = try world.store.contents(of: "counting")
        try await world.log.append(
            to: stream("thing-1"),
            [testEvent(payload: "fine"), testEvent(payload: "refuse me")]
        )
        let error = await #expect(throws: ProjectionError.self) { try await runner.catchUp() }
        #expect(error?.code == .applyFailed && error?.projector == "counting" && error?.position == 12)
        #expect(try world.store.contents(of: "counting") == before)
        #expect(try world.store.status(of: "counting")?.checkpoint == 10)
        #expect(await runner.checkpoint == 10)
    }

    @Test("An undecodable event stops the build with its position, and the store keeps what it had")
    func undecodableEvent() async throws {
        let world = try ProjectionWorld("runner-undecodable")
        try await appendEvents(world.log, count: 3)
        try await world.log.append(to: stream("thing-9"), [testEvent(payload: "undecodable bytes")])
        let error = await #expect(throws: ProjectionError.self) {
            try await ProjectionBuilder.build(
                [CountingProjector.self],
                log: world.log,
                decoder: textDecoder,
                into: world.store
            )
        }
        #expect(error?.code == .undecodableEvent && error?.position == 4)
        #expect(try world.store.status(of: "counting") == nil)
    }
}

/// Keeps progress reports for a test to inspect.
final class ProgressRecorder: Sendable {
    private let reports = Mutex<[ProjectionProgress]>([])
    var last: ProjectionProgress? { reports.withLock { $0.last } }
    var all: [ProjectionProgress] { reports.withLock { $0 } }
    var record: ProjectionProgressHandler { { progress in self.reports.withLock { $0.append(progress) } } }
}
