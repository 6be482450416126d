import CRMDomain
import CRMSchema
import Foundation
import Testing

@Suite("User and team decisions")
struct UserDecisionsTests {
    let rules = PoolRules(
        dailyClaimLimit: 20,
        holdingCap: 3,
        previousOwnerCooldownDays: 30,
        idleDaysByLevel: [:],
        defaultIdleDays: 30,
        warningDaysBeforeRelease: 3,
        businessTimeZone: TimeZone(secondsFromGMT: 8 * 3600)!
    )
    let admin = user("admin-1", role: .admin, team: "")
    let manager = user("manager-1", role: .manager)

    /// A team as its stream would fold, or one never created.
    private func team(_ id: String, exists: Bool = true) -> TeamState {
        var state = TeamState(teamID: id)
        if exists {
            var created = CRMTeamCreated()
            (created.teamID, created.name) = (id, "Team \(id)")
            state.apply(created)
        }
        return state
    }

    /// `user` holding `customers`.
    private func holding(_ state: UserState, _ customers: Set<String>) -> UserState {
        var state = state
        state.holdings.customers = customers
        return state
    }

    // MARK: - Teams and users

    @Test("a team is created with its trimmed name; a blank name is refused")
    func createTeam() throws {
        let event = try UserDecisions.createTeam(id: "team-9", name: "  East China  ")
        #expect((event.teamID, event.name) == ("team-9", "East China"))
        let error = #expect(throws: DomainError.self) { try UserDecisions.createTeam(id: "team-9", name: " \n ") }
        #expect(error?.code == .fieldRequired)
        #expect(error?.facts == ["field": "name"])
    }

    @Test("a user is added with a trimmed name, a role and the team named, or none")
    func add() throws {
        let event = try UserDecisions.add(
            id: "u-1",
            name: " Zhang Wei ",
            email: "zhang@example.com",
            role: .salesRep,
            team: team("team-1")
        )
        #expect(event.userID == "u-1")
        #expect(event.name == "Zhang Wei")
        #expect(event.email == "zhang@example.com")
        #expect(event.role == .salesRep)
        #expect(event.teamID == "team-1")
        #expect(try UserDecisions.add(id: "u-2", name: "Li", email: "", role: .finance, team: nil).teamID == "")
    }

    @Test("adding a user without a name, without a role, or to a team that does not exist is refused")
    func addRefusals() {
        let blank = #expect(throws: DomainError.self) {
            try UserDecisions.add(id: "u-1", name: "   ", email: "", role: .salesRep, team: nil)
        }
        #expect(blank?.code == .fieldRequired)
        #expect(blank?.facts == ["field": "name"])
        let noRole = #expect(throws: DomainError.self) {
            try UserDecisions.add(id: "u-1", name: "Li", email: "", role: .unspecified, team: nil)
        }
        #expect(noRole?.code == .invalidValue)
        #expect(noRole?.facts == ["field": "role"])
        let noTeam = #expect(throws: DomainError.self) {
            try UserDecisions.add(
                id: "u-1",
                name: "Li",
                email: "",
                role: .salesRep,
                team: team("team-x", exists: false)
            )
        }
        #expect(noTeam?.code == .teamNotFound)
        #expect(noTeam?.facts == ["team": "team-x"])
    }

    @Test("an active user moves to another existing team; the event names both teams")
    func move() throws {
        let event = try UserDecisions.move(user("rep-1"), to: team("team-2"))
        #expect((event.userID, event.fromTeamID, event.toTeamID) == ("rep-1", "team-1", "team-2"))
    }

    @Test("moving to the same team, a departed or unknown user, or to an unknown team is refused")
    func moveRefusals() {
        let same = #expect(throws: DomainError.self) { try UserDecisions.move(user("rep-1"), to: team("team-1")) }
        #expect(same?.code == .noChange)
        #expect(same?.facts == ["team": "team-1"])
        let inactive = #expect(throws: DomainError.self) {
            try UserDecisions.move(user("rep-1", active: false), to: team("team-2"))
        }
        #expect(inactive?.code == .userInactive)
        #expect(inactive?.facts == ["user": "rep-1"])
        let unknown = #expect(throws: DomainError.self) {
            try UserDecisions.move(UserState(userID: "ghost"), to: team("team-2"))
        }
        #expect(unknown?.code == .userNotFound)
        #expect(unknown?.facts == ["user": "ghost"])
        let noTeam = #expect(throws: DomainError.self) {
            try UserDecisions.move(user("rep-1"), to: team("team-x", exists: false))
        }
        #expect(noTeam?.code == .teamNotFound)
        #expect(noTeam?.facts == ["team": "team-x"])
    }

    @Test("a role change names the old and new role; the same role, no role or a departed user is refused")
    func changeRole() throws {
        let event = try UserDecisions.changeRole(user("rep-1"), to: .manager)
        #expect((event.userID, event.fromRole, event.toRole) == ("rep-1", .salesRep, .manager))
        let same = #expect(throws: DomainError.self) { try UserDecisions.changeRole(user("rep-1"), to: .salesRep) }
        #expect(same?.code == .noChange)
        #expect(same?.facts == ["role": "\(CRMRole.salesRep)"])
        let noRole = #expect(throws: DomainError.self) { try UserDecisions.changeRole(user("rep-1"), to: .unspecified) }
        #expect(noRole?.code == .invalidValue)
        #expect(noRole?.facts == ["field": "role"])
        let inactive = #expect(throws: DomainError.self) {
            try UserDecisions.changeRole(user("rep-1", active: false), to: .manager)
        }
        #expect(inactive?.code == .userInactive)
    }

    // MARK: - Deactivation

    @Test("deactivating hands every customer, in id order, to the successor, with the reason as note")
    func deactivateToSuccessor() throws {
        let leaving = holding(user("rep-1"), ["c-3", "c-1", "c-2"])
        let result = try UserDecisions.deactivate(
            leaving,
            by: manager,
            successor: user("rep-2"),
            reason: "left the company",
            rules: rules
        )
        #expect(result.deactivated.userID == "rep-1")
        #expect(result.deactivated.reason == "left the company")
        #expect(result.deactivated.successorUserID == "rep-2")
        #expect(result.deactivated.customersHandedOver == 3)
        #expect(result.handovers.map(\.customerID) == ["c-1", "c-2", "c-3"])
        for handover in result.handovers {
            #expect(handover.fromOwnerID == "rep-1")
            #expect(handover.toOwnerID == "rep-2")
            #expect(handover.reason == .ownerDeparted)
            #expect(handover.note == "left the company")
        }
    }

    @Test("without a successor, deactivating releases every customer to the pool")
    func deactivateToPool() throws {
        let leaving = holding(user("rep-1"), ["c-2", "c-1"])
        let result = try UserDecisions.deactivate(leaving, by: admin, successor: nil, reason: "retired", rules: rules)
        #expect(result.deactivated.successorUserID == "")
        #expect(result.deactivated.customersHandedOver == 2)
        #expect(result.handovers.map(\.customerID) == ["c-1", "c-2"])
        #expect(
            result.handovers.allSatisfy {
                $0.toOwnerID == "" && $0.fromOwnerID == "rep-1" && $0.reason == .ownerDeparted
            }
        )
        let empty = try UserDecisions.deactivate(
            user("rep-3"),
            by: admin,
            successor: nil,
            reason: "retired",
            rules: rules
        )
        #expect(empty.deactivated.customersHandedOver == 0)
        #expect(empty.handovers.isEmpty)
    }

    @Test("folding the deactivation leaves the departed user inactive and the successor holding the customers")
    func deactivationFolds() throws {
        var leaving = holding(user("rep-1"), ["c-1", "c-2"])
        var successor = user("rep-2")
        let result = try UserDecisions.deactivate(
            leaving,
            by: manager,
            successor: successor,
            reason: "left",
            rules: rules
        )
        leaving.apply(result.deactivated, recordedAt: .distantPast)
        for handover in result.handovers {
            leaving.apply(RepHoldings.entry(handover, gained: false), recordedAt: .distantPast)
            successor.apply(RepHoldings.entry(handover, gained: true), recordedAt: .distantPast)
        }
        #expect(!leaving.isActive)
        #expect(leaving.holdings.customers.isEmpty)
        #expect(successor.holdings.customers == ["c-1", "c-2"])
        #expect(successor.holdings.claimsByDay.isEmpty, "a handover is not a claim")
    }

    @Test("deactivating needs a reason, an actor who manages the user, and not the user themselves")
    func deactivateRefusals() {
        let noReason = #expect(throws: DomainError.self) {
            try UserDecisions.deactivate(user("rep-1"), by: manager, successor: nil, reason: "  ", rules: rules)
        }
        #expect(noReason?.code == .reasonRequired)
        #expect(noReason?.facts == ["field": "reason"])
        for actor in [
            user("rep-2"),
            user("manager-2", role: .manager, team: "team-2"),
            user("manager-1", role: .manager, active: false),
            user("finance-1", role: .finance),
        ] {
            let error = #expect(throws: DomainError.self, "\(actor.userID)") {
                try UserDecisions.deactivate(user("rep-1"), by: actor, successor: nil, reason: "left", rules: rules)
            }
            #expect(error?.code == .outsideScope, "\(actor.userID)")
            #expect(error?.facts == ["actor": actor.userID, "user": "rep-1", "team": "team-1"], "\(actor.userID)")
        }
        let themselves = #expect(throws: DomainError.self) {
            try UserDecisions.deactivate(manager, by: manager, successor: nil, reason: "leaving", rules: rules)
        }
        #expect(themselves?.code == .outsideScope)
        let departed = #expect(throws: DomainError.self) {
            try UserDecisions.deactivate(
                user("rep-1", active: false),
                by: admin,
                successor: nil,
                reason: "left",
                rules: rules
            )
        }
        #expect(departed?.code == .userInactive)
        let unknown = #expect(throws: DomainError.self) {
            try UserDecisions.deactivate(
                UserState(userID: "ghost"),
                by: admin,
                successor: nil,
                reason: "left",
                rules: rules
            )
        }
        #expect(unknown?.code == .userNotFound)
    }

    @Test(
        "the successor is another active user who may own customers",
        arguments: [
            (UserState(userID: "ghost"), DomainError.Code.userNotFound),
            (user("rep-2", active: false), .userInactive),
            (user("finance-1", role: .finance), .roleCannotOwnCustomers),
            (user("admin-2", role: .admin), .roleCannotOwnCustomers),
            (user("auditor-1", role: .auditor), .roleCannotOwnCustomers),
        ]
    )
    func successorRefused(_ successor: UserState, _ code: DomainError.Code) {
        let error = #expect(throws: DomainError.self) {
            try UserDecisions.deactivate(
                holding(user("rep-1"), ["c-1"]),
                by: manager,
                successor: successor,
                reason: "left",
                rules: rules
            )
        }
        #expect(error?.code == code)
        #expect(error?.facts["user"] == successor.userID)
    }

    @Test(
        "a manager deactivates the team's reps, never an admin or another manager, and hands customers only within the team"
    )
    func managerScope() throws {
        for peer in [user("manager-2", role: .manager), user("admin-7", role: .admin)] {
            let error = #expect(throws: DomainError.self, "\(peer.userID)") {
                try UserDecisions.deactivate(peer, by: manager, successor: nil, reason: "left", rules: rules)
            }
            #expect(error?.code == .outsideScope, "\(peer.userID)")
        }
        #expect(
            try UserDecisions.deactivate(
                user("manager-2", role: .manager),
                by: admin,
                successor: nil,
                reason: "left",
                rules: rules
            ).handovers.isEmpty
        )

        let leaving = holding(user("rep-1"), ["c-1"])
        let otherTeam = #expect(throws: DomainError.self) {
            try UserDecisions.deactivate(
                leaving,
                by: manager,
                successor: user("rep-9", team: "team-9"),
                reason: "left",
                rules: rules
            )
        }
        #expect(otherTeam?.code == .outsideScope)
        #expect(otherTeam?.facts["user"] == "rep-9")
        let byAdmin = try UserDecisions.deactivate(
            leaving,
            by: admin,
            successor: user("rep-9", team: "team-9"),
            reason: "  left  ",
            rules: rules
        )
        #expect(byAdmin.handovers.map(\.toOwnerID) == ["rep-9"])
        #expect(byAdmin.handovers.map(\.note) == ["left"], "the note is the trimmed reason")
    }

    @Test("a user cannot succeed themselves")
    func selfSuccession() {
        let error = #expect(throws: DomainError.self) {
            try UserDecisions.deactivate(
                user("rep-1"),
                by: manager,
                successor: user("rep-1"),
                reason: "left",
                rules: rules
            )
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "successor"])
    }

    @Test("the successor may reach the holding cap but not pass it; the refusal gives held, incoming and cap")
    func successorCap() throws {
        let leaving = holding(user("rep-1"), ["c-1", "c-2"])
        let atCap = try UserDecisions.deactivate(
            leaving,
            by: manager,
            successor: holding(user("rep-2"), ["c-9"]),
            reason: "left",
            rules: rules
        )
        #expect(atCap.handovers.count == 2)
        let error = #expect(throws: DomainError.self) {
            try UserDecisions.deactivate(
                leaving,
                by: manager,
                successor: holding(user("rep-2"), ["c-8", "c-9"]),
                reason: "left",
                rules: rules
            )
        }
        #expect(error?.code == .holdingCapReached)
        #expect(error?.facts == ["held": "2", "incoming": "2", "cap": "3"])
    }

    // MARK: - Scope and roles

    @Test("who manages whom: oneself, an admin, or a manager of the same non-empty team; nobody inactive")
    func manages() {
        let rep = user("rep-1")
        #expect(rep.manages(rep))
        #expect(!rep.manages(user("rep-2")))
        #expect(admin.manages(rep))
        #expect(admin.manages(user("rep-9", team: "team-9")))
        #expect(manager.manages(rep))
        #expect(!manager.manages(user("rep-9", team: "team-9")))
        let teamless = user("manager-0", role: .manager, team: "")
        #expect(!teamless.manages(user("rep-0", team: "")), "an empty team is no team")
        #expect(!user("admin-2", role: .admin, active: false).manages(rep))
        #expect(!user("rep-1", active: false).manages(rep), "a departed user does not even manage themselves")
        #expect(!user("finance-1", role: .finance).manages(rep))
    }

    @Test(
        "only an active sales rep or manager may own customers",
        arguments: [
            (CRMRole.salesRep, true, true),
            (.manager, true, true),
            (.admin, true, false),
            (.finance, true, false),
            (.auditor, true, false),
            (.unspecified, true, false),
            (.salesRep, false, false),
            (.manager, false, false),
        ]
    )
    func canOwnCustomers(_ role: CRMRole, _ active: Bool, _ expected: Bool) {
        #expect(user("u-1", role: role, active: active).canOwnCustomers == expected)
    }

    @Test("a user never added owns nothing and manages nobody")
    func unknownUser() {
        let ghost = UserState(userID: "ghost")
        #expect(!ghost.exists)
        #expect(!ghost.canOwnCustomers)
        #expect(!ghost.manages(ghost))
    }

    @Test("the user stream folds moves and role changes")
    func userFolds() throws {
        var state = user("rep-1")
        state.apply(try UserDecisions.move(state, to: team("team-2")), recordedAt: .distantPast)
        state.apply(try UserDecisions.changeRole(state, to: .manager), recordedAt: .distantPast)
        #expect((state.teamID, state.role, state.isActive) == ("team-2", .manager, true))
    }
}
