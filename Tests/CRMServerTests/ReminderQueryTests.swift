import CRMSchema
import CRMService
import Foundation
import SwiftProtobuf
import Testing

/// A rep's reminders over HTTP.
@Suite("Reminders over HTTP")
struct ReminderQueryTests {
    @Test("a rep's reminders on a day: their own, or a rep within the caller's scope")
    func reminders() async throws {
        let (server, staff) = try await RunningServer.staffed("reminders") { crm, staff in
            var customer = NewCustomer(name: "Call Me Ltd")
            customer.ownerID = staff["rep"]
            staff.ids["c1"] = try await crm.createCustomer(
                customer,
                actor: "setup",
                occurredAt: ReportTime.at("2026-09-01", 9)
            )
            var followUp = CRMFollowUpLogged()
            (followUp.customerID, followUp.channel) = (staff["c1"], .call)
            followUp.nextContactAt = .init(date: ReportTime.at("2026-09-10"))
            try await crm.logFollowUp(followUp, actor: staff["rep"], occurredAt: ReportTime.at("2026-09-01"))
        }
        func customers(_ json: [String: Any], _ list: String) -> [String] {
            json.objects(list).compactMap { $0["customerID"] as? String }
        }
        let today = try await server.get("/v1/reminders?day=2026-09-10", as: "rep", staff)
        #expect(today.status == 200, "\(today.json)")
        #expect(
            (today.json["rep"] as? String, customers(today.json, "contactToday")) == (staff["rep"], [staff["c1"]]),
            "\(today.json)"
        )
        let eve = try await server.get("/v1/reminders?day=2026-09-09&rep=\(staff["rep"])", as: "manager", staff)
        #expect(customers(eve.json, "contactTomorrow") == [staff["c1"]])
        let late = try await server.get("/v1/reminders?day=2026-09-15&rep=\(staff["rep"])", as: "admin", staff)
        #expect(customers(late.json, "overdueFollowUps") == [staff["c1"]])
        let quiet = try await server.get("/v1/reminders?day=2026-12-10&noOrderDays=30", as: "rep", staff)
        #expect(customers(quiet.json, "noOrder") == [staff["c1"]])
        #expect(quiet.json.int("noOrderDays") == 30)
        #expect(
            try await server.get("/v1/reminders?day=2026-09-10", as: "other", staff).json.objects("contactToday")
                .isEmpty
        )

        #expect(
            try await server.get("/v1/reminders?rep=\(staff["rep"])", as: "other", staff).json.errorCode
                == "outside_scope"
        )
        #expect(try await server.get("/v1/reminders?rep=\(staff["rep"])", as: "west", staff).status == 403)
        #expect(try await server.get("/v1/reminders?rep=\(staff["rep"])", as: "subscriber", staff).status == 403)
        for query in ["day=2026-09-31", "noOrderDays=-1", "dueWithinDays=x"] {
            #expect(
                try await server.get("/v1/reminders?\(query)", as: "rep", staff).json.errorCode
                    == "invalid_query_parameter",
                "\(query)"
            )
        }
        try await server.stop()
    }
}
