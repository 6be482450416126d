import CRMReadModels
import Foundation
import Hummingbird
import Projections

/// The read models over HTTP, each answer cut to what the principal may see.
struct QueryRoutes {
    let customers: Customer360Queries
    let receivables: ReceivablesQueries
    let scope: CustomerScope

    /// Everyone but a subscriber service reads the CRM's read models.
    static let readers: Set<AccessRole> = [.admin, .manager, .salesRep, .finance, .auditor]

    func add(to router: some RouterMethods<RapportRequestContext>) {
        router.get("v1/customers", use: listCustomers)
        router.get("v1/customers/:customer", use: customer360)
        router.get("v1/customers/:customer/timeline", use: timeline)
        router.get("v1/receivables/aging", use: aging)
    }

    /// `GET /v1/customers/{customer}`: the 360 view: profile, owner, contacts, follow-ups,
    /// deals, contracts, receivables, service, segment and the latest timeline.
    @Sendable func customer360(_ request: Request, context: RapportRequestContext) async throws -> Response {
        return try .encoded(try visibleCustomer(context))
    }

    /// `GET /v1/customers/{customer}/timeline?after=&limit=`: everything that happened to the
    /// customer, oldest first, a page at a time.
    @Sendable func timeline(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let view = try visibleCustomer(context)
        let query = QueryParameters(request)
        let page = try customers.timeline(
            customerID: view.customerID, after: try query.optional("after", as: UInt64.self), limit: try query.integer("limit", in: 1...1_000, default: 100)
        )
        return try .encoded(page)
    }

    /// The customer the route names, if it exists and is within the caller's scope.
    private func visibleCustomer(_ context: RapportRequestContext) throws -> Customer360 {
        let principal = try context.require(Self.readers)
        let id = try context.parameters.require("customer")
        guard let view = try customers.view(customerID: id) else {
            throw APIError(.notFound, code: "customer_not_found", "no customer \(id)", facts: ["customer": id])
        }
        try scope.require(principal, owner: view.inPool ? nil : view.owner, customer: id)
        return view
    }

    /// `GET /v1/customers?owner=|pool=true&after=&limit=`: a rep's customers (a rep sees their
    /// own when `owner` is left out) or the public pool.
    @Sendable func listCustomers(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.require(Self.readers)
        let query = QueryParameters(request)
        let after = query.list("after").first
        let limit = try query.integer("limit", in: 1...1_000, default: 100)
        if try query.optional("pool", as: Bool.self) == true {
            return try .encoded(try customers.poolCustomers(after: after, limit: limit))
        }
        guard let owner = query.list("owner").first ?? principal.user?.userID else {
            throw APIError.badRequest("invalid_query_parameter", "give owner=<user id> or pool=true", parameter: "owner")
        }
        try scope.require(principal, owner: owner, customer: "of \(owner)")
        return try .encoded(try customers.customers(ownedBy: owner, after: after, limit: limit))
    }

    /// `GET /v1/receivables/aging?asOf=yyyy-mm-dd&owner=&top=`: receivables and overdue
    /// buckets per currency as of the end of a business day; a rep sees only their own.
    @Sendable func aging(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.require(Self.readers)
        let query = QueryParameters(request)
        guard let asOf = query.list("asOf").first else {
            throw APIError.badRequest("invalid_query_parameter", "asOf=yyyy-mm-dd is required", parameter: "asOf")
        }
        var owner = query.list("owner").first
        switch principal.role {
        case .salesRep:
            guard let me = principal.user?.userID else { throw APIError(.forbidden, code: "outside_scope", "a rep's token needs its user") }
            owner = me
        case .manager where owner == nil:
            throw APIError.badRequest("invalid_query_parameter", "a manager sees one rep of their team at a time: give owner=<user id>", parameter: "owner")
        default:
            break
        }
        if let owner { try scope.require(principal, owner: owner, customer: "of \(owner)") }
        let report = try receivables.aging(asOf: asOf, owner: owner, top: try query.integer("top", in: 1...1_000, default: 10))
        return try .encoded(report)
    }
}

extension Response {
    /// A Codable answer as JSON with sorted keys.
    static func encoded(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
