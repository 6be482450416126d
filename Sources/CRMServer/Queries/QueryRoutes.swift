import CRMDomain
import CRMReadModels
import EventStore
import Foundation
import Hummingbird
import Projections

/// The read models over HTTP, each answer cut to what the principal may see.
///
/// Who may read what is each route's rule in ``AccessTable``: subscriber and migration
/// services never read the read models (403). A rep sees their own figures and customers (and
/// the pool), a manager those of their team's reps, admins, auditors and finance everything.
struct QueryRoutes {
    let store: ReadModelStore
    /// The log, which the as-of views fold from.
    let log: LMDBEventLog
    let scope: CustomerScope

    var customers: Customer360Queries { Customer360Queries(store: store) }

    func add(to router: some RouterMethods<RapportRequestContext>) {
        router.get("v1/customers", use: listCustomers)
        router.get("v1/customers/:customer", use: customer360)
        router.get("v1/customers/:customer/timeline", use: timeline)
        addSales(to: router)
        addChurn(to: router)
        addCampaigns(to: router)
        addFinance(to: router)
        addService(to: router)
        addStock(to: router)
        addSegments(to: router)
        addReminders(to: router)
    }

    /// `GET /v1/customers/{customer}`: the 360 view: profile, owner, contacts, follow-ups,
    /// deals, contracts, receivables, service, segment and the latest timeline.
    /// With `asOf`, the view as it stood then (see ``customerAsOf(_:context:)``).
    @Sendable func customer360(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let asOf = try query.optional("asOf", as: String.self)
        let basis = try query.optional("basis", as: String.self)
        guard asOf == nil, basis == nil else { return try customerAsOf(query, context: context) }
        return try .encoded(try visibleCustomer(context))
    }

    /// `GET /v1/customers/{customer}/timeline?after=&limit=`: everything that happened to the
    /// customer, oldest first, a page at a time.
    @Sendable func timeline(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let view = try visibleCustomer(context)
        let query = QueryParameters(request)
        let page = try customers.timeline(
            customerID: view.customerID,
            after: try query.position("after"),
            limit: try query.integer("limit", in: 1...1_000, default: 100)
        )
        return try .encoded(page)
    }

    /// The handler of a route answering one report of the request's `period` (to the roles
    /// the route's ``AccessRule`` admits).
    func periodReport<Report: Encodable & Sendable>(
        _ report: @escaping @Sendable (_ period: String) throws -> Report
    ) -> @Sendable (Request, RapportRequestContext) async throws -> Response {
        { request, context in
            _ = try context.caller()
            return try .encoded(try report(try QueryParameters(request).period()))
        }
    }

    /// The customer the route names, if it exists and is within the caller's scope.
    func visibleCustomer(_ context: RapportRequestContext) throws -> Customer360 {
        let principal = try context.caller()
        let id = try context.parameters.require("customer")
        guard let view = try customers.view(customerID: id) else {
            throw APIError(.notFound, .customerNotFound, "no customer \(id)", facts: ["customer": id])
        }
        try scope.require(principal, owner: view.inPool ? nil : view.owner, customer: id)
        return view
    }

    /// `GET /v1/customers?owner=|pool=true&after=&limit=`: a rep's customers (a rep sees their
    /// own when `owner` is left out) or the public pool.
    @Sendable func listCustomers(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let query = QueryParameters(request)
        let after = query.list("after").first
        let limit = try query.integer("limit", in: 1...1_000, default: 100)
        if try query.optional("pool", as: Bool.self) == true {
            return try .encoded(try customers.poolCustomers(after: after, limit: limit))
        }
        guard let owner = query.list("owner").first ?? principal.user?.userID else {
            throw APIError.badRequest(.invalidQueryParameter, "give owner=<user id> or pool=true", parameter: "owner")
        }
        try scope.require(principal, owner: owner, customer: "of \(owner)")
        return try .encoded(try customers.customers(ownedBy: owner, after: after, limit: limit))
    }
}

extension Response {
    /// A Codable answer as JSON with sorted keys.
    static func encoded(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }
}
