import CRMSchema
import CRMWorkload
import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("The generated history, replayed through the decisions")
struct DecisionReplayTests {
    @Test("the generator's output replayed through the decisions again is accepted event for event")
    func acceptedEventForEvent() async throws {
        let log = try openTestLog(TemporaryDirectory("workload-replay"))
        let summary = try await WorkloadGenerator(options: WorkloadGeneratorTests.small, log: log).run()
        let events = try log.readAll(from: 1)
        #expect(events.count == summary.events)
        let recorded = try events.map { event in
            DecisionReplay.Recorded(
                event: event,
                message: try EventCatalogue.crm.decode(typeName: event.type, schemaVersion: event.schemaVersion, payload: event.payload)
            )
        }

        var replay = DecisionReplay()
        replay.replay(recorded)

        // One issue per type that differs, with the count and the first difference.
        for (type, failures) in Dictionary(grouping: replay.failures, by: \.type).sorted(by: { $0.key < $1.key }) {
            Issue.record("\(failures.count) \(type) event(s) are not what the decisions append; the first \(failures[0])")
        }
        let types = Set(events.map(\.type))
        let unchecked = types.subtracting(replay.checked.keys).sorted()
        #expect(unchecked.isEmpty, "event types never checked against a decision: \(unchecked)")
        #expect(replay.checked.values.reduce(0, +) == events.count, "events checked, of \(events.count): \(replay.checked.sorted { $0.key < $1.key })")
        #expect(types.count >= 40, "the history covers \(types.count) event types: \(types.sorted())")

        // The unique keys the decisions moved are where the log holds them at the end.
        var misplaced: [String] = []
        for (key, holder) in replay.keyHolders.sorted(by: { $0.key < $1.key }) {
            let owner = try log.owner(of: UniqueKey(key))
            if owner != holder { misplaced.append("\(key): the log says \(owner?.description ?? "free"), the replay \(holder?.description ?? "free")") }
        }
        #expect(misplaced.isEmpty, "\(misplaced.count) unique keys held elsewhere than decided, such as \(misplaced.prefix(5))")
        #expect(replay.keyHolders.count > 1_000)
        await log.close()
    }
}
