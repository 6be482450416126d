import EventStore
import Foundation
import RapportTestSupport
import Synchronization
import Testing

@Suite("Commit reports")
struct CommitReportTests {
    @Test(
        "every commit is reported: the appends, events and refusals of concurrent appenders add up, with their durations"
    )
    func reportsAddUp() async throws {
        let directory = TemporaryDirectory("commit-reports")
        let log = try openTestLog(directory)
        let reports = Mutex<[CommitReport]>([])
        log.observeCommits { report in reports.withLock { $0.append(report) } }
        let appenders = 32
        try await withThrowingTaskGroup(of: Void.self) { group in
            for appender in 0..<appenders {
                group.addTask {
                    // Two events on a stream of its own, then one that must be refused.
                    let own = stream("account-\(appender)")
                    try await log.append(to: own, expecting: .noStream, [testEvent(), testEvent()])
                    await #expect(throws: EventStoreError.self) {
                        try await log.append(to: own, expecting: .noStream, [testEvent()])
                    }
                }
            }
            try await group.waitForAll()
        }
        let seen = reports.withLock { $0 }
        #expect(seen.reduce(0) { $0 + $1.appends } == appenders)
        #expect(seen.reduce(0) { $0 + $1.events } == appenders * 2)
        #expect(seen.reduce(0) { $0 + $1.refusals } == appenders)
        #expect(seen.allSatisfy { $0.commitDuration > .zero && $0.applyDuration >= .zero })
        #expect(try log.head().position == UInt64(appenders * 2))
        await log.close()
    }
}
