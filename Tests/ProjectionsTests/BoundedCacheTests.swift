import EventStore
import Foundation
import RapportTestSupport
import Testing

@testable import Projections

/// Writes a row of about a kilobyte under `position % 1,500` for each event, and keeps a running
/// total per stream: more than the smallest cache holds, so rows are let go and read back.
final class WideProjector: Projector {
    static let name = "wide"
    static let version: UInt32 = 1
    static let eventTypes: Set<String> = ["test.Happened", "test.Other"]

    struct WideRow: Codable, Sendable, Hashable {
        var positions: [UInt64] = []
        var filler = ""
    }

    let rows = ReadModelTable<WideRow>("rows")
    let totals = ReadModelTable<UInt64>("totals")
    var tables: [any ReadModelTableProtocol] { [rows, totals] }

    init() {}

    func apply(_ event: ProjectedEvent<String>) throws {
        let key = String(event.position % 1_500)
        rows.update(key, default: WideRow()) { row in
            row.positions.append(event.position)
            row.filler = String(repeating: event.payload, count: 1_000 / max(1, event.payload.utf8.count))
        }
        totals.update(event.stream.rawValue, default: 0) { $0 += event.position }
        // Every seventh event removes another row, which a later event may bring back.
        if event.position % 7 == 0 { rows[String((event.position / 7) % 1_500)] = nil }
    }
}

@Suite("Read models larger than their cache")
struct BoundedCacheTests {
    /// A store beside `world`'s log with a cache of `megabytes` MiB.
    private func store(_ world: ProjectionWorld, _ name: String, megabytes: Int) throws -> ReadModelStore {
        try ReadModelStore(
            directory: world.directory.path + "/\(name)",
            cacheMegabytes: megabytes,
            buildCacheMegabytes: megabytes
        )
    }

    /// A live runner of ``WideProjector`` over `world`'s log, into `store`.
    private func wideRunner(_ world: ProjectionWorld, _ store: ReadModelStore) -> ProjectionRunner<String> {
        ProjectionRunner(log: world.log, store: store, decoder: textDecoder, projectors: [WideProjector.self])
    }

    @Test("A build with the smallest cache stores exactly what a build that holds everything stores")
    func buildBeyondTheCache() async throws {
        let world = try ProjectionWorld("cache-build")
        try await appendEvents(world.log, count: 4_000, streams: 40)
        let small = try store(world, "small", megabytes: 1)
        let large = try store(world, "large", megabytes: 1_024)
        try await ProjectionBuilder.build([WideProjector.self], log: world.log, decoder: textDecoder, into: small)
        try await ProjectionBuilder.build([WideProjector.self], log: world.log, decoder: textDecoder, into: large)
        let rows = try small.contents(of: "wide")
        #expect(rows.reduce(0) { $0 + $1.bytes.count } > 1 << 20, "the read model outgrows the cache")
        #expect(rows == (try large.contents(of: "wide")))
        // Event 4,000 (position 4,000) went to row 4,000 % 1,500 = 1,000, after 1,000 and 2,500.
        let row = try #require(try small.row(WideProjector.WideRow.self, projector: "wide", table: "rows", key: "1000"))
        #expect(row.positions == [1_000, 2_500, 4_000])
    }

    @Test("The live runner with the smallest cache keeps to it and stores what a rebuild stores")
    func liveBeyondTheCache() async throws {
        let world = try ProjectionWorld("cache-live")
        try await appendEvents(world.log, count: 2_000, streams: 40)
        let live = try store(world, "live", megabytes: 1)
        let runner = wideRunner(world, live)
        try await runner.start()
        for round in 0..<4 {
            try await appendEvents(world.log, count: 500, streams: 40, from: 2_000 + round * 500)
            try await runner.catchUp()
            let cached = await runner.cachedBytes()
            #expect(cached <= live.cacheBytes, "after round \(round): \(cached) bytes cached")
        }
        // A restarted runner reads its rows from the store, not from a load of every row.
        try await appendEvents(world.log, count: 300, streams: 40, from: 4_000)
        let restarted = wideRunner(world, live)
        try await restarted.start()
        #expect(await restarted.cachedBytes() <= live.cacheBytes)
        let rebuilt = try store(world, "rebuilt", megabytes: 1_024)
        try await ProjectionBuilder.build([WideProjector.self], log: world.log, decoder: textDecoder, into: rebuilt)
        #expect(try live.contents(of: "wide") == rebuilt.contents(of: "wide"))
    }

    @Test("A rebuild while live, with the smallest cache, swaps in rows equal to a build from scratch")
    func rebuildBeyondTheCache() async throws {
        let world = try ProjectionWorld("cache-rebuild")
        try await appendEvents(world.log, count: 3_000, streams: 40)
        let live = try store(world, "live", megabytes: 1)
        let runner = wideRunner(world, live)
        try await runner.start()
        try await appendEvents(world.log, count: 200, streams: 40, from: 3_000)
        try await runner.rebuild()
        try await appendEvents(world.log, count: 200, streams: 40, from: 3_200)
        try await runner.catchUp()
        let rebuilt = try store(world, "rebuilt", megabytes: 1_024)
        try await ProjectionBuilder.build([WideProjector.self], log: world.log, decoder: textDecoder, into: rebuilt)
        #expect(try live.contents(of: "wide") == rebuilt.contents(of: "wide"))
    }

    @Test("Cache sizes out of range are clamped, never trusted")
    func cacheSizeClamped() throws {
        let directory = TemporaryDirectory("cache-clamp")
        let tiny = try ReadModelStore(directory: directory.path + "/tiny", cacheMegabytes: -5, buildCacheMegabytes: 0)
        #expect(tiny.cacheBytes == 1 << 20 && tiny.buildCacheBytes == 1 << 20)
        tiny.close()
        let huge = try ReadModelStore(
            directory: directory.path + "/huge",
            cacheMegabytes: .max,
            buildCacheMegabytes: .min
        )
        #expect(huge.cacheBytes == ReadModelStore.cacheMegabytesRange.upperBound << 20)
        #expect(huge.buildCacheBytes == 1 << 20)
        huge.close()
    }
}
