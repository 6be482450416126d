import EventStore
import Projections
import RapportTestSupport
import Testing

@Suite("Comparing a read model's rows in two stores")
struct ReadModelComparisonTests {
    @Test("Two builds of one log compare equal, row for row")
    func identicalBuilds() async throws {
        let world = try ProjectionWorld("compare-identical")
        try await appendEvents(world.log, count: 20)
        let first = try await world.built()
        let second = try await world.built()
        let comparison = try first.compare("counting", with: second)
        #expect(comparison.firstDifference == nil)
        #expect(comparison.rowsCompared == (try first.contents(of: "counting")).count)
        #expect(comparison.rowsCompared == 7)
    }

    @Test("A row with other bytes is the first difference, named by table and key")
    func differingRow() async throws {
        let world = try ProjectionWorld("compare-differing")
        try await appendEvents(world.log, count: 20)
        let whole = try await world.built()
        let earlier = try await world.built(asOf: .position(12))
        let difference = try #require(try whole.compare("counting", with: earlier).firstDifference)
        #expect(difference.table == "streams" && difference.key == "thing-0")
        #expect(difference.bytesHere != nil && difference.bytesThere != nil)
    }

    @Test("A row only one store holds is found after the equal rows before it, on either side")
    func missingRow() async throws {
        let world = try ProjectionWorld("compare-missing")
        try await appendEvents(world.log, count: 5)
        let whole = try await world.built()
        let earlier = try await world.built(asOf: .position(4))
        // thing-0 to thing-3 got one event each in both; thing-4's only event is position 5.
        let there = try earlier.compare("counting", with: whole)
        #expect(there.rowsCompared == 4)
        #expect(there.firstDifference?.description == "streams/thing-4 is only in the other store")
        #expect(there.firstDifference?.bytesHere == nil && there.firstDifference?.bytesThere != nil)
        let here = try whole.compare("counting", with: earlier)
        #expect(here.rowsCompared == 4)
        #expect(here.firstDifference?.key == "thing-4" && here.firstDifference?.bytesThere == nil)
        #expect(here.firstDifference?.bytesHere != nil)
    }

    @Test("A store that never built the read model differs from one that did, and not from another that never did")
    func neverBuilt() async throws {
        let world = try ProjectionWorld("compare-never-built")
        try await appendEvents(world.log, count: 6)
        let built = try await world.built()
        let empty = try ReadModelStore(directory: world.directory.path + "/empty")
        let builtFirst = try built.compare("counting", with: empty)
        #expect(builtFirst.rowsCompared == 0)
        #expect(builtFirst.firstDifference?.description == "streams/thing-0 is only in this store")
        let emptyFirst = try empty.compare("counting", with: built)
        #expect(emptyFirst.firstDifference?.description == "streams/thing-0 is only in the other store")
        let neither = try empty.compare("counting", with: empty)
        #expect(neither.rowsCompared == 0 && neither.firstDifference == nil)
    }
}
