import CRMDomain
import CRMReadModels
import EventStore
import Foundation
public import Hummingbird
import HTTPTypes

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

    /// An error with its status, code, message and facts.
    public init(_ status: HTTPResponse.Status, code: String, _ message: String, facts: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.facts = facts
    }

    /// A failure of the server, which names no internals: the server's log has them.
    static let internalError = APIError(
        .internalServerError, code: "internal_error", "the server could not answer this request; the server's log has the details"
    )

    /// A body past the upload limit.
    static func bodyTooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "body_too_large", "the body is larger than \(limit) bytes", facts: ["limit": String(limit)])
    }

    /// A malformed request: a parameter, header or body the API cannot use.
    public static func badRequest(_ code: String, _ message: String, parameter: String? = nil) -> APIError {
        APIError(.badRequest, code: code, message, facts: parameter.map { ["parameter": $0] } ?? [:])
    }

    /// The JSON error body with the status; `Retry-After` when the server is unavailable.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = try encoder.encode(ErrorBody(error: .init(code: code, message: message, facts: facts)))
        var response = Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
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
            case .wrongExpectedVersion, .uniqueKeyTaken, .uniqueKeyNotOwned, .eventIDReused, .partialDuplicate: .conflict
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
        self.init(status, code: error.code.rawValue, error.message, facts: error.parameter.map { ["parameter": $0] } ?? [:])
    }
}
