import CRMDomain
import CRMService
import Foundation
import RapportAPI
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
        let (manager, rep, admin) = (
            try server.client(as: "manager", staff), try server.client(as: "rep", staff),
            try server.client(as: "admin", staff)
        )
        let answer = try await manager.segments(query: .init(asOf: "2026-08-31"))
        let august = try answer.ok.body.json
        #expect((august.scored, august.withoutOrders) == (2, 1), "\(answer)")
        #expect((august.segments ?? []).compactMap(\.customers).reduce(0, +) == 2)
        let july = try await server.client(as: "finance", staff).segments(query: .init(asOf: "2026-07-31")).ok.body
            .json
        #expect((july.scored, july.withoutOrders) == (0, 3))

        let scored = try await rep.customerSegment(path: .init(customer: staff["c1"]), query: .init(asOf: "2026-08-31"))
        let score = try #require(try scored.ok.body.json.score, "\(scored)")
        #expect((score.orders, score.lastOrderDay) == (1, "2026-08-01"))
        #expect(score.recencyDays == 30)
        let before = try await rep.customerSegment(path: .init(customer: staff["c1"]), query: .init(asOf: "2026-07-31"))
            .ok.body.json
        #expect(before.asOf == "2026-07-31")
        #expect(before.score == nil, "no order yet: no score")

        let repSegments = try await rep.segments()
        #expect(try repSegments.forbidden.body.json.value1.error.code == "forbidden", "\(repSegments)")
        let outside = try await rep.customerSegment(path: .init(customer: staff["c2"]))
        #expect(try outside.forbidden.body.json.value1.error.code == "outside_scope", "\(outside)")
        let service = try await server.client(as: "subscriber", staff).customerSegment(
            path: .init(customer: staff["c1"])
        )
        #expect((try? service.forbidden) != nil, "\(service)")
        let unpadded = try await admin.segments(query: .init(asOf: "2026-8-31"))
        #expect(try unpadded.badRequest.body.json.error.code == "invalid_query_parameter", "\(unpadded)")
        let dotted = try await admin.customerSegment(
            path: .init(customer: staff["c1"]),
            query: .init(asOf: "31.08.2026")
        )
        #expect((try? dotted.badRequest) != nil, "\(dotted)")
        try await server.stop()
    }
}
