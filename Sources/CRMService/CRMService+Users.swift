import CRMDomain
public import CRMSchema
public import EventStore
public import Foundation
import SwiftProtobuf

/// A user to add.
public struct NewUser: Sendable, Hashable {
    public var name: String
    /// Unique among users; stored lowercased.
    public var email: String
    public var role: CRMRole
    /// The team; empty for none.
    public var teamID = ""

    /// A user called `name` with `email` and `role`.
    public init(name: String, email: String, role: CRMRole) {
        self.name = name
        self.email = email
        self.role = role
    }
}

extension CRMService {
    /// Creates a team; team names are unique, ignoring case.
    ///
    /// - Returns: the team's id.
    /// - Throws: `DomainError` `field_required`, `duplicate_team`.
    public func createTeam(named name: String, actor: String, occurredAt: Date? = nil) async throws -> String {
        let context = try context(actor, occurredAt)
        let teamID = newID()
        let created = try UserDecisions.createTeam(id: teamID, name: name)
        try await create(
            try teamStream(teamID),
            created,
            reserving: "team:\(created.name.lowercased())",
            context: context
        ) { holder in
            DomainError(.duplicateTeam, "a team named \(created.name) exists: \(holder)", facts: ["existing": holder])
        }
        return teamID
    }

    /// Adds an active user; email addresses are unique among users.
    ///
    /// - Returns: the user's id.
    /// - Throws: `DedupKeyError` for a malformed email; `DomainError` as
    ///   ``UserDecisions/add(id:name:email:role:team:)``, and `duplicate_user`.
    public func addUser(_ user: NewUser, actor: String, occurredAt: Date? = nil) async throws -> String {
        let context = try context(actor, occurredAt)
        let email = try EmailAddress.normalized(user.email)
        let userID = newID()
        let team = user.teamID.isEmpty ? nil : try await loadTeam(user.teamID)
        let added = try UserDecisions.add(id: userID, name: user.name, email: email, role: user.role, team: team)
        try await create(try userStream(userID), added, reserving: "user-email:\(email)", context: context) { holder in
            DomainError(.duplicateUser, "a user with email \(email) exists: \(holder)", facts: ["existing": holder])
        }
        return userID
    }

    /// Moves a user to another team.
    ///
    /// - Throws: `DomainError` as ``UserDecisions/move(_:to:)``.
    @discardableResult
    public func moveUser(
        _ userID: String,
        toTeam teamID: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        let team = try await loadTeam(teamID)
        return try await decideOnUser(userID, actor: actor, occurredAt: occurredAt) { user in
            try UserDecisions.move(user, to: team)
        }
    }

    /// Gives a user another role.
    ///
    /// - Throws: `DomainError` as ``UserDecisions/changeRole(_:to:)``.
    @discardableResult
    public func changeRole(
        of userID: String,
        to role: CRMRole,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnUser(userID, actor: actor, occurredAt: occurredAt) { user in
            try UserDecisions.changeRole(user, to: role)
        }
    }

    /// Deactivates a user and, in the same append, hands every customer they hold to
    /// `successorID`, or releases them all to the public pool when it is `nil`.
    ///
    /// A claim, release or transfer racing with it conflicts on the user's stream and is
    /// decided again afterwards, so the departed user ends holding nothing.
    ///
    /// - Throws: `DomainError` as ``UserDecisions/deactivate(_:by:successor:reason:rules:)``.
    @discardableResult
    public func deactivateUser(
        _ userID: String,
        handingCustomersTo successorID: String?,
        reason: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        let context = try context(actor, occurredAt)
        return try await retryingOnConflict("deactivating \(userID)") {
            let (user, userVersion) = try await loadUser(userID)
            let acting = try await loadUser(actor).0
            let successor = try await successorID.asyncMap { try await loadUser($0) }
            let rules = try await poolRules(at: context.occurredAt)
            let decision = try UserDecisions.deactivate(
                user,
                by: acting,
                successor: successor?.0,
                reason: reason,
                rules: rules
            )

            let lost = try decision.handovers.map { try event(RepHoldings.entry($0, gained: false), context) }
            var appends = [
                StreamAppend(
                    stream: try userStream(userID),
                    expectedVersion: userVersion,
                    events: [try event(decision.deactivated, context)] + lost
                )
            ]
            if let (successor, version) = successor, !decision.handovers.isEmpty {
                let gained = try decision.handovers.map { try event(RepHoldings.entry($0, gained: true), context) }
                appends.append(
                    StreamAppend(stream: try userStream(successor.userID), expectedVersion: version, events: gained)
                )
            }
            // The user's stream version guards the holdings, so each customer only has to exist.
            for change in decision.handovers {
                appends.append(
                    StreamAppend(
                        stream: try customerStream(change.customerID),
                        expectedVersion: .exists,
                        events: [try event(change, context)]
                    )
                )
            }
            return try await append(AppendRequest(appends))
        }
    }

    private func decideOnUser(
        _ userID: String,
        actor: String,
        occurredAt: Date?,
        decide: (UserState) throws -> any SwiftProtobuf.Message
    ) async throws -> AppendResult {
        try await decideOnStream(
            try userStream(userID),
            actor: actor,
            occurredAt: occurredAt,
            load: { try await loadUser(userID) },
            decide: decide
        )
    }

    func loadTeam(_ id: String) async throws -> TeamState {
        try await load(try teamStream(id), into: TeamState(teamID: id)) { team, message, _ in team.apply(message) }.0
    }
}

extension Optional {
    /// The wrapped value transformed by an async function, or `nil`.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
