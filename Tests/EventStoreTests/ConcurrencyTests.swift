import EventStore
import Foundation
import RapportTestSupport
import Synchronization
import Testing

@Suite("Concurrent appenders")
struct ConcurrencyTests {
    @Test("appenders racing on one stream with exact versions: exactly one wins each version")
    func exactVersionRace() async throws {
        let directory = TemporaryDirectory("race")
        let log = try openTestLog(directory)
        let target = stream("account-1")
        let racers = 16
        let versions: UInt64 = 50
        let wins = WinTally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for racer in 0..<racers {
                group.addTask {
                    var version: UInt64 = 0
                    while version < versions {
                        let expected: ExpectedVersion = version == 0 ? .noStream : .exact(version - 1)
                        do {
                            try await log.append(
                                to: target,
                                expecting: expected,
                                [testEvent(payload: "racer \(racer)")]
                            )
                            wins.counts.withLock { $0[version, default: 0] += 1 }
                            version += 1
                        } catch let error as EventStoreError where error.code == .wrongExpectedVersion {
                            let actual = try #require(error.actual)
                            version = actual + 1
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let counts = wins.counts.withLock { $0 }
        #expect(counts.count == Int(versions))
        #expect(counts.values.allSatisfy { $0 == 1 }, "versions won more than once: \(counts.filter { $0.value != 1 })")
        #expect(try log.readStream(target).map(\.streamVersion) == Array(0..<versions))
        #expect(try log.verify().isIntact)
        await log.close()
    }

    @Test("many concurrent durable appenders share commits and all land, gapless")
    func groupCommit() async throws {
        let directory = TemporaryDirectory("group")
        let log = try openTestLog(directory, durability: .durable)
        let appenders = 64
        let each = 20
        let positions = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for appender in 0..<appenders {
                group.addTask {
                    var mine: [UInt64] = []
                    for _ in 0..<each {
                        mine += try await log.append(to: stream("rep-\(appender)"), [testEvent()]).positions
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [UInt64]()) { $0 += $1 }
        }
        #expect(positions.sorted() == Array(1...UInt64(appenders * each)))
        #expect(try log.verify().isIntact)
        await log.close()
    }
}

/// Which versions each racer won, shared by the racing tasks.
private final class WinTally: Sendable {
    let counts = Mutex<[UInt64: Int]>([:])
}
