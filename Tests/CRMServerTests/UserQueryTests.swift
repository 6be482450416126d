import CRMDomain
import CRMService
import Foundation
import RapportAPI
import Testing

/// The users and teams over HTTP, through the generated client: admins and auditors see every
/// one, a manager their own team, reps none.
@Suite("Users and teams over HTTP")
struct UserQueryTests {
    @Test("users a page at a time with holdings against the cap; a manager sees their team; teams with members")
    func usersAndTeams() async throws {
        let (server, staff) = try await RunningServer.staffed("users") { crm, staff in
            for name in ["Rep One Ltd", "Rep Two Ltd"] {
                var customer = NewCustomer(name: name)
                customer.ownerID = staff["rep"]
                _ = try await crm.createCustomer(customer, actor: "setup", occurredAt: ReportTime.at("2026-03-01"))
            }
        }
        let (admin, manager, auditor, rep) = (
            try server.client(as: "admin", staff), try server.client(as: "manager", staff),
            try server.client(as: "auditor", staff), try server.client(as: "rep", staff)
        )
        let everyone = ["admin", "manager", "rep", "other", "west", "finance", "auditor"].map { staff[$0] }.sorted()

        let first = try await admin.listUsers(query: .init(limit: 4)).ok.body.json
        #expect(first.users.map(\.userID) == Array(everyone.prefix(4)))
        let rest = try await admin.listUsers(query: .init(after: first.next, limit: 4)).ok.body.json
        #expect(rest.users.map(\.userID) == Array(everyone.dropFirst(4)) && rest.next == nil)
        let repRow = try #require((first.users + rest.users).first { $0.userID == staff["rep"] })
        #expect(
            (repRow.role, repRow.teamID, repRow.isActive, repRow.holdings, repRow.holdingCap, repRow.dailyClaimLimit)
                == (.salesRep, staff["east"], true, 2, 50, 50),
            "the staffing's pool rules: a cap of 50, 50 claims a day"
        )

        let malformed = try await admin.listUsers(query: .init(team: "东区"))
        #expect(try malformed.badRequest.body.json.error.code == "invalid_query_parameter", "\(malformed)")
        let team = try await manager.listUsers().ok.body.json.users.map(\.userID)
        #expect(team == [staff["manager"], staff["rep"], staff["other"]].sorted(), "a manager's own team")
        let otherTeam = try await manager.listUsers(query: .init(team: staff["westTeam"]))
        #expect(try otherTeam.forbidden.body.json.value1.error.code == "outside_scope", "\(otherTeam)")
        #expect(try await manager.user(path: .init(user: staff["rep"])).ok.body.json.holdings == 2)
        let west = try await manager.user(path: .init(user: staff["west"]))
        #expect(try west.forbidden.body.json.value1.error.code == "outside_scope", "\(west)")
        let refused = try await rep.listUsers()
        #expect(try refused.forbidden.body.json.value1.error.code == "forbidden", "\(refused)")
        let missing = try await auditor.user(path: .init(user: "nobody"))
        #expect(try missing.notFound.body.json.error.code == "not_found", "\(missing)")

        let teams = try await auditor.listTeams().ok.body.json.teams
        #expect(teams.map(\.teamID) == [staff["east"], staff["westTeam"]].sorted())
        let east = try #require(teams.first { $0.teamID == staff["east"] })
        #expect((east.name, east.activeMembers, east.holdings) == ("East", 3, 2))
        #expect(try await manager.listTeams().ok.body.json.teams.map(\.teamID) == [staff["east"]])
        try await server.stop()
    }
}
