import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("Appending")
struct AppendTests {
    let directory = TemporaryDirectory("append")

    @Test("positions are gapless from 1 and versions count from 0 per stream")
    func positionsAndVersions() async throws {
        let log = try openTestLog(directory)
        let a = stream("customer-a")
        let b = stream("customer-b")
        let first = try await log.append(to: a, [testEvent(), testEvent()])
        let second = try await log.append(to: b, [testEvent()])
        let third = try await log.append(to: a, [testEvent()])
        #expect(first.positions == [1, 2])
        #expect(second.positions == [3])
        #expect(third.positions == [4])
        #expect(first.streamVersions == [a: 1])
        #expect(third.streamVersions == [a: 2])
        #expect(try log.readStream(a).map(\.streamVersion) == [0, 1, 2])
        #expect(try log.readAll().map(\.position) == [1, 2, 3, 4])
        #expect(try log.head().position == 4)
        await log.close()
    }

    @Test("one append writes to many streams atomically, and a conflict on one writes nothing")
    func atomicMultiStream() async throws {
        let log = try openTestLog(directory)
        let lead = stream("lead-1")
        let customer = stream("customer-1")
        try await log.append(to: customer, [testEvent()])
        let result = try await log.append(
            AppendRequest([
                StreamAppend(stream: lead, expectedVersion: .noStream, events: [testEvent("lead.Converted")]),
                StreamAppend(
                    stream: customer,
                    expectedVersion: .exact(0),
                    events: [testEvent("customer.Created"), testEvent()]
                ),
            ])
        )
        #expect(result.positions == [2, 3, 4])
        #expect(result.streamVersions == [lead: 0, customer: 2])

        let refused = await #expect(throws: EventStoreError.self) {
            try await log.append(
                AppendRequest([
                    StreamAppend(stream: stream("lead-2"), expectedVersion: .noStream, events: [testEvent()]),
                    StreamAppend(stream: customer, expectedVersion: .exact(1), events: [testEvent()]),
                ])
            )
        }
        #expect(refused?.code == .wrongExpectedVersion)
        #expect(refused?.stream == "customer-1")
        #expect(refused?.expected == .exact(1))
        #expect(refused?.actual == 2)
        #expect(try log.head().position == 4)
        #expect(try log.readStream(stream("lead-2")).isEmpty)
        await log.close()
    }

    @Test(
        "expected versions are enforced",
        arguments: [
            (ExpectedVersion.any, nil as UInt64?, true), (.any, 3, true),
            (.noStream, nil, true), (.noStream, 0, false),
            (.exists, nil, false), (.exists, 0, true),
            (.exact(2), 2, true), (.exact(2), 3, false), (.exact(0), nil, false),
        ]
    )
    func expectedVersions(expected: ExpectedVersion, current: UInt64?, accepted: Bool) async throws {
        let directory = TemporaryDirectory("expected")
        let log = try openTestLog(directory)
        let target = stream("order-1")
        if let current {
            try await log.append(to: target, (0...current).map { _ in testEvent() })
        }
        let before = try log.head().position
        do {
            let result = try await log.append(to: target, expecting: expected, [testEvent()])
            #expect(accepted, "append was accepted but should have been refused")
            #expect(result.streamVersions[target] == (current.map { $0 + 1 } ?? 0))
        } catch let error as EventStoreError {
            #expect(!accepted, "append was refused: \(error)")
            #expect(error.code == .wrongExpectedVersion)
            #expect(error.actual == current)
            #expect(try log.head().position == before)
        }
        await log.close()
    }

    @Test("a stream with no events is a condition: checked, never written")
    func conditionOnlyStream() async throws {
        let log = try openTestLog(directory)
        let customer = stream("customer-1")
        try await log.append(to: customer, [testEvent(), testEvent()])
        let guarded = try await log.append(
            AppendRequest([
                StreamAppend(stream: stream("opportunity-1"), expectedVersion: .noStream, events: [testEvent()]),
                StreamAppend(stream: customer, expectedVersion: .exact(1), events: []),
                StreamAppend(stream: stream("customer-absent"), expectedVersion: .noStream, events: []),
            ])
        )
        #expect(guarded.positions == [3])
        #expect(guarded.streamVersions == [stream("opportunity-1"): 0, customer: 1])
        #expect(try log.readStream(customer).count == 2)
        #expect(try log.currentVersion(of: stream("customer-absent")) == nil)

        try await log.append(to: customer, [testEvent()])
        let stale = await #expect(throws: EventStoreError.self) {
            try await log.append(
                AppendRequest([
                    StreamAppend(stream: stream("opportunity-2"), expectedVersion: .noStream, events: [testEvent()]),
                    StreamAppend(stream: customer, expectedVersion: .exact(1), events: []),
                ])
            )
        }
        #expect(stale?.code == .wrongExpectedVersion)
        #expect(try log.currentVersion(of: stream("opportunity-2")) == nil)
        await log.close()
    }

    @Test("retrying an append with the same event ids returns the original positions")
    func idempotentRetry() async throws {
        let log = try openTestLog(directory)
        let events = [testEvent(payload: "1"), testEvent(payload: "2")]
        let target = stream("payment-1")
        let first = try await log.append(to: target, expecting: .noStream, events)
        try await log.append(to: stream("payment-2"), [testEvent()])
        // The retry carries the original expected version, which no longer holds; the ids decide.
        let retry = try await log.append(to: target, expecting: .noStream, events)
        #expect(retry.positions == first.positions)
        #expect(retry.wasAlreadyAppended)
        #expect(!first.wasAlreadyAppended)
        #expect(retry.streamVersions == [target: 1])
        #expect(try log.head().position == 3)
        await log.close()
    }

    @Test("an event id reused for other content is refused")
    func reusedEventID() async throws {
        let log = try openTestLog(directory)
        let id = UUID()
        try await log.append(to: stream("ticket-1"), [testEvent(payload: "one", id: id)])
        let error = await #expect(throws: EventStoreError.self) {
            try await log.append(to: stream("ticket-1"), [testEvent(payload: "two", id: id)])
        }
        #expect(error?.code == .eventIDReused)
        #expect(error?.position == 1)
        #expect(error?.eventID == id.uuidString)
        let otherStream = await #expect(throws: EventStoreError.self) {
            try await log.append(to: stream("ticket-2"), [testEvent(payload: "one", id: id)])
        }
        #expect(otherStream?.code == .eventIDReused)
        #expect(try log.head().position == 1)
        await log.close()
    }

    @Test("an append whose ids are partly in the log is refused whole")
    func partialDuplicate() async throws {
        let log = try openTestLog(directory)
        let known = testEvent()
        try await log.append(to: stream("ticket-1"), [known])
        let error = await #expect(throws: EventStoreError.self) {
            try await log.append(to: stream("ticket-1"), [known, testEvent()])
        }
        #expect(error?.code == .partialDuplicate)
        #expect(try log.head().position == 1)
        await log.close()
    }

    @Test("a unique key taken by one stream fails another's whole append and names the owner")
    func uniqueKeys() async throws {
        let log = try openTestLog(directory)
        let phone = try UniqueKey("phone:+8613800138000")
        let first = stream("customer-1")
        let second = stream("customer-2")
        _ = try await log.append(
            AppendRequest([StreamAppend(stream: first, events: [testEvent()])], reserving: [(phone, first)])
        )
        #expect(try log.owner(of: phone) == first)

        let error = await #expect(throws: EventStoreError.self) {
            try await log.append(
                AppendRequest([StreamAppend(stream: second, events: [testEvent()])], reserving: [(phone, second)])
            )
        }
        #expect(error?.code == .uniqueKeyTaken)
        #expect(error?.stream == "customer-1")
        #expect(error?.key == phone.rawValue)
        #expect(try log.readStream(second).isEmpty)

        // The holder may reserve its own key again.
        _ = try await log.append(
            AppendRequest([StreamAppend(stream: first, events: [testEvent()])], reserving: [(phone, first)])
        )

        // Only the holder can release it.
        let stolen = await #expect(throws: EventStoreError.self) {
            try await log.append(
                AppendRequest([StreamAppend(stream: second, events: [testEvent()])], releasing: [(phone, second)])
            )
        }
        #expect(stolen?.code == .uniqueKeyNotOwned)
        #expect(stolen?.stream == "customer-1")

        // Released by its holder, the key moves in the same append.
        _ = try await log.append(
            AppendRequest(
                [
                    StreamAppend(stream: first, events: [testEvent()]),
                    StreamAppend(stream: second, events: [testEvent()]),
                ],
                reserving: [(phone, second)],
                releasing: [(phone, first)]
            )
        )
        #expect(try log.owner(of: phone) == second)
        await log.close()
    }

    @Test("a key released in a later append can be claimed by another stream")
    func releaseThenClaim() async throws {
        let log = try openTestLog(directory)
        let email = try UniqueKey("email:ops@example.com")
        _ = try await log.append(
            AppendRequest(
                [StreamAppend(stream: stream("contact-1"), events: [testEvent()])],
                reserving: [(email, stream("contact-1"))]
            )
        )
        _ = try await log.append(
            AppendRequest(
                [StreamAppend(stream: stream("contact-1"), events: [testEvent()])],
                releasing: [(email, stream("contact-1"))]
            )
        )
        #expect(try log.owner(of: email) == nil)
        _ = try await log.append(
            AppendRequest(
                [StreamAppend(stream: stream("contact-2"), events: [testEvent()])],
                reserving: [(email, stream("contact-2"))]
            )
        )
        #expect(try log.owner(of: email) == stream("contact-2"))
        await log.close()
    }

    @Test("invalid appends are refused with a typed error and change nothing")
    func invalidAppends() async throws {
        var options = LMDBEventLog.Options()
        options.durability = .none
        options.maxEventSize = 1_000
        let log = try LMDBEventLog(directory: directory.path, options: options)
        let target = stream("lead-1")
        let key = try UniqueKey("k")
        let cases: [(AppendRequest, EventStoreError.Code)] = [
            (AppendRequest([]), .emptyAppend),
            (AppendRequest([StreamAppend(stream: target, events: [])]), .emptyAppend),
            (
                AppendRequest([
                    StreamAppend(stream: target, events: [testEvent(payload: String(repeating: "x", count: 1_001))])
                ]), .eventTooLarge
            ),
            (AppendRequest([StreamAppend(stream: target, events: [testEvent("")])]), .invalidField),
            (AppendRequest([StreamAppend(stream: target, events: [testEvent("has space")])]), .invalidField),
            (AppendRequest([StreamAppend(stream: target, events: [testEvent("1starts.with.digit")])]), .invalidField),
            (
                AppendRequest([
                    StreamAppend(stream: target, events: [testEvent(actor: String(repeating: "a", count: 201))])
                ]), .invalidField
            ),
            (
                AppendRequest([
                    StreamAppend(stream: target, events: [testEvent()]),
                    StreamAppend(stream: target, events: [testEvent()]),
                ]), .duplicateInAppend
            ),
            (
                AppendRequest([
                    StreamAppend(
                        stream: target,
                        events: [
                            testEvent(id: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!),
                            testEvent(id: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!),
                        ]
                    )
                ]), .duplicateInAppend
            ),
            (
                AppendRequest(
                    [StreamAppend(stream: target, events: [testEvent()])],
                    reserving: [(key, target), (key, stream("lead-2"))]
                ), .duplicateInAppend
            ),
        ]
        for (request, code) in cases {
            let error = await #expect(throws: EventStoreError.self) { try await log.append(request) }
            #expect(error?.code == code, "expected \(code), got \(String(describing: error))")
        }
        var badContentType = testEvent()
        badContentType.contentType = "text/\u{7}"
        let error = await #expect(throws: EventStoreError.self) { try await log.append(to: target, [badContentType]) }
        #expect(error?.code == .invalidField)
        #expect(try log.head().position == 0)
        await log.close()
    }

    @Test(
        "stream names must be category-id",
        arguments: [
            "", "customer", "-1", "customer-", "1customer-2", "cust omer-1", "customer-a b", "customer-\u{e9}",
            String(repeating: "a", count: 199) + "-12",
        ]
    )
    func invalidStreamNames(name: String) {
        #expect(throws: EventStoreError.self) { try StreamName(name) }
        do {
            _ = try StreamName(name)
        } catch {
            #expect(error.code == .invalidStreamName)
        }
    }

    @Test("valid stream names split into category and id")
    func validStreamNames() throws {
        let name = try StreamName("customer-9f2c-11ee:x@y+z_1.2")
        #expect(name.category == "customer")
        #expect(name.id == "9f2c-11ee:x@y+z_1.2")
        #expect(try StreamName(category: "lead", id: "42").rawValue == "lead-42")
    }

    @Test("unique keys must be 1 to 400 bytes")
    func invalidUniqueKeys() {
        #expect(throws: EventStoreError.self) { try UniqueKey("") }
        #expect(throws: EventStoreError.self) { try UniqueKey(String(repeating: "k", count: 401)) }
    }

    @Test("a closed log refuses appends and reads")
    func closedLog() async throws {
        let log = try openTestLog(directory)
        try await log.append(to: stream("lead-1"), [testEvent()])
        await log.close()
        let append = await #expect(throws: EventStoreError.self) {
            try await log.append(to: stream("lead-1"), [testEvent()])
        }
        #expect(append?.code == .logClosed)
        let read = #expect(throws: EventStoreError.self) { try log.readAll() }
        #expect(read?.code == .logClosed)
        // Closing twice is harmless.
        await log.close()
    }

    @Test("metadata and both times are recorded")
    func metadata() async throws {
        let log = try openTestLog(directory)
        let correlation = UUID()
        let causation = UUID()
        let occurred = Timestamp(nanosecondsSinceEpoch: 1_600_000_000_123_456_789)
        var event = testEvent("deal.Won", payload: "{\"amount\":100}", actor: "rep-7", occurredAt: occurred)
        event.metadata.correlationID = correlation
        event.metadata.causationID = causation
        event.schemaVersion = 3
        let before = Timestamp.now()
        try await log.append(to: stream("deal-1"), [event, testEvent()])
        let stored = try log.readAll()
        #expect(stored.count == 2)
        let first = stored[0]
        #expect(first.id == event.id)
        #expect(first.type == "deal.Won")
        #expect(first.schemaVersion == 3)
        #expect(first.contentType == "application/json")
        #expect(first.payload == Array("{\"amount\":100}".utf8))
        #expect(first.actor == "rep-7")
        #expect(first.correlationID == correlation)
        #expect(first.causationID == causation)
        #expect(first.occurredAt == occurred)
        #expect(first.recordedAt >= before)
        #expect(stored[1].occurredAt == stored[1].recordedAt, "occurredAt defaults to the recorded time")
        #expect(stored[1].correlationID == nil)
        await log.close()
    }

    @Test("recorded times never decrease along the log")
    func recordedTimesAreMonotonic() async throws {
        let log = try openTestLog(directory)
        for index in 0..<50 {
            try await log.append(to: stream("lead-\(index % 5)"), [testEvent()])
        }
        let times = try log.readAll().map(\.recordedAt)
        #expect(times == times.sorted())
        await log.close()
    }
}

@Suite("Time-ordered event ids")
struct TimeOrderedIDTests {
    @Test("ids are version 7, unique, and sort in the order they were made, within a millisecond and across them")
    func timeOrdered() async throws {
        var ids: [UUID] = []
        for round in 0..<3 {
            ids += (0..<10_000).map { _ in UUID.timeOrdered() }
            if round < 2 { try await Task.sleep(for: .milliseconds(3)) }
        }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.uuidString.dropFirst(14).first == "7" })
        #expect(ids.allSatisfy { "89AB".contains($0.uuidString.dropFirst(19).first!) })
        let first = ids[0].uuidString.prefix(13)
        let last = ids[ids.count - 1].uuidString.prefix(13)
        #expect(first < last, "later ids carry a later timestamp prefix")
        // 10,000 ids in a row fall many to a millisecond: the sequence keeps them in order.
        #expect(ids.map(\.uuidString) == ids.map(\.uuidString).sorted(), "ids sort in the order they were made")
    }
}
