import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("Appending recorded events verbatim")
struct AppendRecordedTests {
    let sourceDirectory = TemporaryDirectory("recorded-source")
    let copyDirectory = TemporaryDirectory("recorded-copy")

    /// A source log of 60 events over 7 streams, with two unique keys, and its events.
    private func source() async throws -> (LMDBEventLog, [RecordedEvent]) {
        let log = try openTestLog(sourceDirectory)
        for index in 0..<60 {
            try await log.append(to: stream("customer-\(index % 7)"), [testEvent(payload: "\(index)")])
        }
        let keyed = AppendRequest(
            [StreamAppend(stream: stream("customer-0"), events: [testEvent(payload: "keyed")])],
            reserving: [
                (try UniqueKey("phone:1"), stream("customer-0")), (try UniqueKey("phone:2"), stream("customer-3")),
            ]
        )
        _ = try await log.append(keyed)
        return (log, try log.readAll())
    }

    private func keys(of log: LMDBEventLog) throws -> [UniqueKeyOwnership] {
        var keys: [UniqueKeyOwnership] = []
        try log.readSnapshot(start: { _, _ in }, record: { _ in }, uniqueKeys: { keys.append($0) })
        return keys
    }

    @Test("a copy appended in batches has the same positions, times, chain and unique keys, and reads the same")
    func copy() async throws {
        let (original, events) = try await source()
        let copy = try openTestLog(copyDirectory)
        for start in stride(from: 0, to: events.count, by: 25) {
            let batch = Array(events[start..<min(start + 25, events.count)])
            let last = start + 25 >= events.count
            let head = try await copy.appendRecorded(batch, uniqueKeys: last ? try keys(of: original) : [])
            #expect(head.position == batch.last?.position)
        }
        #expect(try copy.head() == original.head())
        #expect(try copy.readAll() == events)
        #expect(try copy.readStream(stream("customer-3")) == original.readStream(stream("customer-3")))
        #expect(try copy.readCategory("customer") == original.readCategory("customer"))
        #expect(try copy.owner(of: UniqueKey("phone:2")) == stream("customer-3"))
        #expect(try copy.verify().isIntact)
        // Ordinary appends go on after the copy, chained to it.
        try await copy.append(to: stream("customer-9"), [testEvent(payload: "after")])
        #expect(try copy.verify().isIntact)
        #expect(try copy.head().position == UInt64(events.count + 1))
        await copy.close()
        await original.close()
    }

    @Test(
        "a batch that does not continue the log is refused whole, naming the position",
        arguments: ["gap", "hash", "version", "time", "id"]
    )
    func refusals(damage: String) async throws {
        let (original, events) = try await source()
        await original.close()
        let copy = try openTestLog(copyDirectory)
        _ = try await copy.appendRecorded(Array(events[..<10]))
        var batch = Array(events[10..<30])
        switch damage {
        case "gap": batch.remove(at: 5)
        case "hash": batch[5].payload[0] ^= 1
        case "version": batch[5].streamVersion += 1
        case "time": batch[5].recordedAt = Timestamp(nanosecondsSinceEpoch: 0)
        default: batch[5].id = events[2].id
        }
        let error = await #expect(throws: EventStoreError.self) { try await copy.appendRecorded(batch) }
        #expect(error?.code == .recordMismatch)
        #expect(error?.position == (damage == "gap" ? 17 : 16))
        #expect(try copy.head().position == 10)
        #expect(try copy.head() == LMDBEventLog(directory: copy.directory, options: readOnly()).head())
        _ = try await copy.appendRecorded(Array(events[10..<30]))
        #expect(try copy.head().hash == events[29].hash)
        await copy.close()
    }

    @Test("recorded events must start right after the head, and a read-only log refuses them")
    func placement() async throws {
        let (original, events) = try await source()
        await original.close()
        let copy = try openTestLog(copyDirectory)
        await #expect(throws: EventStoreError.self) { try await copy.appendRecorded(Array(events[1..<5])) }
        try await copy.append(to: stream("customer-1"), [testEvent(payload: "other")])
        await #expect(throws: EventStoreError.self) { try await copy.appendRecorded(Array(events[1..<5])) }
        await copy.close()
        let readOnly = try LMDBEventLog(directory: copy.directory, options: readOnly())
        let error = await #expect(throws: EventStoreError.self) {
            try await readOnly.appendRecorded(Array(events[..<1]))
        }
        #expect(error?.code == .readOnly)
        await readOnly.close()
    }

    private func readOnly() -> LMDBEventLog.Options {
        var options = LMDBEventLog.Options()
        options.readOnly = true
        return options
    }
}
