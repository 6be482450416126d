import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import Testing

@Suite("Users and teams read model")
struct UsersTests {
    @Test("role, team, active, holdings through claims, releases, creation and a handover; claims by business day")
    func holdingsAndClaims() async throws {
        let world = try CRMWorld("users-holdings")
        let crm = world.crm
        let east = try await world.team("East")
        let west = try await world.team("West")
        let alice = try await world.user("alice", team: east)
        let erin = try await world.user("erin", role: .manager, team: east)
        let bob = try await world.user("bob", team: west)
        let admin = try await world.user("ada", role: .admin)
        let pool = [
            try await world.poolCustomer("一号有限公司"), try await world.poolCustomer("二号有限公司"),
            try await world.poolCustomer("三号有限公司"),
        ]
        // Alice claims two and gives one back; a customer created as hers counts, not as a claim.
        try await crm.claimCustomer(pool[0], actor: alice)
        try await crm.claimCustomer(pool[1], actor: alice)
        try await crm.releaseCustomer(pool[1], actor: alice)
        var owned = NewCustomer(name: "四号有限公司")
        owned.ownerID = alice
        _ = try await crm.createCustomer(owned, actor: alice)
        // Bob claims one, then leaves, handing it to Alice.
        try await crm.claimCustomer(pool[2], actor: bob)
        let lastClaim = try #require(try world.events(of: "user-\(bob)").last).recordedAt.date
        try await crm.deactivateUser(bob, handingCustomersTo: alice, reason: "left", actor: admin)
        try await crm.changeRole(of: erin, to: .salesRep, actor: admin)

        let rules = PoolRules.defaults
        let people = UserQueries(store: try await world.readModels([UsersProjector.self]), rules: rules)
        let users = try people.users(now: lastClaim)
        #expect(users.map(\.userID) == [admin, alice, bob, erin].sorted())
        let summary = try people.user(id: alice, now: lastClaim)
        #expect(
            (summary.role, summary.teamID, summary.isActive, summary.holdings) == ("sales_rep", east, true, 3),
            "claimed 2, released 1, created 1, handed 1: \(summary)"
        )
        #expect(summary.claimsToday == 2, "a released claim was still a claim that day")
        #expect((summary.holdingCap, summary.dailyClaimLimit) == (rules.holdingCap, rules.dailyClaimLimit))
        let left = try people.user(id: bob, now: lastClaim)
        #expect((left.isActive, left.holdings, left.claimsToday) == (false, 0, 1))
        #expect(try people.user(id: erin, now: lastClaim).role == "sales_rep")
        let nextDay = lastClaim.addingTimeInterval(86_400)
        #expect(try people.user(id: alice, now: nextDay).claimsToday == 0, "a new business day counts afresh")

        #expect(try people.users(team: west, now: lastClaim).map(\.userID) == [bob])
        let teams = try people.teams()
        #expect(teams.map(\.teamID) == [east, west].sorted())
        let eastTeam = try #require(teams.first { $0.teamID == east })
        #expect((eastTeam.name, eastTeam.activeMembers, eastTeam.holdings) == ("East", 2, 3))
        let westTeam = try #require(teams.first { $0.teamID == west })
        #expect((westTeam.activeMembers, westTeam.holdings) == (0, 0), "an inactive member is not counted")
        #expect(try people.teams(east).map(\.teamID) == [east])
        #expect(throws: ReadModelQueryError.self) { try people.user(id: "nobody", now: lastClaim) }
        await world.close()
    }
}
