import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("Verifying the hash chain")
struct VerifyTests {
    let directory = TemporaryDirectory("verify")

    @Test("an untouched log verifies, and each record's hash chains from the one before")
    func intact() async throws {
        let log = try openTestLog(directory)
        for index in 0..<100 { try await log.append(to: stream("lead-\(index % 9)"), [testEvent(payload: "\(index)")]) }
        let verification = try log.verify()
        #expect(verification.isIntact)
        #expect(verification.eventsChecked == 100)
        #expect(verification.verifiedHead == (try log.head()))
        let events = try log.readAll()
        #expect(Set(events.map(\.hash)).count == 100)
        await log.close()
    }

    @Test("an empty log verifies")
    func empty() async throws {
        let log = try openTestLog(directory)
        let verification = try log.verify()
        #expect(verification.isIntact)
        #expect(verification.eventsChecked == 0)
        #expect(verification.verifiedHead.hash == .genesis)
        await log.close()
    }

    @Test("a flipped byte in a stored record is reported at its position", arguments: [1, 137, 300])
    func flippedByte(target: Int) async throws {
        let directory = TemporaryDirectory("flip")
        let log = try openTestLog(directory)
        for index in 1...300 {
            let marker = index == target ? "MARKER-TO-FLIP" : "payload"
            try await log.append(
                to: stream("customer-\(index % 13)"),
                [testEvent(payload: "{\"note\":\"\(marker) \(index)\"}")]
            )
        }
        await log.close()

        try #require(try flipStoredByte(of: "MARKER-TO-FLIP", in: directory))

        let reopened = try openReadOnlyLog(directory)
        let verification = try reopened.verify()
        let problem = try #require(verification.problem)
        #expect(problem.position == UInt64(target))
        #expect(problem.kind == .hashMismatch)
        #expect(verification.eventsChecked == UInt64(target - 1))
        await reopened.close()
    }
}
