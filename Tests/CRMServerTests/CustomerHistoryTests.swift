import CRMSchema
import CRMService
import Foundation
import RapportAPI
import Testing

/// A customer as of any point of the log: what the CRM knew then, or what was true then.
@Suite("A customer as of a point of the log")
struct CustomerHistoryTests {
    @Test("as of a recorded time, an occurred time and a position; admins and auditors only")
    func asOf() async throws {
        var points: [String: String] = [:]
        let (server, staff) = try await RunningServer.staffed("customer-as-of") { crm, staff in
            let format = ISO8601DateFormatter()
            format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            func mark(_ name: String) async throws {
                // Recorded times are stamped by the log: leave room on both sides of the mark.
                try await Task.sleep(for: .milliseconds(30))
                points[name] = format.string(from: Date())
                try await Task.sleep(for: .milliseconds(30))
            }
            try await mark("before")
            var customer = NewCustomer(name: "Audited Ltd")
            customer.ownerID = staff["rep"]
            staff.ids["c1"] = try await crm.createCustomer(
                customer,
                actor: "setup",
                occurredAt: ReportTime.at("2026-02-01")
            )
            try await mark("created")
            try await crm.tagCustomer(
                staff["c1"],
                adding: ["vip"],
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-03-01")
            )
            try await mark("tagged")
            // A late entry: recorded last, it happened before the tag.
            var followUp = CRMFollowUpLogged()
            (followUp.customerID, followUp.channel) = (staff["c1"], .visit)
            try await crm.logFollowUp(followUp, actor: staff["rep"], occurredAt: ReportTime.at("2026-02-15"))
        }
        let (auditor, admin) = (try server.client(as: "auditor", staff), try server.client(as: "admin", staff))
        let customer = Operations.Customer360.Input.Path(customer: staff["c1"])
        func summary(
            _ asOf: String,
            basis: Operations.Customer360.Input.Query.BasisPayload? = nil,
            as who: String = "auditor"
        ) async throws -> String {
            let answer = try await server.client(as: who, staff).customer360(
                path: customer,
                query: .init(asOf: asOf, basis: basis)
            )
            let view = try answer.ok.body.json
            let last = view.followUps.last == nil ? "-" : "visit"
            return "\(view.timelineCount) [\(view.tags.joined(separator: ","))] \(last)"
        }
        #expect(try await summary(points["created"]!) == "1 [] -")
        #expect(try await summary(points["tagged"]!, basis: .recorded, as: "admin") == "2 [vip] -")
        #expect(
            try await summary("2026-02-20", basis: .occurred) == "2 [] visit",
            "the late follow-up was true then; the tag was not"
        )
        let live = try await auditor.customer360(path: customer).ok.body.json
        #expect(live.timelineCount == 3, "\(live)")
        let entries = live.recentTimeline.map(\.position)
        #expect(try await summary("\(entries[1])") == "2 [vip] -", "as of the tag's position")

        let before = try await admin.customer360(path: customer, query: .init(asOf: points["before"]!))
        #expect(try before.notFound.body.json.error.code == "customer_not_found", "\(before)")
        let rep = try await server.client(as: "rep", staff).customer360(
            path: customer,
            query: .init(asOf: "2026-02-20")
        )
        #expect(
            try rep.forbidden.body.json.value1.error.code == "forbidden",
            "the owner sees the view now, not its history: \(rep)"
        )
        let finance = try await server.client(as: "finance", staff).customer360(
            path: customer,
            query: .init(asOf: "2026-02-20")
        )
        #expect((try? finance.forbidden) != nil, "\(finance)")
        let malformed: [Operations.Customer360.Input.Query] = [
            .init(asOf: "yesterday"), .init(asOf: "12", basis: .occurred), .init(basis: .occurred),
            .init(asOf: "9999-01-01"),
        ]
        for query in malformed {
            let answer = try await auditor.customer360(path: customer, query: query)
            #expect(try answer.badRequest.body.json.error.code == "invalid_query_parameter", "\(query): \(answer)")
        }
        // Hand-built: `basis` is an enum in the spec, so the typed client cannot send `sideways`.
        let sideways = try await server.get(
            "/v1/customers/\(staff["c1"])?asOf=2026-02-20&basis=sideways",
            as: "auditor",
            staff
        )
        #expect((sideways.status, sideways.json.errorCode) == (400, "invalid_query_parameter"), "\(sideways.json)")
        try await server.stop()
    }
}
