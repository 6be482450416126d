import CRMDomain
import CRMReadModels
import HTTPTypes

/// Whose records a list shows the caller.
extension APIHandler {
    /// The owners whose records `principal` asked for in a list's `owner` parameter (`nil`:
    /// everyone's), refused with 403 `outside_scope` beyond their scope: a rep sees their own
    /// (`me`, the default), a manager their team's (`team`, the default), admin, finance and
    /// auditor everyone's (`all`, the default); `all` is a rep's or manager's own scope, with
    /// the unassigned (`unassigned`, the empty owner) when the records have them.
    func owners(_ principal: Principal, asked: String?, withUnassigned: Bool) throws -> [String]? {
        let me = principal.user?.userID
        let everyone = scope.seesEveryone(principal)
        let team: [String] = try {
            guard let teamID = principal.user?.teamID, !teamID.isEmpty else { return me.map { [$0] } ?? [] }
            return try UserQueries.memberIDs(ofTeam: teamID, in: reads) + (me.map { [$0] } ?? [])
        }()
        let mine = principal.role == .manager ? team : (me.map { [$0] } ?? [])
        switch asked {
        case nil: return everyone ? nil : mine
        case "all": return everyone ? nil : mine + (withUnassigned ? [""] : [])
        case "me":
            guard let me else { throw outsideScope(principal, "a service's token has no records of its own") }
            return [me]
        case "team":
            guard principal.role == .manager || everyone else {
                throw outsideScope(principal, "a rep sees their own records only")
            }
            return team
        case "unassigned" where withUnassigned: return [""]
        case ""?:
            throw APIError.badRequest(
                .invalidQueryParameter,
                "owner names someone when it is given",
                parameter: "owner"
            )
        case let owner?:
            guard try scope.allows(principal, owner: owner) else {
                throw outsideScope(principal, "\(owner)'s records are outside your scope")
            }
            return [owner]
        }
    }

    private func outsideScope(_ principal: Principal, _ message: String) -> APIError {
        APIError(.forbidden, .outsideScope, message, facts: ["role": principal.role.rawValue])
    }
}
