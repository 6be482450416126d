import CRMReadModels
import CRMWorkload
import EventStore
import Foundation
import Projections
import RapportTestSupport
import Testing

@Suite("Live read models and rebuilt ones agree")
struct LiveRebuildDeterminismTests {
    @Test(
        "Every read model built live while a 100,000-event history is written equals the same read model rebuilt from scratch, both with caches far smaller than the read models"
    )
    func liveEqualsRebuilt() async throws {
        let directory = TemporaryDirectory("live-rebuild")
        let log = try openTestLog(directory)
        // Caches far smaller than the read models: rows are let go and read back from the store
        // all along, and the build writes what outgrows its cache as it goes.
        let live = try ReadModelStore(
            directory: directory.appending("live"),
            cacheMegabytes: 8,
            buildCacheMegabytes: 8
        )
        let runner = ProjectionRunner(
            log: log,
            store: live,
            decoder: CRMProjections.decoder,
            projectors: CRMProjections.all
        )
        try await runner.start()
        let following = Task { try await runner.run() }

        var options = WorkloadOptions()
        (options.customers, options.days) = (4_400, 730)
        let summary = try await WorkloadGenerator(options: options, log: log).run()
        try #require(summary.events >= 100_000, "the history must hold at least 100,000 events, not \(summary.events)")
        let head = try log.head().position
        let deadline = ContinuousClock.now + .seconds(600)
        while await runner.checkpoint < head, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        following.cancel()
        #expect(await runner.checkpoint == head)

        let rebuilt = try ReadModelStore(
            directory: directory.appending("rebuilt"),
            cacheMegabytes: 16,
            buildCacheMegabytes: 16
        )
        try await ProjectionBuilder.build(CRMProjections.all, log: log, decoder: CRMProjections.decoder, into: rebuilt)
        #expect(!CRMProjections.all.isEmpty)
        var storedBytes = 0
        for projector in CRMProjections.all {
            let liveRows = try live.contents(of: projector.name)
            storedBytes += liveRows.reduce(0) { $0 + $1.bytes.count }
            #expect(!liveRows.isEmpty, "\(projector.name) holds rows")
            #expect(liveRows == (try rebuilt.contents(of: projector.name)), "\(projector.name)")
            #expect(try live.status(of: projector.name)?.checkpoint == head)
        }
        #expect(
            storedBytes * 3 > 2 * rebuilt.buildCacheBytes,
            "the read models outgrow both caches: \(storedBytes) bytes"
        )
    }
}
