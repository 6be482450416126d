import EventStore
import Foundation
import RapportTestSupport
import Testing

@testable import CRMServer

@Suite("The live event feed")
struct LiveEventFeedTests {
    @Test(
        "a follower that falls behind loses batches from its buffer, and its cursor reads the gap from the log: every wanted event once, in order"
    )
    func slowFollowerMissesNothing() async throws {
        let directory = TemporaryDirectory("live-feed")
        let log = try openTestLog(directory)
        for index in 0..<5 { try await log.append(to: stream("lead-\(index)"), [testEvent()]) }
        let feed = try LiveEventFeed(log: log, interval: .zero, bufferedBatches: 2)
        let (published, batches) = feed.follow()
        #expect(published == 5)
        let running = Task { try await feed.run() }
        // Thirty commits, alternating two categories, while the follower reads nothing.
        // Each has time to be published on its own, so the buffer overflows.
        for index in 0..<30 {
            try await log.append(to: stream(index % 2 == 0 ? "lead-\(index)" : "order-\(index)"), [testEvent()])
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(200))
        await log.close()
        running.cancel()
        _ = try? await running.value

        var cursor = SubscriberCursor(log: try openTestLog(directory), filter: .categories("lead"), first: 2)
        var delivered: [UInt64] = []
        while let events = try cursor.catchUp(through: published) { delivered += events.map(\.position) }
        var received = 0
        var gaps = 0
        for await batch in batches {
            received += 1
            while let gap = try cursor.gap(before: batch) {
                gaps += 1
                delivered += gap.map(\.position)
            }
            delivered += cursor.events(of: batch).map(\.position)
        }
        #expect(received <= 2, "the buffer keeps the newest two batches")
        #expect(gaps > 0, "the batches dropped were read from the log")
        let leads = [2, 3, 4, 5] + (0..<30).filter { $0 % 2 == 0 }.map { 6 + $0 }
        #expect(delivered == leads.map(UInt64.init))
    }

    @Test("a follower joining after the feed finished gets an ended stream and the last position published")
    func finishedFeed() async throws {
        let directory = TemporaryDirectory("live-feed-finished")
        let log = try openTestLog(directory)
        try await log.append(to: stream("lead-1"), [testEvent()])
        let feed = try LiveEventFeed(log: log, interval: .zero)
        let running = Task { try await feed.run() }
        await log.close()
        _ = try? await running.value
        let (published, batches) = feed.follow()
        #expect(published == 1)
        var count = 0
        for await _ in batches { count += 1 }
        #expect(count == 0)
    }
}
