import CRMSchema
import CRMService
import Foundation
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
        let path = "/v1/customers/\(staff["c1"])"
        func summary(_ query: String, as who: String = "auditor") async throws -> String {
            let view = try await server.get("\(path)?\(query)", as: who, staff)
            #expect(view.status == 200, "\(query): \(view.json)")
            let tags = (view.json["tags"] as? [String] ?? []).joined(separator: ",")
            return
                "\(view.json.int("timelineCount") ?? -1) [\(tags)] \(view.json.object("followUps")["last"] == nil ? "-" : "visit")"
        }
        let encoded = { (point: String) in point.replacingOccurrences(of: "+", with: "%2B") }
        #expect(try await summary("asOf=\(encoded(points["created"]!))") == "1 [] -")
        #expect(try await summary("asOf=\(encoded(points["tagged"]!))&basis=recorded", as: "admin") == "2 [vip] -")
        #expect(
            try await summary("asOf=2026-02-20&basis=occurred") == "2 [] visit",
            "the late follow-up was true then; the tag was not"
        )
        let live = try await server.get(path, as: "auditor", staff)
        #expect(live.json.int("timelineCount") == 3, "\(live.json)")
        let entries = live.json.objects("recentTimeline").compactMap { $0["position"] as? Int }
        #expect(try await summary("asOf=\(entries[1])") == "2 [vip] -", "as of the tag's position")

        let before = try await server.get("\(path)?asOf=\(encoded(points["before"]!))", as: "admin", staff)
        #expect((before.status, before.json.errorCode) == (404, "customer_not_found"))
        let rep = try await server.get("\(path)?asOf=2026-02-20", as: "rep", staff)
        #expect((rep.status, rep.json.errorCode) == (403, "forbidden"), "the owner sees the view now, not its history")
        #expect(try await server.get("\(path)?asOf=2026-02-20", as: "finance", staff).status == 403)
        for query in [
            "asOf=yesterday", "asOf=2026-02-20&basis=sideways", "asOf=12&basis=occurred", "basis=occurred",
            "asOf=9999-01-01",
        ] {
            let malformed = try await server.get("\(path)?\(query)", as: "auditor", staff)
            #expect((malformed.status, malformed.json.errorCode) == (400, "invalid_query_parameter"), "\(query)")
        }
        try await server.stop()
    }
}
