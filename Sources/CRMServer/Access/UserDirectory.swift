public import CRMDomain
import CRMSchema
public import EventStore
import Foundation

/// The CRM's users as the log says they are now: role, team, active or not.
///
/// Folded from the user events of the log and brought up to the head before every look-up,
/// so a deactivation or a role change appended a moment ago already counts.
public final class UserDirectory: Sendable {
    private let users: TypeIndexFold<[String: UserState]>

    /// A directory of the users in `log`.
    public init(log: LMDBEventLog) {
        users = TypeIndexFold(
            log: log,
            types: ["crm.v1.UserAdded", "crm.v1.UserMovedToTeam", "crm.v1.UserRoleChanged", "crm.v1.UserDeactivated"],
            initial: [:]
        ) { users, event, message in
            let id = String(event.stream.rawValue.dropFirst("user-".count))
            users[id, default: UserState(userID: id)].apply(message, recordedAt: event.recordedAt.date)
        }
    }

    /// Folds what was appended since the last look-up (every user event, the first time).
    public func catchUp() throws {
        try users.catchUp()
    }

    /// The user `id` as of the log's head, `nil` when the log has never seen them.
    public func user(_ id: String) throws -> UserState? {
        try users.withCurrent { $0[id] }
    }

    /// The first active admin the log knows, for the token a new demo server hands out.
    public func firstActiveAdmin() throws -> UserState? {
        try users.withCurrent { users in
            users.values.filter { $0.isActive && $0.role == .admin }.min { $0.userID < $1.userID }
        }
    }
}
