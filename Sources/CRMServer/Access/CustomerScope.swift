import CRMDomain
import HTTPTypes

/// Which customers a principal may see: admins, auditors, finance and migration see all of
/// them; a manager those of their team's reps and the pool; a rep their own and the pool.
struct CustomerScope {
    let users: UserDirectory

    /// Whether `principal` may see a customer owned by `owner` (`nil`: in the pool).
    func allows(_ principal: Principal, owner: String?) throws -> Bool {
        switch principal.role {
        case .admin, .auditor, .finance, .migration:
            return true
        case .subscriber:
            return false
        case .manager, .salesRep:
            guard let owner else { return true }
            guard let user = principal.user else { return false }
            if owner == user.userID { return true }
            guard principal.role == .manager, let ownerState = try users.user(owner) else { return false }
            return user.manages(ownerState)
        }
    }

    /// Refuses with 403 unless `principal` may give a new customer or lead to `owner` (empty:
    /// nobody, the pool): a rep only to themselves, a manager to their team.
    func requireAssignable(_ principal: Principal, to owner: String) throws {
        guard !owner.isEmpty, try !allows(principal, owner: owner) else { return }
        throw APIError(
            .forbidden,
            .outsideScope,
            "you may not give customers to \(owner)",
            facts: ["owner": owner, "role": principal.role.rawValue]
        )
    }

    /// Refuses with 403 `outside_scope` unless `principal` may change a customer of the public
    /// pool as its holder would (profile, level, tags, contacts): managers, admins and
    /// migration may; a rep must claim it first.
    func requirePoolHolder(_ principal: Principal, customer: String) throws {
        guard ![.admin, .manager, .migration].contains(principal.role) else { return }
        throw APIError(
            .forbidden,
            .outsideScope,
            "customer \(customer) is in the public pool: claim it before changing it",
            facts: ["customer": customer, "role": principal.role.rawValue]
        )
    }

    /// Refuses with 403 unless `principal` may see a customer owned by `owner`.
    func require(_ principal: Principal, owner: String?, customer: String) throws {
        try require(principal, owner: owner, record: customer, kind: "customer")
    }

    /// Refuses with 403 unless `principal` may act on a lead owned by `owner` (`nil`:
    /// unassigned, which any sales role may take up): the same rule as for customers.
    func require(_ principal: Principal, owner: String?, lead: String) throws {
        try require(principal, owner: owner, record: lead, kind: "lead")
    }

    private func require(_ principal: Principal, owner: String?, record: String, kind: String) throws {
        guard try allows(principal, owner: owner) else {
            throw APIError(
                .forbidden,
                .outsideScope,
                "\(kind) \(record) belongs to a rep outside your scope",
                facts: [kind: record, "role": principal.role.rawValue]
            )
        }
    }
}
