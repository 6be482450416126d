public import CRMDomain
import CRMSchema
public import EventStore
import Foundation
import Synchronization

/// The CRM's users as the log says they are now: role, team, active or not.
///
/// Folded from the user events of the log and brought up to the head before every look-up,
/// so a deactivation or a role change appended a moment ago already counts.
public final class UserDirectory: Sendable {
    private struct State {
        var users: [String: UserState] = [:]
        var position: UInt64 = 0
    }

    private static let types: Set<String> = ["crm.v1.UserAdded", "crm.v1.UserMovedToTeam", "crm.v1.UserRoleChanged", "crm.v1.UserDeactivated"]

    private let log: LMDBEventLog
    private let catalogue = EventCatalogue.crm
    private let state = Mutex(State())

    /// A directory of the users in `log`.
    public init(log: LMDBEventLog) {
        self.log = log
    }

    /// The user `id` as of the log's head, `nil` when the log has never seen them.
    public func user(_ id: String) throws -> UserState? {
        try state.withLock { state in
            try catchUp(&state)
            return state.users[id]
        }
    }

    /// The first active admin the log knows, for the token a new demo server hands out.
    public func firstActiveAdmin() throws -> UserState? {
        try state.withLock { state in
            try catchUp(&state)
            return state.users.values.filter { $0.isActive && $0.role == .admin }.min { $0.userID < $1.userID }
        }
    }

    /// Folds the user events committed since the last look-up, read through the log's type
    /// index rather than a scan, so the first look-up costs the users' events, not the log's.
    private func catchUp(_ state: inout State) throws {
        let head = try log.head().position
        guard head > state.position else { return }
        let events = try Self.types.flatMap { try log.readType($0, from: state.position + 1) }
            .filter { $0.position <= head }
            .sorted { $0.position < $1.position }
        for event in events {
            // An event the catalogue cannot read changes no one's access: skipped, not fatal.
            guard let message = try? catalogue.decode(typeName: event.type, schemaVersion: event.schemaVersion, payload: event.payload) else {
                continue
            }
            let id = String(event.stream.rawValue.dropFirst("user-".count))
            state.users[id, default: UserState(userID: id)].apply(message, occurredAt: event.occurredAt.date)
        }
        state.position = head
    }
}
