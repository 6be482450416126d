import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("Subscriptions")
struct SubscriptionTests {
    let directory = TemporaryDirectory("subscribe")

    @Test("a subscription started mid-log while writers append sees every position once, in order")
    func catchUpThenLive() async throws {
        let log = try openTestLog(directory)
        for index in 0..<500 { try await log.append(to: stream("lead-\(index % 7)"), [testEvent()]) }
        let writers = 4
        let perWriter = 300
        let total = 500 + writers * perWriter
        let start: UInt64 = 250

        async let received: [UInt64] = {
            var positions: [UInt64] = []
            for try await event in try log.subscribe(from: .position(start)) {
                positions.append(event.position)
                if event.position == UInt64(total) { break }
            }
            return positions
        }()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for index in 0..<perWriter {
                        try await log.append(to: stream("customer-\(writer)"), [testEvent(payload: "\(index)")])
                    }
                }
            }
            try await group.waitForAll()
        }
        let positions = try await received
        #expect(positions == Array(start...UInt64(total)))
        await log.close()
    }

    @Test("in batches, a subscription delivers the same positions in order, each batch non-empty, catching up and live")
    func batches() async throws {
        let log = try openTestLog(directory)
        for index in 0..<2_500 { try await log.append(to: stream("lead-\(index % 7)"), [testEvent()]) }
        async let received: [[UInt64]] = {
            var batches: [[UInt64]] = []
            for try await batch in try log.subscribe(from: .position(1), filter: EventFilter(categories: ["lead"]))
                .batches
            {
                batches.append(batch.map(\.position))
                if batch.last?.position == 3_000 { break }
            }
            return batches
        }()
        for _ in 0..<500 { try await log.append(to: stream("lead-1"), [testEvent()]) }
        let batches = try await received
        #expect(batches.allSatisfy { !$0.isEmpty })
        #expect(batches.flatMap { $0 } == Array(1...3_000))
        // A read examines at most a scan window, so the catch-up alone takes several batches.
        #expect(batches.count >= 3)
        await log.close()
    }

    @Test("a subscription from now sees only later events")
    func fromNow() async throws {
        let log = try openTestLog(directory)
        try await log.append(to: stream("lead-1"), [testEvent(), testEvent()])
        let subscription = try log.subscribe(from: .now)
        #expect(subscription.startPosition == 3)
        try await log.append(to: stream("lead-1"), [testEvent("lead.Late")])
        var iterator = subscription.makeAsyncIterator()
        let event = try await iterator.next()
        #expect(event?.position == 3)
        #expect(event?.type == "lead.Late")
        await log.close()
    }

    @Test("a filtered subscription yields only matching events")
    func filtered() async throws {
        let log = try openTestLog(directory)
        for index in 0..<3_000 {
            try await log.append(to: stream(index % 3 == 0 ? "lead-\(index)" : "customer-\(index)"), [testEvent()])
        }
        var positions: [UInt64] = []
        for try await event in try log.subscribe(from: .beginning, filter: .categories("lead")) {
            #expect(event.stream.category == "lead")
            positions.append(event.position)
            if positions.count == 1_000 { break }
        }
        #expect(positions == Array(stride(from: UInt64(1), through: 3_000, by: 3)))
        await log.close()
    }

    @Test("checkpoints are durable and a subscription resumes after one")
    func checkpoints() async throws {
        let log = try openTestLog(directory)
        try await log.append(to: stream("lead-1"), (0..<10).map { _ in testEvent() })
        #expect(try log.checkpoint(named: "mailer") == nil)
        try await log.saveCheckpoint("mailer", position: 6)
        await log.close()

        let reopened = try openTestLog(directory)
        #expect(try reopened.checkpoint(named: "mailer") == 6)
        var iterator = try reopened.subscribe(from: .checkpoint("mailer")).makeAsyncIterator()
        #expect(try await iterator.next()?.position == 7)
        var fresh = try reopened.subscribe(from: .checkpoint("never-saved")).makeAsyncIterator()
        #expect(try await fresh.next()?.position == 1)
        var after = try reopened.subscribe(from: .after(9)).makeAsyncIterator()
        #expect(try await after.next()?.position == 10)
        let badName = await #expect(throws: EventStoreError.self) { try await reopened.saveCheckpoint("", position: 1) }
        #expect(badName?.code == .invalidField)
        await reopened.close()
    }

    @Test("closing the log ends a waiting subscription")
    func closeEndsSubscription() async throws {
        let log = try openTestLog(directory)
        try await log.append(to: stream("lead-1"), [testEvent()])
        let consumer = Task {
            var count = 0
            for try await _ in try log.subscribe() { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(50))
        await log.close()
        #expect(try await consumer.value == 1)
    }

    @Test("cancelling the consuming task ends a waiting subscription")
    func cancellationEndsSubscription() async throws {
        let log = try openTestLog(directory)
        let consumer = Task {
            for try await _ in try log.subscribe() {}
            return true
        }
        try await Task.sleep(for: .milliseconds(50))
        consumer.cancel()
        #expect(try await consumer.value)
        await log.close()
    }

    @Test("a read-only handle in another role follows the writer's commits")
    func readOnlyFollowsWriter() async throws {
        let writer = try openTestLog(directory)
        try await writer.append(to: stream("lead-1"), [testEvent()])
        let reader = try openReadOnlyLog(directory)
        async let seen: [UInt64] = {
            var positions: [UInt64] = []
            for try await event in try reader.subscribe() {
                positions.append(event.position)
                if positions.count == 20 { break }
            }
            return positions
        }()
        for _ in 0..<19 { try await writer.append(to: stream("lead-2"), [testEvent()]) }
        #expect(try await seen == Array(1...20))
        await reader.close()
        await writer.close()
    }
}
