public import CRMDomain
public import Foundation
public import Projections

/// A user as the people who run the CRM see them.
public struct UserSummary: Codable, Sendable, Hashable {
    public var userID: String
    public var name: String
    public var email: String
    /// `admin`, `manager`, `sales_rep`, `finance` or `auditor`.
    public var role: String
    /// Empty for a user in no team.
    public var teamID: String
    public var isActive: Bool
    /// The customers they hold now, and the pool's cap on that.
    public var holdings: Int
    public var holdingCap: Int
    /// Customers they claimed from the pool today (business time), and the daily limit.
    public var claimsToday: Int
    public var dailyClaimLimit: Int
}

/// A team and its members.
public struct TeamSummary: Codable, Sendable, Hashable {
    public var teamID: String
    public var name: String
    /// Its active members, and the customers they hold together.
    public var activeMembers: Int
    public var holdings: Int
}

/// Reads the users and teams (``UsersProjector``) from the read-model store, measured
/// against the pool rules in force.
public struct UserQueries: Sendable {
    /// The store the users were built into.
    public let store: ReadModelStore
    /// The pool's cap and daily claim limit the users are shown against.
    public let rules: PoolRules

    /// Queries over `store`, with the pool rules in force.
    public init(store: ReadModelStore, rules: PoolRules) {
        self.store = store
        self.rules = rules
    }

    /// Every user the log knows, by id, as of `now` (which says what "today" is); those of
    /// `team` only when one is named.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed team id;
    ///   ``ProjectionError`` when the store cannot be read.
    public func users(team: String? = nil, now: Date) throws -> [UserSummary] {
        if let team { try CustomerQueryParameters.requireID(team, "team") }
        return try store.rows(UserRow.self, projector: UsersProjector.name, table: "users")
            .filter { team == nil || $0.row.teamID == team }
            .sorted { $0.key < $1.key }
            .map { summary($0.key, $0.row, now: now) }
    }

    /// User `id` as of `now`.
    ///
    /// - Throws: ``ReadModelQueryError`` `not_found` for a user the log does not know;
    ///   ``ProjectionError``.
    public func user(id: String, now: Date) throws -> UserSummary {
        guard let row = try store.row(UserRow.self, projector: UsersProjector.name, table: "users", key: id) else {
            throw ReadModelQueryError(.notFound, "no user \(id)", parameter: "user")
        }
        return summary(id, row, now: now)
    }

    /// Every team, by id, with its active members and their holdings; `team` only when one
    /// is named.
    ///
    /// - Throws: ``ProjectionError`` when the store cannot be read.
    public func teams(_ team: String? = nil) throws -> [TeamSummary] {
        var summaries: [String: TeamSummary] = [:]
        for (id, row) in try store.rows(TeamRow.self, projector: UsersProjector.name, table: "teams")
        where team == nil || id == team {
            summaries[id] = TeamSummary(teamID: id, name: row.name, activeMembers: 0, holdings: 0)
        }
        for (_, user) in try store.rows(UserRow.self, projector: UsersProjector.name, table: "users")
        where user.isActive && summaries[user.teamID] != nil {
            summaries[user.teamID]?.activeMembers += 1
            summaries[user.teamID]?.holdings += user.holdings
        }
        return summaries.values.sorted { $0.teamID < $1.teamID }
    }

    /// The ids of team `team`'s users, active or not (their records stay theirs until handed on).
    ///
    /// - Throws: ``ProjectionError`` when the store cannot be read.
    public static func memberIDs(ofTeam team: String, in store: ReadModelStore) throws -> [String] {
        try store.rows(UserRow.self, projector: UsersProjector.name, table: "users")
            .filter { $0.row.teamID == team }
            .map(\.key)
    }

    private func summary(_ id: String, _ row: UserRow, now: Date) -> UserSummary {
        UserSummary(
            userID: id,
            name: row.name,
            email: row.email,
            role: row.role,
            teamID: row.teamID,
            isActive: row.isActive,
            holdings: row.holdings,
            holdingCap: rules.holdingCap,
            claimsToday: row.claimDay == PoolRules.defaults.businessDayNumber(of: now) ? row.claimsThatDay : 0,
            dailyClaimLimit: rules.dailyClaimLimit
        )
    }
}
