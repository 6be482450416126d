public import CRMSchema
public import Foundation
public import SwiftProtobuf

/// One user, folded from their stream (`user-<id>`): who they are, their team and role,
/// whether they are still active, and the customers they hold.
public struct UserState: Sendable, Hashable {
    /// The user's id.
    public var userID: String
    /// Whether a `UserAdded` has been seen.
    public var exists = false
    public var name = ""
    /// The lowercased email address.
    public var email = ""
    public var role = CRMRole.unspecified
    /// The team; empty when in none.
    public var teamID = ""
    /// False once deactivated: a departed user owns nothing and acts on nothing.
    public var isActive = false
    /// The customers held and the claims per business day.
    public var holdings: RepHoldings

    /// A user not seen yet.
    public init(userID: String) {
        self.userID = userID
        holdings = RepHoldings(repID: userID)
    }

    /// Whether the user may own customers: an active sales rep or manager.
    public var canOwnCustomers: Bool {
        isActive && (role == .salesRep || role == .manager)
    }

    /// Whether this user may act on `other`'s customers: `other` themselves, an admin, or a
    /// manager of `other`'s team. Nobody inactive manages anyone.
    public func manages(_ other: UserState) -> Bool {
        guard isActive else { return false }
        if userID == other.userID || role == .admin { return true }
        return role == .manager && !teamID.isEmpty && teamID == other.teamID
    }

    /// Folds one event of the user's stream, which the log recorded at `recordedAt`.
    public mutating func apply(_ event: any SwiftProtobuf.Message, recordedAt: Date) {
        switch event {
        case let added as CRMUserAdded:
            exists = true
            isActive = true
            (name, email, role, teamID) = (added.name, added.email, added.role, added.teamID)
        case let moved as CRMUserMovedToTeam:
            teamID = moved.toTeamID
        case let changed as CRMUserRoleChanged:
            role = changed.toRole
        case is CRMUserDeactivated:
            isActive = false
        case let entry as CRMRepHoldingChanged:
            // Claims are counted by the business day they were recorded on; the time zone is
            // the only rule used here.
            holdings.apply(entry, recordedAt: recordedAt, rules: .defaults)
        default:
            break
        }
    }
}

/// One team, folded from its stream (`team-<id>`).
public struct TeamState: Sendable, Hashable {
    /// The team's id.
    public var teamID: String
    /// Whether a `TeamCreated` has been seen.
    public var exists = false
    public var name = ""

    /// A team not seen yet.
    public init(teamID: String) {
        self.teamID = teamID
    }

    /// Folds one event of the team's stream.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        if let created = event as? CRMTeamCreated {
            exists = true
            name = created.name
        }
    }
}
