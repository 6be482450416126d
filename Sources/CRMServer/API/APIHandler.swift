import CRMService
import EventStore
import Foundation
import Hummingbird
import OpenAPIRuntime
import Projections
import RapportAPI

/// The CRM's operations as `Schemas/openapi.yaml` describes them, served through the boundary
/// generated from it (the `RapportAPI` target): one file an area (`APIHandler+Leads.swift`, …).
///
/// The generated code decodes each request into its operation's typed input and encodes the
/// typed answer; a handler only names the caller, calls the service and returns that answer.
/// Everything common to every operation happens around it, once: the role and the scope of
/// the record a path names are checked before it runs (``AccessCheck``), the body is read
/// within its limit, its unknown and narrowed fields refused (``OperationGate``), and whatever it
/// throws is answered with a stable code (``ErrorMiddleware``).
struct APIHandler: APIProtocol {
    let service: CRMService<LMDBEventLog>
    /// The owners of customers, for the `bodyCustomer` scope the body decides.
    let customerOwners: RecordOwners
    /// Whom a caller may give records to and whose customers they may touch.
    let scope: CustomerScope
    /// The consumer groups' positions.
    let groups: ConsumerGroups
    /// The read models the queries read.
    let reads: ReadModelStore
    /// The log, which the as-of views fold from.
    let log: LMDBEventLog
    /// The server's health and metrics.
    let health: ServerHealth

    /// Serves every operation of the generated boundary on `router`, behind the middleware
    /// that hands each handler its request and reads command bodies.
    func register(on router: some RouterMethods<RapportRequestContext>) throws {
        let operations = router.group().add(middleware: OperationGate())
        try registerHandlers(on: BoundaryTransport(router: operations), configuration: .rapport)
    }
}

extension Configuration {
    /// How Rapport's bodies are written: keys sorted, as ``jsonBody(_:)`` writes the answers
    /// a retry rebuilds from a receipt, so both are the same bytes; times as ``BodyTime``
    /// reads them.
    static let rapport = Configuration(dateTranscoder: BodyTimeTranscoder(), jsonEncodingOptions: [.sortedKeys])
}

/// The caller of an operation and the business time its command names.
struct Acting {
    var principal: Principal
    /// The command's `occurredAt`, checked against the caller's back-dating window; `nil`
    /// for now.
    var occurredAt: Date?
    /// Who the command's events name as their actor.
    var actor: String { principal.actor }
}

extension APIHandler {
    /// The caller of the operation running now, admitted by its access rule.
    var caller: Principal {
        get throws { try RapportRequestContext.requireCurrent().caller() }
    }

    /// Now, by the server's clock (the business clock the server was given), when the request
    /// running now arrived: what "now" and "today" mean to a query.
    var requestTime: Date {
        get throws { try RapportRequestContext.requireCurrent().businessTime?.now ?? Date() }
    }

    /// The caller of the command running now, acting at `occurredAt` (ISO 8601) when the body
    /// names a business time: refused with its code when it is out of the caller's window.
    func acting(at occurredAt: String?) throws -> Acting {
        let context = try RapportRequestContext.requireCurrent()
        let principal = try context.caller()
        guard let occurredAt else { return Acting(principal: principal) }
        guard let time = BodyTime.parse(occurredAt) else {
            throw APIError(
                .badRequest,
                .invalidValue,
                "the field \"occurredAt\" is invalid: \"\(occurredAt)\" is not an ISO 8601 time such as 2026-11-30T09:00:00Z",
                facts: ["field": "occurredAt"]
            )
        }
        try context.businessTime?.check(time)
        return Acting(principal: principal, occurredAt: time)
    }

    /// Refuses with 403 unless `principal` may act on customer `customerID`'s records (the
    /// `bodyCustomer` scope). The owner is the log's as of its head; a customer the log does
    /// not know is left to the service, which refuses it with its code.
    func requireInScope(_ principal: Principal, customer customerID: String) throws {
        guard let holding = try customerOwners.holding(of: customerID) else { return }
        try scope.require(principal, owner: holding.owner, customer: customerID)
    }

    // MARK: - Answers

    /// Runs a command that appends to existing records: the last position appended, or
    /// `changed: false` when the decision appended nothing.
    func appended(_ command: () async throws -> AppendResult?) async throws -> Components.Responses.Appended {
        CommandAnswer.changed.expect()
        guard let result = try await command() else { return .init(body: .json(.init(changed: false))) }
        // A log holds fewer than 2^63 events, so clamping never changes a position.
        return .init(body: .json(.init(changed: true, position: Int64(clamping: result.lastPosition))))
    }

    /// A read model's answer as the type the spec gives it: encoded as the read model writes
    /// itself and decoded by the generated type, which holds it to the spec (a field the spec
    /// does not list, or one it requires that the model left out, is a 500 here rather than
    /// an answer that breaks the clients generated from the spec). A `Date` crosses as seconds
    /// since 1970, keeping its fraction, and leaves as the spec's `date-time`.
    func answer<Answer: Decodable>(_ value: some Encodable) throws -> Answer {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(Answer.self, from: encoder.encode(value))
    }

    /// Runs a command that creates one record, whose id the answer names under `key`.
    func created(_ key: String, _ command: () async throws -> String) async throws -> String {
        CommandAnswer.created(key).expect()
        return try await command()
    }
}
