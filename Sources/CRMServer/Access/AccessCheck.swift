import CRMService
import EventStore
import Hummingbird

/// Applies the route's ``AccessRule`` from ``AccessTable`` before its handler runs: the
/// caller's role must be one the rule names (403 `forbidden` otherwise), a query parameter
/// only some roles may send is refused to the others, and the record the path names
/// (a customer, a lead, or a contract, quote, opportunity, work order or complaint by its
/// customer) must be within the caller's scope (403 `outside_scope`).
///
/// A route the table does not list is refused to everyone, so a new route is closed until
/// its rule is written; a path no route matches goes on to the router's 404.
struct AccessCheck: RouterMiddleware {
    typealias Context = RapportRequestContext
    let service: CRMService<LMDBEventLog>
    let customerOwners: RecordOwners
    let leadOwners: RecordOwners
    let scope: CustomerScope

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let path = context.endpointPath, path != "NotFound" else { return try await next(request, context) }
        guard let operation = AccessTable.operation(method: request.method.rawValue, path: path),
            let rule = AccessTable.rules[operation]
        else {
            throw APIError(
                .forbidden,
                .forbidden,
                "no access rule covers \(request.method.rawValue) \(path)",
                facts: ["route": path]
            )
        }
        var context = context
        context.access = rule
        context.operationID = operation
        if rule.isOpen { return try await next(request, context) }
        let principal = try context.require(rule.roles)
        for (parameter, roles) in rule.narrower where request.uri.queryParameters[Substring(parameter)] != nil {
            try context.require(part: parameter, roles: roles, of: principal)
        }
        try await requireInScope(principal, rule.scope, context.parameters)
        return try await next(request, context)
    }

    /// Refuses with 403 `outside_scope` unless the record the path names is within the
    /// principal's scope; a record the log does not know is left to the handler (its 404).
    private func requireInScope(_ principal: Principal, _ rule: AccessScope, _ parameters: Parameters) async throws {
        switch rule {
        case .customer, .heldCustomer:
            let customer = try parameters.require("customer")
            guard let holding = try customerOwners.holding(of: customer) else { return }
            if rule == .heldCustomer, holding == .unowned {
                try scope.requirePoolHolder(principal, customer: customer)
            }
            try scope.require(principal, owner: holding.owner, customer: customer)
        case .lead:
            let lead = try parameters.require("lead")
            guard let holding = try leadOwners.holding(of: lead) else { return }
            try scope.require(principal, owner: holding.owner, lead: lead)
        case .contractCustomer:
            try await requireInScope(principal, record: .contract(try parameters.require("contract")))
        case .quoteCustomer: try await requireInScope(principal, record: .quote(try parameters.require("quote")))
        case .opportunityCustomer:
            try await requireInScope(principal, record: .opportunity(try parameters.require("opportunity")))
        case .workOrderCustomer:
            try await requireInScope(principal, record: .workOrder(try parameters.require("workOrder")))
        case .complaintCustomer:
            try await requireInScope(principal, record: .complaint(try parameters.require("complaint")))
        case .none, .bodyCustomer, .assignee, .callerCut, .domain:
            return
        }
    }

    private func requireInScope(_ principal: Principal, record: CustomerRecord) async throws {
        guard let customer = try await service.customerID(of: record),
            let holding = try customerOwners.holding(of: customer)
        else { return }
        try scope.require(principal, owner: holding.owner, customer: customer)
    }
}

extension RapportRequestContext {
    /// The caller, whose role the route's ``AccessRule`` has admitted.
    ///
    /// - Throws: 401 when the request carries no principal (a route without a rule).
    func caller() throws -> Principal {
        guard let principal else {
            throw APIError(.unauthorized, .unauthenticated, "this route needs an API token")
        }
        return principal
    }

    /// Refuses with 403 `forbidden` when the caller sent `part` (a body field or a query
    /// parameter) and the route's rule lets only other roles send it.
    ///
    /// - Parameter sent: whether the request carries `part`.
    func require(part: String, sent: Bool) throws {
        guard sent, let roles = access?.narrower[part] else { return }
        try require(part: part, roles: roles, of: try caller())
    }

    fileprivate func require(part: String, roles: Set<AccessRole>, of principal: Principal) throws {
        guard !roles.contains(principal.role) else { return }
        throw APIError(
            .forbidden,
            .forbidden,
            "the \(principal.role.rawValue) role may not set \(part)",
            facts: [
                "role": principal.role.rawValue, "field": part,
                "allowed": roles.map(\.rawValue).sorted().joined(separator: ","),
            ]
        )
    }
}
