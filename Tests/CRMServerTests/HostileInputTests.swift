import Foundation
import NIOHTTP1
import Testing

/// Inputs that once stopped the server, or could: each refused with a typed 400, the server
/// still answering after.
@Suite("Hostile input")
struct HostileInputTests {
    @Test("times no timestamp can hold are refused, not trapped on: occurredAt before 1900, any time past 2200")
    func timesOutOfRange() async throws {
        let crm = try await CommandServer.start("hostile-times")
        let head = try crm.head()
        let ancient = try await crm.post(
            "/v1/users",
            #"{"name":"Old","email":"old@example.com","role":"sales_rep","occurredAt":"1613-03-23T06:59:47Z"}"#,
            as: .admin
        )
        #expect(ancient.status == 400 && ancient.code == "occurred_out_of_range", "\(ancient.json)")
        let customer = try await crm.post(
            "/v1/customers",
            #"{"name":"Ningbo Ropes","ownerId":"\#(crm.id(.rep))"}"#,
            as: .rep
        ).id("customerId")
        let afterCreate = try crm.head()
        let farNext = try await crm.post(
            "/v1/customers/\(customer)/follow-ups",
            #"{"channel":"call","nextContactAt":"9999-12-31T00:00:00Z"}"#,
            as: .rep
        )
        #expect(
            farNext.status == 400 && farNext.code == "invalid_value" && farNext.facts["field"] == "nextContactAt",
            "\(farNext.json)"
        )
        let future = try await crm.post(
            "/v1/customers/\(customer)/follow-ups",
            #"{"channel":"call","occurredAt":"2999-01-01T00:00:00Z"}"#,
            as: .admin
        )
        #expect(future.status == 400 && future.code == "occurred_in_future", "\(future.json)")
        #expect(try crm.head() == afterCreate && afterCreate > head, "only the customer was appended")
        let health = try await crm.server.get("/health", token: .some(nil))
        #expect(health.status == 200, "the server still answers")
        try await crm.stop()
    }
}
