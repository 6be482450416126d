import CRMSchema
import CRMService
import Foundation
import RapportAPI
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
        func customers(_ reminders: [Components.Schemas.Reminder]?) -> [String] {
            (reminders ?? []).compactMap(\.customerID)
        }
        let (rep, other) = (try server.client(as: "rep", staff), try server.client(as: "other", staff))
        let answer = try await rep.reminders(query: .init(day: "2026-09-10"))
        let today = try answer.ok.body.json
        #expect((today.rep, customers(today.contactToday)) == (staff["rep"], [staff["c1"]]), "\(answer)")
        let eve = try await server.client(as: "manager", staff).reminders(
            query: .init(rep: staff["rep"], day: "2026-09-09")
        )
        #expect(customers(try eve.ok.body.json.contactTomorrow) == [staff["c1"]])
        let late = try await server.client(as: "admin", staff).reminders(
            query: .init(rep: staff["rep"], day: "2026-09-15")
        )
        #expect(customers(try late.ok.body.json.overdueFollowUps) == [staff["c1"]])
        let quiet = try await rep.reminders(query: .init(day: "2026-12-10", noOrderDays: 30)).ok.body.json
        #expect(customers(quiet.noOrder) == [staff["c1"]])
        #expect(quiet.noOrderDays == 30)
        let theirs = try await other.reminders(query: .init(day: "2026-09-10")).ok.body.json
        #expect((theirs.contactToday ?? []).isEmpty)

        let outside = try await other.reminders(query: .init(rep: staff["rep"]))
        #expect(try outside.forbidden.body.json.value1.error.code == "outside_scope", "\(outside)")
        let west = try await server.client(as: "west", staff).reminders(query: .init(rep: staff["rep"]))
        #expect((try? west.forbidden) != nil, "\(west)")
        let service = try await server.client(as: "subscriber", staff).reminders(query: .init(rep: staff["rep"]))
        #expect((try? service.forbidden) != nil, "\(service)")
        let malformed: [(String, Operations.Reminders.Output)] = [
            ("day=2026-09-31", try await rep.reminders(query: .init(day: "2026-09-31"))),
            ("noOrderDays=-1", try await rep.reminders(query: .init(noOrderDays: -1))),
        ]
        for (query, answer) in malformed {
            #expect(try answer.badRequest.body.json.error.code == "invalid_query_parameter", "\(query): \(answer)")
        }
        // The typed client cannot send a `dueWithinDays` that is not an integer.
        #expect(
            try await server.get("/v1/reminders?dueWithinDays=x", as: "rep", staff).json.errorCode
                == "invalid_query_parameter"
        )
        try await server.stop()
    }
}
