import EventStore
import Foundation
import Projections
import RapportTestSupport
import Testing

@Suite("Read models as of a point")
struct AsOfTests {
    @Test("As of a position equals a build of the log cut at that position")
    func asOfPosition() async throws {
        let world = try ProjectionWorld("asof-position")
        try await appendEvents(world.log, count: 20)
        let cut = try await world.built()
        try await appendEvents(world.log, count: 20, from: 20)
        let asOf = try await world.built(asOf: .position(20))
        #expect(try asOf.contents(of: "counting") == cut.contents(of: "counting"))
        #expect(try asOf.status(of: "counting")?.checkpoint == 20)
        #expect(try asOf.status(of: "counting")?.asOf == .position(20))
    }

    @Test("As of a recorded time holds what the log had recorded by then")
    func asOfRecordedTime() async throws {
        let world = try ProjectionWorld("asof-recorded")
        try await appendEvents(world.log, count: 15)
        let cut = try await world.built()
        let knownThen = try world.log.head().recordedAt
        try await Task.sleep(for: .milliseconds(2))
        try await appendEvents(world.log, count: 15, from: 15)
        let asOf = try await world.built(asOf: .recordedTime(knownThen))
        #expect(try asOf.contents(of: "counting") == cut.contents(of: "counting"))
        #expect(try asOf.status(of: "counting")?.checkpoint == 15)
    }

    @Test("As of an occurred time includes facts recorded later about earlier times, and leaves out later ones")
    func asOfOccurredTime() async throws {
        let world = try ProjectionWorld("asof-occurred")
        let early = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000)
        let late = Timestamp(nanosecondsSinceEpoch: 1_800_000_000_000_000_000)
        try await appendEvents(world.log, count: 6, occurredAt: early)
        try await appendEvents(world.log, count: 6, from: 6, occurredAt: late)
        // A migration records more of the early period after the late events.
        try await appendEvents(world.log, count: 6, from: 12, occurredAt: early)
        let asOf = try await world.built(asOf: .occurredTime(early))
        // Events 0-5 and 12-17: types follow the index, 0, 3, 12 and 15 are test.Other.
        #expect(try asOf.row(Int.self, projector: "counting", table: "types", key: "test.Other") == 4)
        #expect(try asOf.row(Int.self, projector: "counting", table: "types", key: "test.Happened") == 8)
        #expect(try asOf.status(of: "counting")?.checkpoint == 18)
    }

    @Test("Building as of a point never touches the live store")
    func liveStoreUntouched() async throws {
        let world = try ProjectionWorld("asof-untouched")
        try await appendEvents(world.log, count: 10)
        try await world.runner().start()
        let live = try world.store.contents(of: "counting")
        _ = try await world.built(asOf: .position(4))
        #expect(try world.store.contents(of: "counting") == live)
        #expect(try world.store.status(of: "counting")?.checkpoint == 10)
    }
}
