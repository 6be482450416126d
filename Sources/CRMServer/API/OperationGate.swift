import Foundation
import HTTPTypes
import Hummingbird
import NIOFoundationEssentialsCompat
import OpenAPIRuntime
import RapportAPI

/// What every operation of the generated boundary needs before its handler runs: the request,
/// handed to the handler (which the generated code gives only the typed input); its query
/// parameters checked against what the spec says they hold; and for a command its body, read
/// once, within the upload limit, and judged field by field when it cannot be decoded.
///
/// A query parameter the spec types (an integer and its range, one of a list of words, true
/// or false) is refused with 400 `invalid_query_parameter` naming it when its value is not
/// one of those: the generated decoding would refuse it without saying which, and does not
/// check ranges at all.
///
/// A command's body is read here up to ``RapportRequestContext/maxUploadSize`` (413 past it);
/// an empty one is the empty object, as every command's fields may all be left out; and it is
/// JSON whatever the `Content-Type` says, as the API has always read it. A field the access
/// table lets only some roles send (``AccessRule/narrower``) is refused to the others (403,
/// `null` being a field not sent). The generated decoding then reads it; only a body it
/// refuses is looked at here, and refused, in order: 400 `malformed_json` when it is not a
/// JSON object; `unknown_field` with its dotted path for a field its schema does not list, at
/// any depth (so a misspelt field is named as such, not as a missing one, which the decoder
/// looks for first); else the decoder's own finding (a missing field, a wrong type, a value
/// out of range). A body the decoding takes has no unknown field: every body schema lists its
/// fields (`Tools/openapi-operations.py` refuses one that does not), and the generated
/// decoders refuse a field their schema does not list.
struct OperationGate: RouterMiddleware {
    typealias Context = RapportRequestContext
    private static let commandMethods: Set<HTTPRequest.Method> = [.post, .put, .patch]

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let operation = context.operationID
        if let operation, let rules = APIOperations.queryParameters[operation] {
            let query = QueryParameters(request)
            for (name, rule) in rules.sorted(by: { $0.key < $1.key }) { try rule.check(name, in: query) }
        }
        guard Self.commandMethods.contains(request.method) else {
            return try await RapportRequestContext.$current.withValue(context) { try await next(request, context) }
        }
        var request = request
        var body = try await request.collectBody(within: context)
        if body.readableBytes == 0 { body = ByteBuffer(string: "{}") }
        if let narrower = context.access?.narrower, !narrower.isEmpty {
            let object = try Self.judge(body, operation: operation)
            for field in narrower.keys.sorted() {
                try context.require(part: field, sent: object[field].map { !($0 is NSNull) } ?? false)
            }
        }
        // Read as JSON whatever its type says: without a type, the generated decoding takes
        // the operation's one media type, JSON, without parsing a header to find it.
        var head = request.head
        head.headerFields[.contentType] = nil
        let command = Request(head: head, body: .init(buffer: body))
        do {
            return try await RapportRequestContext.$current.withValue(context) { try await next(command, context) }
        } catch let error as ServerError where error.operationInput == nil {
            // The generated decoding refused the body. Every body schema is closed, so a body it
            // takes has no unknown field and needs no look here; one it refuses is looked at
            // field by field, so a misspelt field is named as such, not as a missing one.
            let object = try Self.judge(body, operation: operation)
            guard let refused = error.underlyingError as? BodyTimeError else { throw error }
            throw refused.answer(field: Self.path(of: refused.text, in: object))
        }
    }

    /// The body as a JSON object, once it is known to be one whose every field the
    /// operation's schema lists (400 `malformed_json` or `unknown_field` otherwise).
    private static func judge(_ body: ByteBuffer, operation: String?) throws -> [String: Any] {
        let object = try object(in: body)
        try requireKnownFields(of: object, operation: operation)
        return object
    }

    /// The body as a JSON object.
    private static func object(in body: ByteBuffer) throws -> [String: Any] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(buffer: body))
        } catch {
            throw APIError.badRequest(.malformedJson, "the body is not JSON: \(error.localizedDescription)")
        }
        guard let object = value as? [String: Any] else {
            throw APIError.badRequest(.malformedJson, "the body must be a JSON object")
        }
        return object
    }

    /// Refuses with 400 `unknown_field` a field, at any depth, that the schema of the route's
    /// body does not list.
    private static func requireKnownFields(of object: [String: Any], operation: String?) throws {
        guard let operation, let shape = APIOperations.bodyFields[operation],
            let unknown = shape.unknownField(in: object)
        else { return }
        throw APIError(
            .badRequest,
            .unknownField,
            "the body has a field \"\(unknown.path)\" this command does not take",
            facts: ["field": unknown.path, "fields": unknown.known.sorted().joined(separator: ",")]
        )
    }

    /// The dotted path (`lines.1.dueAt`) of the first string in `object` that is `text`: the
    /// field of a time the decoder refused without saying where.
    private static func path(of text: String, in object: [String: Any]) -> String? {
        func search(_ value: Any, _ path: String) -> String? {
            switch value {
            case let string as String:
                return string == text ? path : nil
            case let object as [String: Any]:
                return object.keys.sorted().lazy.compactMap {
                    search(object[$0] as Any, path.isEmpty ? $0 : "\(path).\($0)")
                }
                .first
            case let array as [Any]:
                return array.enumerated().lazy.compactMap { search($1, "\(path).\($0)") }.first
            default:
                return nil
            }
        }
        return search(object, "")
    }
}

extension RapportRequestContext {
    /// The request the operation running now serves, for the generated boundary's handlers.
    @TaskLocal static var current: RapportRequestContext?

    /// The request the operation running now serves.
    ///
    /// - Throws: 500 when called outside a request (a handler served without its gate).
    static func requireCurrent() throws -> RapportRequestContext {
        guard let current else { throw APIError.internalError }
        return current
    }
}
