import CRMDomain
import CRMReadModels
import EventStore
import Foundation
import HTTPTypes
public import Hummingbird

/// A refusal or failure as the API answers it: an HTTP status and a JSON body carrying a
/// stable code, a sentence, and the facts to act on.
///
/// ```json
/// {"error":{"code":"wrong_expected_version","message":"…","facts":{"stream":"lead-9","actual":"3"}}}
/// ```
public struct APIError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The stable reason, for programs.
    public var code: String
    /// What happened, for people.
    public var message: String
    /// The facts: which stream, which version, which parameter.
    public var facts: [String: String]

    /// The server's own codes: what the HTTP layer refuses before, or besides, the domain.
    /// The domain's refusals keep their ``CRMDomain/DomainError/Code``, the log's and the read
    /// models' theirs.
    public enum Code: String, Sendable, CaseIterable {
        /// A business time further back than the caller's role may set.
        case backdatingNotAllowed = "backdating_not_allowed"
        /// A body past the upload limit.
        case bodyTooLarge = "body_too_large"
        /// No such customer (as the domain's), here as of a past point.
        case customerNotFound = "customer_not_found"
        /// A body without a field the command needs.
        case fieldRequired = "field_required"
        /// The caller's role may not use the route, or send one of its parts.
        case forbidden = "forbidden"
        /// What the HTTP framework refused, with its status.
        case httpError = "http_error"
        /// A request under the same idempotency key is still running.
        case idempotencyKeyInFlight = "idempotency_key_in_flight"
        /// The idempotency key was used for another request.
        case idempotencyKeyReused = "idempotency_key_reused"
        /// A failure of the server, which names no internals.
        case internalError = "internal_error"
        /// A body that cannot be read at all.
        case invalidBody = "invalid_body"
        /// A consumer group name outside the rules.
        case invalidConsumerName = "invalid_consumer_name"
        /// An `Idempotency-Key` header outside the rules.
        case invalidIdempotencyKey = "invalid_idempotency_key"
        /// A `Last-Event-ID` that is not a log position.
        case invalidLastEventId = "invalid_last_event_id"
        /// A query parameter the route cannot use.
        case invalidQueryParameter = "invalid_query_parameter"
        /// A token the server does not know, or a malformed `Authorization` header.
        case invalidToken = "invalid_token"
        /// A body field of the right type whose value is refused.
        case invalidValue = "invalid_value"
        /// A body that is not a JSON object.
        case malformedJson = "malformed_json"
        /// A known path asked with a method it does not serve.
        case methodNotAllowed = "method_not_allowed"
        /// The token's user has no role.
        case noRole = "no_role"
        /// A business time after now, beyond the allowed clock skew.
        case occurredInFuture = "occurred_in_future"
        /// A business time before the earliest the CRM takes.
        case occurredOutOfRange = "occurred_out_of_range"
        /// A record or figure outside the caller's scope.
        case outsideScope = "outside_scope"
        /// A position past the log's head.
        case positionPastHead = "position_past_head"
        /// No such route.
        case routeNotFound = "route_not_found"
        /// The server is shutting down.
        case shuttingDown = "shutting_down"
        /// A stream with no events.
        case streamNotFound = "stream_not_found"
        /// The token's lifetime ended.
        case tokenExpired = "token_expired"
        /// The token was revoked.
        case tokenRevoked = "token_revoked"
        /// The route needs a token and the request has none.
        case unauthenticated = "unauthenticated"
        /// A body field the command does not take.
        case unknownField = "unknown_field"
        /// The token's user is not in the log.
        case unknownUser = "unknown_user"
        /// The token's user was deactivated.
        case userInactive = "user_inactive"
        /// A body field of the wrong JSON type.
        case wrongType = "wrong_type"
    }

    /// An error with its status, one of the server's codes, message and facts.
    public init(_ status: HTTPResponse.Status, _ code: Code, _ message: String, facts: [String: String] = [:]) {
        self.init(status, code: code.rawValue, message, facts: facts)
    }

    /// An error with its status, the code of a typed error it answers, message and facts.
    init(_ status: HTTPResponse.Status, code: String, _ message: String, facts: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.facts = facts
    }

    /// A failure of the server, which names no internals: the server's log has them.
    static let internalError = APIError(
        .internalServerError,
        .internalError,
        "the server could not answer this request; the server's log has the details"
    )

    /// A body past the upload limit.
    static func bodyTooLarge(limit: Int) -> APIError {
        APIError(
            .contentTooLarge,
            .bodyTooLarge,
            "the body is larger than \(limit) bytes",
            facts: ["limit": String(limit)]
        )
    }

    /// A malformed request: a parameter, header or body the API cannot use.
    public static func badRequest(_ code: Code, _ message: String, parameter: String? = nil) -> APIError {
        APIError(.badRequest, code, message, facts: parameter.map { ["parameter": $0] } ?? [:])
    }

    /// The JSON error body with the status; `Retry-After` when the server is unavailable.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = try encoder.encode(ErrorBody(error: .init(code: code, message: message, facts: facts)))
        var response = Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
        if status == .serviceUnavailable { response.headers[HTTPField.Name("Retry-After")!] = "1" }
        return response
    }
}

/// The JSON an error answers with.
private struct ErrorBody: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
        var facts: [String: String]
    }
    var error: Detail
}

extension APIError {
    /// The answer to a log error: a conflict for a version or key another append got first,
    /// a bad request for input the log refuses, unavailable once the log is closing.
    init(_ error: EventStoreError) {
        let status: HTTPResponse.Status =
            switch error.code {
            case .wrongExpectedVersion, .uniqueKeyTaken, .uniqueKeyNotOwned, .eventIDReused, .partialDuplicate:
                .conflict
            case .emptyAppend, .duplicateInAppend, .invalidStreamName, .invalidField: .badRequest
            case .eventTooLarge: .contentTooLarge
            case .logClosed, .readOnly, .writerLocked, .logInUse: .serviceUnavailable
            default: .internalServerError
            }
        var facts: [String: String] = [:]
        facts["stream"] = error.stream
        facts["expected"] = error.expected.map { "\($0)" }
        facts["actual"] = error.actual.map(String.init)
        facts["key"] = error.key
        facts["eventID"] = error.eventID
        facts["position"] = error.position.map(String.init)
        self.init(status, code: error.code.rawValue, error.message, facts: facts)
    }

    /// The answer to a read-model query the read model refused.
    init(_ error: ReadModelQueryError) {
        let status: HTTPResponse.Status = error.code == .notFound ? .notFound : .badRequest
        self.init(
            status,
            code: error.code.rawValue,
            error.message,
            facts: error.parameter.map { ["parameter": $0] } ?? [:]
        )
    }
}
