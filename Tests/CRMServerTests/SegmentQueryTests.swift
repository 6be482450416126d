import CRMDomain
import CRMService
import Foundation
import Testing

/// RFM segments over HTTP, as of a business day.
@Suite("Segments over HTTP")
struct SegmentQueryTests {
    @Test("segment counts for overseers; one customer's score within the caller's customers")
    func segments() async throws {
        let (server, staff) = try await RunningServer.staffed("segments") { crm, staff in
            let seat = try await crm.addProduct(
                NewProduct(sku: "seat", name: "Seat", price: yuan(1_000), cost: yuan(400)),
                actor: "setup",
                occurredAt: ReportTime.at("2026-01-02")
            )
            for (key, owner, ordered) in [
                ("c1", "rep", "2026-08-01"), ("c2", "other", "2026-08-05"), ("c3", "west", ""),
            ] {
                var customer = NewCustomer(name: "Customer \(key)")
                customer.ownerID = staff[owner]
                staff.ids[key] = try await crm.createCustomer(
                    customer,
                    actor: "setup",
                    occurredAt: ReportTime.at("2026-07-01")
                )
                guard !ordered.isEmpty else { continue }
                _ = try await crm.draftContract(
                    for: staff[key],
                    lines: [.init(productID: seat, quantity: 1)],
                    actor: staff[owner],
                    occurredAt: ReportTime.at(ordered)
                )
            }
        }
        let august = try await server.get("/v1/segments?asOf=2026-08-31", as: "manager", staff)
        #expect(august.status == 200, "\(august.json)")
        #expect((august.json.int("scored"), august.json.int("withoutOrders")) == (2, 1))
        #expect(august.json.objects("segments").compactMap { $0.int("customers") }.reduce(0, +) == 2)
        let july = try await server.get("/v1/segments?asOf=2026-07-31", as: "finance", staff)
        #expect((july.json.int("scored"), july.json.int("withoutOrders")) == (0, 3))

        let score = try await server.get("/v1/customers/\(staff["c1"])/segment?asOf=2026-08-31", as: "rep", staff)
        #expect(score.status == 200, "\(score.json)")
        #expect(
            (score.json.object("score").int("orders"), score.json.object("score")["lastOrderDay"] as? String) == (
                1, "2026-08-01"
            )
        )
        #expect(score.json.object("score").int("recencyDays") == 30)
        let before = try await server.get("/v1/customers/\(staff["c1"])/segment?asOf=2026-07-31", as: "rep", staff)
        #expect(before.json["score"] is NSNull, "no order yet: a null score")

        #expect(try await server.get("/v1/segments", as: "rep", staff).json.errorCode == "forbidden")
        let outside = try await server.get("/v1/customers/\(staff["c2"])/segment", as: "rep", staff)
        #expect(outside.json.errorCode == "outside_scope", "\(outside.json)")
        #expect(try await server.get("/v1/customers/\(staff["c1"])/segment", as: "subscriber", staff).status == 403)
        #expect(
            try await server.get("/v1/segments?asOf=2026-8-31", as: "admin", staff).json.errorCode
                == "invalid_query_parameter"
        )
        #expect(
            try await server.get("/v1/customers/\(staff["c1"])/segment?asOf=31.08.2026", as: "admin", staff).status
                == 400
        )
        try await server.stop()
    }
}
