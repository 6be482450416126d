import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("Receipts")
struct ReceiptTests {
    let directory = TemporaryDirectory("receipts")

    @Test("a receipt is kept with its append's positions, taken once, survives a reopen, and is purged by age")
    func receipts() async throws {
        var log = try openTestLog(directory)
        let key = Array("client-1 key-1".utf8)
        let receipt = try AppendReceipt(key: key, note: Array("note".utf8))
        let first = try await log.append(
            AppendRequest(
                [StreamAppend(stream: stream("lead-a"), events: [testEvent(), testEvent()])],
                receipt: receipt
            )
        )
        let kept = try #require(try log.receipt(for: key))
        #expect(kept.note == Array("note".utf8))
        #expect((kept.firstPosition, kept.lastPosition) == (first.firstPosition, first.lastPosition))
        #expect(kept.recordedAt == first.recordedAt)

        // The same key again: refused whole, nothing written.
        let refused = await #expect(throws: EventStoreError.self) {
            try await log.append(
                AppendRequest([StreamAppend(stream: stream("lead-b"), events: [testEvent()])], receipt: receipt)
            )
        }
        #expect(refused?.code == .receiptTaken && refused?.position == first.firstPosition)
        #expect(try log.head().position == first.lastPosition)
        #expect(try log.currentVersion(of: stream("lead-b")) == nil)

        await log.close()
        log = try openTestLog(directory)
        #expect(try log.receipt(for: key) == kept, "durable with the events")
        #expect(try await log.purgeReceipts(recordedBefore: kept.recordedAt) == 0, "not older than the cutoff")
        #expect(
            try await log.purgeReceipts(
                recordedBefore: Timestamp(nanosecondsSinceEpoch: kept.recordedAt.nanosecondsSinceEpoch + 1)
            ) == 1
        )
        #expect(try log.receipt(for: key) == nil)
        // The key is free again.
        _ = try await log.append(
            AppendRequest([StreamAppend(stream: stream("lead-b"), events: [testEvent()])], receipt: receipt)
        )
        await log.close()
    }

    @Test("receipt keys and notes are bounded")
    func bounds() {
        #expect(throws: EventStoreError.self) { try AppendReceipt(key: [], note: []) }
        #expect(throws: EventStoreError.self) { try AppendReceipt(key: Array(repeating: 1, count: 65), note: []) }
        #expect(throws: EventStoreError.self) { try AppendReceipt(key: [1], note: Array(repeating: 1, count: 4_097)) }
    }

    @Test("a timestamp of any date never traps: out of range it holds to the ends, and says so when asked exactly")
    func timestamps() {
        let ancient = Date(timeIntervalSince1970: -11_670_000_000)  // 1600
        #expect(Timestamp(exactly: ancient) == nil)
        #expect(Timestamp(ancient) == .earliest)
        #expect(Timestamp(Date(timeIntervalSince1970: 1e13)) == .latest)
        #expect(Timestamp(exactly: Date(timeIntervalSince1970: 1.5)) == Timestamp(nanosecondsSinceEpoch: 1_500_000_000))
        #expect(Timestamp.earliest.description == "1677-09-21T00:12:43.145224192Z")
        #expect(Timestamp.latest.description == "2262-04-11T23:47:16.854775807Z")
    }
}
