import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("Back-dated appends")
struct BackdatedAppendsTests {
    let directory = TemporaryDirectory("backdated")

    private func at(_ year: Int) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: Int64(year - 1970) * 31_556_952 * 1_000_000_000)
    }

    /// Four appends: the migrator's three events dated 2020, a rep's event at the recorded
    /// time, the migrator's two dated 2021, and an admin's two dated 2022.
    private func log() async throws -> LMDBEventLog {
        let log = try openTestLog(directory)
        try await log.append(
            to: stream("customer-a"),
            [
                testEvent("customer.Created", actor: "migrator", occurredAt: at(2020)),
                testEvent("customer.Tagged", actor: "migrator", occurredAt: at(2020)),
                testEvent("customer.Tagged", actor: "migrator", occurredAt: at(2020)),
            ]
        )
        try await log.append(to: stream("customer-b"), [testEvent("customer.Created", actor: "rep")])
        try await log.append(
            to: stream("lead-c"),
            [testEvent(actor: "migrator", occurredAt: at(2021)), testEvent(actor: "migrator", occurredAt: at(2021))]
        )
        try await log.append(
            to: stream("user-d"),
            [testEvent(actor: "admin", occurredAt: at(2022)), testEvent(actor: "admin", occurredAt: at(2022))]
        )
        return log
    }

    @Test("consecutive events of one actor, recorded and business time are one append, with its types once each")
    func groups() async throws {
        let log = try await log()
        let page = try await log.backdatedAppends(from: 1, minimumLag: .seconds(3_600), limit: 10)
        #expect(page.appends.map(\.positions) == [1...3, 5...6, 7...8])
        #expect(page.appends.map(\.actor) == ["migrator", "migrator", "admin"])
        #expect(page.appends[0].types == ["customer.Created", "customer.Tagged"])
        #expect(page.appends[0].stream == stream("customer-a"))
        #expect(page.appends[0].occurredAt == at(2020))
        let recorded = try log.readAll(from: 1, limit: 1)[0].recordedAt
        #expect(page.appends[0].backdatedNanoseconds == recorded.nanosecondsSinceEpoch - at(2020).nanosecondsSinceEpoch)
        #expect(page.next == nil)

        #expect(
            try await log.backdatedAppends(from: 1, minimumLag: .seconds(3_600), actor: "migrator", limit: 10).appends
                .map(\.positions) == [1...3, 5...6]
        )
        #expect(
            try await log.backdatedAppends(from: 1, minimumLag: .zero, limit: 10).appends.map(\.positions) == [
                1...3, 4...4, 5...6, 7...8,
            ]
        )
        let beforeTheAdmins = Duration.seconds(
            Int64(Timestamp.now().nanosecondsSinceEpoch - at(2022).nanosecondsSinceEpoch) / 1_000_000_000 + 86_400
        )
        #expect(
            try await log.backdatedAppends(from: 1, minimumLag: beforeTheAdmins, limit: 10).appends.map(\.actor) == [
                "migrator", "migrator",
            ]
        )
        await log.close()
    }

    @Test("a page ends after its limit or its scan, always between two appends, and next goes on")
    func pages() async throws {
        let log = try await log()
        let limited = try await log.backdatedAppends(from: 1, minimumLag: .seconds(1), limit: 1)
        #expect(limited.appends.map(\.positions) == [1...3])
        #expect(limited.next == 4)
        let scanned = try await log.backdatedAppends(from: 1, minimumLag: .seconds(1), limit: 10, scanLimit: 1)
        #expect(scanned.appends.map(\.positions) == [1...3], "the append the scan began is read to its end")
        #expect(scanned.next == 4)
        let rest = try await log.backdatedAppends(from: 4, minimumLag: .seconds(1), limit: 10)
        #expect(rest.appends.map(\.positions) == [5...6, 7...8])
        #expect(rest.next == nil)
        let past = try await log.backdatedAppends(from: 9, minimumLag: .seconds(1), limit: 10)
        #expect(past.appends.isEmpty && past.next == nil)
        await log.close()
    }

    @Test("a business time at the far end of the range saturates the lag instead of trapping")
    func farBack() async throws {
        let log = try openTestLog(directory)
        try await log.append(to: stream("customer-z"), [testEvent(occurredAt: Timestamp(nanosecondsSinceEpoch: .min))])
        let page = try await log.backdatedAppends(from: 1, minimumLag: .seconds(Int64.max), limit: 10)
        #expect(page.appends.map(\.backdatedNanoseconds) == [.max])
        await log.close()
    }
}
