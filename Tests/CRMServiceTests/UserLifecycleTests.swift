import CRMDomain
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import RapportTestSupport
import SwiftProtobuf
import Testing

@Suite("Users and teams over a real log")
struct UserLifecycleTests {
    @Test("team names and user emails are unique; users move between existing teams and change roles")
    func directory() async throws {
        let world = try CRMWorld("users")
        let crm = world.crm
        let east = try await world.team("East")
        let duplicateTeam = await #expect(throws: DomainError.self) { try await world.team("  east ") }
        #expect(duplicateTeam?.code == .duplicateTeam)
        #expect(duplicateTeam?.facts["existing"] == "team-\(east)")

        let rep = try await world.user("li.na", team: east)
        let sameEmail = await #expect(throws: DomainError.self) {
            try await crm.addUser(NewUser(name: "Li Na", email: "LI.NA@example.com", role: .salesRep), actor: "admin")
        }
        #expect(sameEmail?.code == .duplicateUser)
        let badEmail = await #expect(throws: DedupKeyError.self) {
            try await crm.addUser(NewUser(name: "Nobody", email: "not an email", role: .salesRep), actor: "admin")
        }
        #expect(badEmail?.code == .invalidEmail)
        var lost = NewUser(name: "Lost", email: "lost@example.com", role: .salesRep)
        lost.teamID = "no-such-team"
        let noTeam = await #expect(throws: DomainError.self) { try await crm.addUser(lost, actor: "admin") }
        #expect(noTeam?.code == .teamNotFound)

        let west = try await world.team("West")
        try await crm.moveUser(rep, toTeam: west, actor: "admin")
        let again = await #expect(throws: DomainError.self) {
            try await crm.moveUser(rep, toTeam: west, actor: "admin")
        }
        #expect(again?.code == .noChange)
        try await crm.changeRole(of: rep, to: .manager, actor: "admin")
        let types = try world.events(of: "user-\(rep)").map(\.type)
        #expect(types == ["crm.v1.UserAdded", "crm.v1.UserMovedToTeam", "crm.v1.UserRoleChanged"])
        let added = try CRMUserAdded(serializedBytes: try world.events(of: "user-\(rep)")[0].payload)
        #expect((added.email, added.teamID, added.role) == ("li.na@example.com", east, .salesRep))
        await world.close()
    }

    @Test("a departing rep's customers go to the named colleague in the same append as the deactivation")
    func deactivateWithSuccessor() async throws {
        let world = try CRMWorld("users")
        let crm = world.crm
        let team = try await world.team("East")
        let manager = try await world.user("manager", role: .manager, team: team)
        let (leaving, successor) = (
            try await world.user("leaving", team: team), try await world.user("successor", team: team)
        )
        var customers: [String] = []
        for index in 0..<3 {
            let id = try await world.poolCustomer("交接客户\(index)有限公司")
            try await crm.claimCustomer(id, actor: leaving)
            customers.append(id)
        }
        let before = try world.log.head().position

        let result = try await crm.deactivateUser(
            leaving,
            handingCustomersTo: successor,
            reason: "resigned",
            actor: manager
        )
        #expect(result.positions.count == 10, "deactivation, three losses, three gains, three ownership changes")
        let appended = try world.log.readAll(from: before + 1)
        #expect(Set(appended.map(\.recordedAt)).count == 1, "one atomic append")
        let deactivated = try CRMUserDeactivated(serializedBytes: appended[0].payload)
        #expect(deactivated.successorUserID == successor)
        #expect(deactivated.customersHandedOver == 3)
        #expect(deactivated.reason == "resigned")
        for id in customers {
            let change = try CRMCustomerOwnershipChanged(
                serializedBytes: try world.events(of: "customer-\(id)").last!.payload
            )
            #expect((change.fromOwnerID, change.toOwnerID, change.reason) == (leaving, successor, .ownerDeparted))
        }
        let successorState = try await heldCustomers(of: successor, in: world)
        #expect(successorState == Set(customers))
        #expect(try await heldCustomers(of: leaving, in: world).isEmpty)

        // Gone means gone: no claims, no second deactivation, no successor role.
        let pool = try await world.poolCustomer("新客户有限公司")
        let claim = await #expect(throws: DomainError.self) { try await crm.claimCustomer(pool, actor: leaving) }
        #expect(claim?.code == .userInactive)
        let twice = await #expect(throws: DomainError.self) {
            try await crm.deactivateUser(leaving, handingCustomersTo: nil, reason: "again", actor: manager)
        }
        #expect(twice?.code == .userInactive)
        await world.close()
    }

    @Test("without a successor the customers go to the pool; refusals append nothing")
    func deactivateToPool() async throws {
        let world = try CRMWorld("users")
        let crm = world.crm
        let team = try await world.team("East")
        let manager = try await world.user("manager", role: .manager, team: team)
        let leaving = try await world.user("leaving", team: team)
        let outsider = try await world.user("outsider", role: .manager, team: try await world.team("West"))
        let clerk = try await world.user("clerk", role: .finance, team: team)
        let id = try await world.poolCustomer("公海回收有限公司")
        try await crm.claimCustomer(id, actor: leaving)
        let head = try world.log.head().position

        let refusals: [(String?, String, String, DomainError.Code)] = [
            (nil, "", manager, .reasonRequired),
            (nil, "left", outsider, .outsideScope),
            (nil, "left", leaving, .outsideScope),
            (clerk, "left", manager, .roleCannotOwnCustomers),
            ("nobody", "left", manager, .userNotFound),
            (leaving, "left", manager, .invalidValue),
        ]
        for (successor, reason, actor, code) in refusals {
            let error = await #expect(throws: DomainError.self) {
                try await crm.deactivateUser(leaving, handingCustomersTo: successor, reason: reason, actor: actor)
            }
            #expect(error?.code == code)
        }
        #expect(try world.log.head().position == head)

        try await crm.deactivateUser(leaving, handingCustomersTo: nil, reason: "contract ended", actor: manager)
        let change = try CRMCustomerOwnershipChanged(
            serializedBytes: try world.events(of: "customer-\(id)").last!.payload
        )
        #expect((change.fromOwnerID, change.toOwnerID, change.reason) == (leaving, "", .ownerDeparted))
        let other = try await world.user("other", team: team)
        try await crm.claimCustomer(id, actor: other)
        await world.close()
    }

    @Test("a successor who would pass the holding cap is refused, and the rep stays with the customers")
    func successorCap() async throws {
        let world = try CRMWorld("users")
        let crm = world.crm
        var rules = CRMPoolRulesConfigured()
        (rules.dailyClaimLimit, rules.holdingCap) = (10, 3)
        try await crm.configurePoolRules(rules, actor: "admin")
        let (leaving, successor) = (try await world.user("leaving"), try await world.user("successor"))
        for index in 0..<2 {
            try await crm.claimCustomer(try await world.poolCustomer("甲\(index)有限公司"), actor: leaving)
            try await crm.claimCustomer(try await world.poolCustomer("乙\(index)有限公司"), actor: successor)
        }
        let error = await #expect(throws: DomainError.self) {
            try await crm.deactivateUser(
                leaving,
                handingCustomersTo: successor,
                reason: "left",
                actor: "admin-is-not-a-user"
            )
        }
        #expect(error?.code == .outsideScope, "an actor who is no user manages nobody")
        let admin = try await world.user("admin", role: .admin)
        let full = await #expect(throws: DomainError.self) {
            try await crm.deactivateUser(leaving, handingCustomersTo: successor, reason: "left", actor: admin)
        }
        #expect(full?.code == .holdingCapReached)
        #expect(full?.facts == ["held": "2", "incoming": "2", "cap": "3"])
        #expect(try await heldCustomers(of: leaving, in: world).count == 2)
        await world.close()
    }

    @Test("claims racing a deactivation: the departed rep ends with nothing, every customer has a live owner or none")
    func claimsRacingDeactivation() async throws {
        let world = try CRMWorld("users")
        let crm = world.crm
        let admin = try await world.user("admin", role: .admin)
        let (leaving, successor) = (try await world.user("leaving"), try await world.user("successor"))
        var ids: [String] = []
        for index in 0..<12 { ids.append(try await world.poolCustomer("竞速客户\(index)有限公司")) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask { _ = try? await crm.claimCustomer(id, actor: leaving) }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(5))
                try await crm.deactivateUser(leaving, handingCustomersTo: successor, reason: "left", actor: admin)
            }
            try await group.waitForAll()
        }
        #expect(try await heldCustomers(of: leaving, in: world).isEmpty)
        let successorHolds = try await heldCustomers(of: successor, in: world)
        for id in ids {
            let owner =
                try world.events(of: "customer-\(id)").compactMap { event in
                    event.type == "crm.v1.CustomerOwnershipChanged"
                        ? try CRMCustomerOwnershipChanged(serializedBytes: event.payload).toOwnerID : nil
                }.last ?? ""
            #expect(owner == "" || owner == successor)
            #expect(successorHolds.contains(id) == (owner == successor))
        }
        await world.close()
    }

    private func heldCustomers(of user: String, in world: CRMWorld) async throws -> Set<String> {
        var state = UserState(userID: user)
        for event in try world.events(of: "user-\(user)") {
            let message = try EventCatalogue.crm.decode(
                typeName: event.type,
                schemaVersion: event.schemaVersion,
                payload: event.payload
            )
            state.apply(message, recordedAt: event.recordedAt.date)
        }
        return state.holdings.customers
    }
}
