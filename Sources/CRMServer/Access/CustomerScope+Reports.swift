import CRMDomain
import HTTPTypes

/// The scope of the reports cut by rep or by team: a rep sees their own figures, a manager
/// those of their team's reps and their team, admins, auditors and finance everyone's.
extension CustomerScope {
    /// The rep a per-rep report is about, the caller when the request names none (a service's
    /// token must name one).
    ///
    /// - Parameter asked: the rep the request names in `parameter`.
    /// - Throws: 403 `outside_scope` for a rep outside the principal's scope (a rep naming
    ///   another rep, a manager a rep of another team); 400 `invalid_query_parameter` naming
    ///   `parameter` for a service that names none.
    func rep(_ principal: Principal, asked: String?, parameter: String) throws -> String {
        if let asked { return try require(principal, rep: asked, parameter: parameter) }
        guard let me = principal.user?.userID else {
            throw APIError.badRequest(
                .invalidQueryParameter,
                "a service's token must name the rep: \(parameter)=<user id>",
                parameter: parameter
            )
        }
        return me
    }

    /// The rep a per-rep report is about, `nil` for every rep: when the request names none,
    /// everyone for admins, finance and auditors, a rep their own figures; a manager must name
    /// a rep of their team, as such a report has no team-wide cut.
    ///
    /// - Throws: as ``rep(_:asked:parameter:)``, and 400 for a manager who names no rep.
    func repOrEveryone(_ principal: Principal, asked: String?, parameter: String) throws -> String? {
        if asked == nil, seesEveryone(principal) { return nil }
        if asked == nil, principal.role == .manager {
            throw APIError.badRequest(
                .invalidQueryParameter,
                "a manager sees one rep of their team at a time: give \(parameter)=<user id>",
                parameter: parameter
            )
        }
        return try rep(principal, asked: asked, parameter: parameter)
    }

    /// `rep`, refused with 403 `outside_scope` unless within the principal's scope.
    private func require(_ principal: Principal, rep: String, parameter: String) throws -> String {
        guard try allows(principal, owner: rep) else {
            throw APIError(
                .forbidden,
                .outsideScope,
                "\(rep)'s figures are outside your scope",
                facts: [parameter: rep, "role": principal.role.rawValue]
            )
        }
        return rep
    }

    /// The team a team report is about, `nil` for every team: a manager's own team (another
    /// is 403 `outside_scope`); any or every team for admins, auditors and finance.
    func team(_ principal: Principal, asked: String?) throws -> String? {
        guard principal.role == .manager || principal.role == .salesRep else { return asked }
        guard let mine = principal.user?.teamID, !mine.isEmpty, asked == nil || asked == mine else {
            throw APIError(
                .forbidden,
                .outsideScope,
                "you see the figures of your own team only",
                facts: ["team": asked ?? "", "role": principal.role.rawValue]
            )
        }
        return mine
    }

    /// The rows of a per-rep list that `principal` may see.
    func visible<Row>(_ rows: [Row], to principal: Principal, rep: (Row) -> String) throws -> [Row] {
        try rows.filter { try allows(principal, owner: rep($0)) }
    }

    /// Whether `principal` sees every rep's figures, so that company-wide totals are theirs.
    func seesEveryone(_ principal: Principal) -> Bool {
        [.admin, .finance, .auditor].contains(principal.role)
    }
}
