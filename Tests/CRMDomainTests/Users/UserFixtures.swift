import CRMDomain
import CRMSchema
import Foundation

/// A user as their stream would fold: added with `role` in `team`, and deactivated unless
/// `active`.
func user(_ id: String, role: CRMRole = .salesRep, team: String = "team-1", active: Bool = true) -> UserState {
    var state = UserState(userID: id)
    var added = CRMUserAdded()
    (added.userID, added.name, added.role, added.teamID) = (id, id, role, team)
    state.apply(added, recordedAt: .distantPast)
    if !active {
        var deactivated = CRMUserDeactivated()
        deactivated.userID = id
        state.apply(deactivated, recordedAt: .distantPast)
    }
    return state
}
