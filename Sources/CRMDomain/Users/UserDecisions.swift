public import CRMSchema
import Foundation

/// Users and teams: add, move between teams, change role, deactivate.
///
/// Who may administer users is the API's concern (admins); these decisions keep the
/// directory consistent, and deactivation makes sure a departing user's customers stay
/// with the company.
public enum UserDecisions {
    /// A new team called `name`.
    public static func createTeam(id: String, name: String) throws(DomainError) -> CRMTeamCreated {
        var event = CRMTeamCreated()
        (event.teamID, event.name) = (id, try required(name, "name"))
        return event
    }

    /// A new active user. `email` is already normalized (lowercased); `team` is the team
    /// named by the command, if any.
    ///
    /// - Throws: `field_required` for an empty name; `invalid_value` for no role;
    ///   `team_not_found`.
    public static func add(
        id: String,
        name: String,
        email: String,
        role: CRMRole,
        team: TeamState?
    ) throws(DomainError) -> CRMUserAdded {
        var event = CRMUserAdded()
        (event.userID, event.name, event.email) = (id, try required(name, "name"), email)
        event.role = try validRole(role)
        if let team {
            try requireExists(team)
            event.teamID = team.teamID
        }
        return event
    }

    /// Moves an active user to another team.
    ///
    /// - Throws: `user_not_found`, `user_inactive`, `team_not_found`, `no_change`.
    public static func move(_ user: UserState, to team: TeamState) throws(DomainError) -> CRMUserMovedToTeam {
        try requireActive(user)
        try requireExists(team)
        guard user.teamID != team.teamID else {
            throw DomainError(
                .noChange,
                "\(user.userID) is in team \(team.teamID) already",
                facts: ["team": team.teamID]
            )
        }
        var event = CRMUserMovedToTeam()
        (event.userID, event.fromTeamID, event.toTeamID) = (user.userID, user.teamID, team.teamID)
        return event
    }

    /// Gives an active user another role. A rep who becomes admin, finance or auditor keeps
    /// the customers held until they are handed over: the role decides what they may do next.
    ///
    /// - Throws: `user_not_found`, `user_inactive`, `invalid_value`, `no_change`.
    public static func changeRole(_ user: UserState, to role: CRMRole) throws(DomainError) -> CRMUserRoleChanged {
        try requireActive(user)
        guard try validRole(role) != user.role else {
            throw DomainError(.noChange, "\(user.userID) is a \(role) already", facts: ["role": "\(role)"])
        }
        var event = CRMUserRoleChanged()
        (event.userID, event.fromRole, event.toRole) = (user.userID, user.role, role)
        return event
    }

    /// What deactivating a user appends: the `UserDeactivated` and one ownership change per
    /// customer held, to the successor or to the pool.
    public struct Deactivation: Sendable, Hashable {
        public var deactivated: CRMUserDeactivated
        /// One per customer the user held, in customer-id order.
        public var handovers: [CRMCustomerOwnershipChanged]
    }

    /// Deactivates `user`, handing every customer they hold to `successor`, or releasing
    /// them all to the public pool when there is none, so nobody leaves with customers.
    ///
    /// - Parameter actor: who deactivates: an admin, or a manager of the user's team for the
    ///   team's reps, finance and auditors; the successor must be in the actor's scope too.
    /// - Throws: `user_not_found`, `user_inactive`, `reason_required`, `outside_scope`;
    ///   for the successor `invalid_value` (the user themselves), `user_not_found`,
    ///   `user_inactive`, `role_cannot_own_customers`, and `holding_cap_reached` when the
    ///   customers would take them past the cap.
    public static func deactivate(
        _ user: UserState,
        by actor: UserState,
        successor: UserState?,
        reason: String,
        rules: PoolRules
    ) throws(DomainError) -> Deactivation {
        try requireActive(user)
        // A manager deactivates the reps of the team; admins and managers only an admin.
        let outranks = actor.role == .admin || (user.role != .admin && user.role != .manager)
        guard actor.manages(user), actor.userID != user.userID, outranks else {
            throw outsideScope(actor, acting: "deactivate", on: user)
        }
        var deactivated = CRMUserDeactivated()
        (deactivated.userID, deactivated.reason) = (user.userID, try required(reason, "reason", code: .reasonRequired))
        let customers = user.holdings.customers.sorted()
        if let successor {
            guard successor.userID != user.userID else {
                throw DomainError(
                    .invalidValue,
                    "\(user.userID) cannot succeed themselves",
                    facts: ["field": "successor"]
                )
            }
            try requireCanOwnCustomers(successor)
            guard actor.manages(successor) else {
                throw outsideScope(actor, acting: "hand customers to", on: successor)
            }
            let held = successor.holdings.customers.count
            guard held + customers.count <= rules.holdingCap else {
                throw DomainError(
                    .holdingCapReached,
                    "\(successor.userID) holds \(held) customers and would get \(customers.count) more; the cap is \(rules.holdingCap)",
                    facts: ["held": String(held), "incoming": String(customers.count), "cap": String(rules.holdingCap)]
                )
            }
            deactivated.successorUserID = successor.userID
        }
        deactivated.customersHandedOver = Int32(customers.count)
        let handovers = customers.map { customerID in
            var change = CRMCustomerOwnershipChanged()
            (change.customerID, change.fromOwnerID, change.toOwnerID) = (
                customerID, user.userID, successor?.userID ?? ""
            )
            (change.reason, change.note) = (.ownerDeparted, deactivated.reason)
            return change
        }
        return Deactivation(deactivated: deactivated, handovers: handovers)
    }

    // MARK: - Checks shared with the other decisions

    /// Refuses a user who was never added or has been deactivated.
    public static func requireActive(_ user: UserState) throws(DomainError) {
        guard user.exists else {
            throw DomainError(.userNotFound, "no user \(user.userID)", facts: ["user": user.userID])
        }
        guard user.isActive else {
            throw DomainError(.userInactive, "user \(user.userID) has been deactivated", facts: ["user": user.userID])
        }
    }

    /// Refuses a user who may not own customers: absent, deactivated, or in a role without
    /// customers (admin, finance, auditor).
    public static func requireCanOwnCustomers(_ user: UserState) throws(DomainError) {
        try requireActive(user)
        guard user.canOwnCustomers else {
            throw DomainError(
                .roleCannotOwnCustomers,
                "\(user.userID) is a \(user.role); only sales reps and managers own customers",
                facts: ["user": user.userID, "role": "\(user.role)"]
            )
        }
    }

    /// The refusal for an actor acting on a user they do not manage.
    static func outsideScope(_ actor: UserState, acting action: String, on user: UserState) -> DomainError {
        DomainError(
            .outsideScope,
            "\(actor.userID) may not \(action) \(user.userID): only an admin or a manager of team \(user.teamID.isEmpty ? "(none)" : user.teamID) may",
            facts: ["actor": actor.userID, "user": user.userID, "team": user.teamID]
        )
    }

    private static func requireExists(_ team: TeamState) throws(DomainError) {
        guard team.exists else {
            throw DomainError(.teamNotFound, "no team \(team.teamID)", facts: ["team": team.teamID])
        }
    }

    private static func validRole(_ role: CRMRole) throws(DomainError) -> CRMRole {
        switch role {
        case .admin, .manager, .salesRep, .finance, .auditor: return role
        default:
            throw DomainError(
                .invalidValue,
                "a user needs a role: admin, manager, sales rep, finance or auditor",
                facts: ["field": "role"]
            )
        }
    }
}

/// The value of a required text field, trimmed.
///
/// - Throws: `code` (by default `field_required`) naming the field when it is blank.
func required(_ value: String, _ field: String, code: DomainError.Code = .fieldRequired) throws(DomainError) -> String {
    let trimmed = value.trimmedOfWhitespace()
    guard !trimmed.isEmpty else {
        throw DomainError(code, "\(field) is required", facts: ["field": field])
    }
    return trimmed
}

extension String {
    /// The string without leading and trailing whitespace and newlines; itself, without
    /// copying, when there is none (the common case, and Foundation's trimming is slow).
    func trimmedOfWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        guard first.properties.isWhitespace || last.properties.isWhitespace else { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
