extension AccessScope {
    /// The rule in a few words, for the table an auditor reads.
    public var summary: String {
        switch self {
        case .none: "the role is enough"
        case .customer: "the path's customer: a rep's own and the pool, a manager's team's"
        case .heldCustomer:
            "the path's customer as its holder: a rep's own (not the pool), a manager's team's and the pool"
        case .lead: "the path's lead: a rep's own and the unassigned, a manager's team's"
        case .contractCustomer: "the customer of the path's contract"
        case .quoteCustomer: "the customer of the path's quote"
        case .opportunityCustomer: "the customer of the path's opportunity"
        case .workOrderCustomer: "the customer of the path's work order"
        case .complaintCustomer: "the customer of the path's complaint"
        case .bodyCustomer: "the body's customerId"
        case .assignee: "whom the body gives the record to: a rep themselves, a manager their team's reps"
        case .callerCut:
            "figures cut to the caller: a rep's own, a manager's team's, everyone's for admin, finance, auditor"
        case .domain: "the CRM's own rules (approval chain, claims, releases, transfers)"
        }
    }
}

extension AccessTable {
    /// Who may do what: one Markdown table, a row per operation in path order, with its
    /// route, its roles, its scope rule, and the body fields or query parameters only some of
    /// those roles may send. `rapport access` prints it; an auditor reads it without reading
    /// code.
    public static func markdown() -> String {
        var lines = [
            "| operation | route | roles | scope | only some may send |",
            "| --- | --- | --- | --- | --- |",
        ]
        let ordered = rules.map { (operation: $0.key, route: split(route(of: $0.key) ?? ""), rule: $0.value) }
            .sorted { ($0.route.path, $0.route.method) < ($1.route.path, $1.route.method) }
        for (operation, route, rule) in ordered {
            let roles = rule.isOpen ? "anyone, without a token" : names(rule.roles)
            let narrower = rule.narrower.sorted { $0.key < $1.key }.map { "`\($0.key)`: \(names($0.value))" }
                .joined(separator: "; ")
            lines.append(
                "| `\(operation)` | `\(route.method) \(route.path)` | \(roles) | \(rule.scope.summary) | \(narrower) |"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The roles in the order ``AccessRole`` declares them.
    private static func names(_ roles: Set<AccessRole>) -> String {
        AccessRole.allCases.filter(roles.contains).map(\.rawValue).joined(separator: ", ")
    }

    private static func split(_ route: String) -> (method: String, path: String) {
        let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
        return (parts.first ?? "", parts.dropFirst().first ?? "")
    }
}
