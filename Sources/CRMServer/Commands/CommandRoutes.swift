import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import EventStore
import Foundation
import Hummingbird

/// The CRM's commands over HTTP, one file an area (`CommandRoutes+Leads.swift`, …). Each acts
/// as the token's user (recorded as the events' actor). The domain's rules decide most of
/// the scope (a rep claims for themselves, approvers are checked by the approval chain); the
/// routes add what the domain leaves to its callers: which roles may send a command at all,
/// whom a new customer or lead may be given to, and whose customers a command may touch.
/// A refused command appends nothing and answers with its code and facts.
///
/// Answers: 201 with the new record's id for a command that creates one; 200
/// `{"changed": true, "position": N}` (the position of the last event appended) for one that
/// changes something; 200 `{"changed": false}` when the command would change nothing and
/// nothing was appended (an update repeating the current values).
struct CommandRoutes {
    let service: CRMService<LMDBEventLog>
    /// The owners of customers and of leads, for the scope checks.
    let customerOwners: RecordOwners
    let leadOwners: RecordOwners
    let scope: CustomerScope

    func add(to router: some RouterMethods<RapportRequestContext>) {
        addUsers(to: router)
    }

    // MARK: - Scope

    /// Refuses with 403 unless `principal` may act on customer `customerID`'s records.
    ///
    /// The owner is the log's as of its head; a customer the log does not know is left to the
    /// service, which refuses it with its code.
    func requireInScope(_ principal: Principal, customer customerID: String) throws {
        guard let holding = try customerOwners.holding(of: customerID) else { return }
        try scope.require(principal, owner: holding.owner, customer: customerID)
    }

    /// Refuses with 403 unless `principal` may act on the customer `record` belongs to; a
    /// record that does not exist is left to the service, which refuses it with its code.
    func requireInScope(_ principal: Principal, record: CustomerRecord) async throws {
        guard let customerID = try await service.customerID(of: record) else { return }
        try requireInScope(principal, customer: customerID)
    }

    // MARK: - Answers

    /// Runs a command that creates one record: 201 with its id under `key`.
    func created(_ key: String, _ command: () async throws -> String) async throws -> Response {
        CommandAnswer.created(key).expect()
        return .json(.created, [key: try await command()])
    }

    /// Runs a command that appends to existing records: 200 with the last position appended,
    /// or `changed: false` when the decision appended nothing.
    func appended(_ command: () async throws -> AppendResult?) async throws -> Response {
        CommandAnswer.changed.expect()
        guard let result = try await command() else { return .json(.ok, ["changed": false]) }
        return .json(.ok, ["changed": true, "position": result.lastPosition])
    }
}

extension Response {
    /// A small JSON object answer.
    static func json(_ status: HTTPResponse.Status, _ fields: [String: any Sendable]) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: jsonBody(fields)))
        )
    }
}

/// A body with no fields of its own (it may still carry `occurredAt`).
struct EmptyBody: CommandBody {
    static let fields: Set<String> = []
}

/// A body with an optional note.
struct NoteBody: CommandBody {
    static let fields: Set<String> = ["note"]
    var note: String?
}

/// A body with the reason a command needs (the domain refuses a blank one).
struct ReasonBody: CommandBody {
    static let fields: Set<String> = ["reason"]
    var reason: String
}
