import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("Reading")
struct ReadTests {
    let directory = TemporaryDirectory("read")

    /// Appends 3 customers × 4 events and 2 leads × 2 events, interleaved, with types by kind.
    private func filledLog() async throws -> LMDBEventLog {
        let log = try openTestLog(directory)
        for round in 0..<4 {
            for customer in 1...3 {
                try await log.append(
                    to: stream("customer-\(customer)"),
                    [
                        testEvent(
                            round == 0 ? "customer.Created" : "customer.FollowedUp",
                            payload: "\(customer).\(round)"
                        )
                    ]
                )
            }
            if round < 2 {
                for lead in 1...2 {
                    try await log.append(
                        to: stream("lead-\(lead)"),
                        [testEvent("lead.Noted", payload: "L\(lead).\(round)")]
                    )
                }
            }
        }
        return log
    }

    @Test("a stream reads forward and backward from any version")
    func streamReads() async throws {
        let log = try await filledLog()
        let customer = stream("customer-2")
        #expect(try log.readStream(customer).map(\.streamVersion) == [0, 1, 2, 3])
        #expect(try log.readStream(customer, from: 2).map(\.streamVersion) == [2, 3])
        #expect(try log.readStream(customer, from: 1, limit: 2).map(\.streamVersion) == [1, 2])
        #expect(try log.readStream(customer, from: .max, direction: .backward).map(\.streamVersion) == [3, 2, 1, 0])
        #expect(try log.readStream(customer, from: 2, direction: .backward).map(\.streamVersion) == [2, 1, 0])
        #expect(try log.readStream(customer, from: 0, direction: .backward).map(\.streamVersion) == [0])
        #expect(try log.readStream(customer, from: 9).isEmpty)
        #expect(try log.readStream(stream("customer-404")).isEmpty)
        #expect(try log.readStream(stream("customer-404"), from: .max, direction: .backward).isEmpty)
        #expect(
            try log.readStream(customer).map { String(decoding: $0.payload, as: UTF8.self) } == [
                "2.0", "2.1", "2.2", "2.3",
            ]
        )
        #expect(try log.currentVersion(of: customer) == 3)
        #expect(try log.currentVersion(of: stream("customer-404")) == nil)
        await log.close()
    }

    @Test("the whole log reads forward and backward from any position")
    func allReads() async throws {
        let log = try await filledLog()
        #expect(try log.readAll().map(\.position) == Array(1...16))
        #expect(try log.readAll(from: 10, limit: 3).map(\.position) == [10, 11, 12])
        #expect(try log.readAll(from: .max, direction: .backward, limit: 3).map(\.position) == [16, 15, 14])
        #expect(try log.readAll(from: 5, direction: .backward).map(\.position) == [5, 4, 3, 2, 1])
        #expect(try log.readAll(from: 17).isEmpty)
        #expect(try log.readAll(limit: 0).isEmpty)
        await log.close()
    }

    @Test("reads by category and by type follow log order")
    func indexReads() async throws {
        let log = try await filledLog()
        let leads = try log.readCategory("lead")
        #expect(leads.count == 4)
        #expect(leads.allSatisfy { $0.stream.category == "lead" })
        #expect(leads.map(\.position) == leads.map(\.position).sorted())
        let customers = try log.readCategory("customer", from: .max, direction: .backward)
        #expect(customers.count == 12)
        #expect(customers.map(\.position) == customers.map(\.position).sorted(by: >))
        let fromMiddle = try log.readCategory("customer", from: customers[5].position, direction: .backward)
        #expect(fromMiddle.map(\.position) == Array(customers[5...].map(\.position)))
        #expect(
            try log.readType("customer.Created").map(\.stream.rawValue) == ["customer-1", "customer-2", "customer-3"]
        )
        let afterFirst = try log.readType("lead.Noted", from: 4)
        #expect(afterFirst.allSatisfy { $0.position >= 4 && $0.type == "lead.Noted" })
        #expect(afterFirst.map(\.position) == [4, 5, 9, 10])
        #expect(try log.readType("lead.Noted", from: 6).map(\.position) == [9, 10])
        #expect(try log.readCategory("nothing").isEmpty)
        #expect(try log.readType("").isEmpty)
        await log.close()
    }

    @Test("filters select by category and type")
    func filteredReads() async throws {
        let log = try await filledLog()
        let followUps = try log.readAll(filter: EventFilter(categories: ["customer"], types: ["customer.FollowedUp"]))
        #expect(followUps.count == 9)
        #expect(try log.readAll(filter: .categories("lead", "customer")).count == 16)
        #expect(try log.readAll(filter: .types("lead.Noted")).count == 4)
        #expect(try log.readAll(filter: .categories("lea")).isEmpty, "a category prefix is not the category")
        await log.close()
    }

    @Test("scan hands out records in place, in order, and stops when asked")
    func scanInPlace() async throws {
        let log = try await filledLog()
        var positions: [UInt64] = []
        try log.scan(from: 3) { record in
            positions.append(record.position)
            return positions.count < 5
        }
        #expect(positions == [3, 4, 5, 6, 7])
        var payloadBytes = 0
        try log.scan { record in
            payloadBytes += record.payload.count
            return true
        }
        #expect(payloadBytes == (try log.readAll().reduce(0) { $0 + $1.payload.count }))
        await log.close()
    }

    @Test("statistics count events, streams, categories and types")
    func statistics() async throws {
        let log = try await filledLog()
        let statistics = try log.statistics()
        #expect(statistics.events == 16)
        #expect(statistics.streams == 5)
        #expect(statistics.eventsByCategory == ["customer": 12, "lead": 4])
        #expect(statistics.eventsByType == ["customer.Created": 3, "customer.FollowedUp": 9, "lead.Noted": 4])
        #expect(statistics.head == (try log.head()))
        #expect(statistics.fileBytes > 0)
        await log.close()
    }
}
