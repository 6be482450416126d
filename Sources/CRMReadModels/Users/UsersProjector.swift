import CRMDomain
import CRMSchema
import EventStore
public import Projections

/// The CRM's users and teams, for the people who run them: each user's role, team and
/// whether they are active, how many customers they hold and how many they claimed on the
/// day of their latest claim (set against the pool's cap and daily limit at query time).
///
/// Tables:
/// - `users`, user id → ``UserRow``.
/// - `teams`, team id → ``TeamRow``.
/// - `held`, `user|customer` → `true` while the user holds the customer: a holding entry
///   repeated for one customer counts once, as ``RepHoldings`` counts it for the cap.
public final class UsersProjector: Projector {
    /// The read model's name, which its rows and checkpoint are stored under.
    public static let name = "users"
    /// The projection logic's version: changing it rebuilds the read model.
    public static let version: UInt32 = 1
    /// The events the read model reads.
    public static let eventTypes: Set<String> = [
        CRMRepHoldingChanged.protoMessageName,
        CRMUserAdded.protoMessageName,
        CRMUserMovedToTeam.protoMessageName,
        CRMUserRoleChanged.protoMessageName,
        CRMUserDeactivated.protoMessageName,
        CRMTeamCreated.protoMessageName,
    ]

    let users = ReadModelTable<UserRow>("users")
    let teams = ReadModelTable<TeamRow>("teams")
    let held = ReadModelTable<Bool>("held")

    /// No users.
    public init() {}

    /// The tables holding the read model's state.
    public var tables: [any ReadModelTableProtocol] { [users, teams, held] }

    /// Applies one event to the tables.
    public func apply(_ event: CRMEvent) throws {
        // The most frequent events first: each case tried is a dynamic cast.
        switch event.payload {
        case let entry as CRMRepHoldingChanged:
            let user = String(event.stream.rawValue.dropFirst("user-".count))
            let key = "\(user)|\(entry.customerID)"
            guard (held[key] != nil) != entry.gained else { return }
            held[key] = entry.gained ? true : nil
            // Claims count by the business day the log recorded them on, as the cap does.
            let day = PoolRules.defaults.businessDayNumber(of: event.recordedAt.date)
            users.update(user, default: UserRow()) { row in
                row.holdings = max(0, row.holdings + (entry.gained ? 1 : -1))
                guard entry.gained, entry.reason == .claimed else { return }
                row.claimsThatDay = row.claimDay == day ? row.claimsThatDay + 1 : 1
                row.claimDay = day
            }
        case let added as CRMUserAdded:
            users.update(added.userID, default: UserRow()) { row in
                (row.name, row.email, row.role, row.teamID) = (
                    added.name, added.email, Self.roleName(added.role), added.teamID
                )
                row.isActive = true
            }
        case let moved as CRMUserMovedToTeam:
            users.update(moved.userID, default: UserRow()) { $0.teamID = moved.toTeamID }
        case let changed as CRMUserRoleChanged:
            users.update(changed.userID, default: UserRow()) { $0.role = Self.roleName(changed.toRole) }
        case let deactivated as CRMUserDeactivated:
            users.update(deactivated.userID, default: UserRow()) { $0.isActive = false }
        case let created as CRMTeamCreated:
            teams[created.teamID] = TeamRow(name: created.name)
        default:
            break
        }
    }

    /// The role's name in the API.
    static func roleName(_ role: CRMRole) -> String {
        switch role {
        case .admin: "admin"
        case .manager: "manager"
        case .salesRep: "sales_rep"
        case .finance: "finance"
        case .auditor: "auditor"
        default: "unspecified"
        }
    }
}
