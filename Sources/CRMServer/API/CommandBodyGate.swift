import Foundation
import HTTPTypes
import Hummingbird
import NIOFoundationEssentialsCompat
import OpenAPIRuntime
import RapportAPI

/// What every operation of the generated boundary needs before its handler runs: the request,
/// handed to the handler (which the generated code gives only the typed input), and for a
/// command its body, read once, within the upload limit, and judged field by field before
/// it is decoded.
///
/// A command's body is read here up to ``RapportRequestContext/maxUploadSize`` (413 past it);
/// an empty one is the empty object, as every command's fields may all be left out; and it is
/// JSON whatever the `Content-Type` says, as the API has always read it. Then, in order:
/// a body that is not a JSON object is 400 `malformed_json`; a field its schema does not list,
/// at any depth, 400 `unknown_field` with its dotted path (before a missing field is looked
/// for, so a misspelt field is named as such); a field the access table lets only some roles
/// send (``AccessRule/narrower``), 403, `null` being a field not sent. What is left (missing
/// fields, wrong types, values out of range) the generated decoding finds.
struct CommandBodyGate: RouterMiddleware {
    typealias Context = RapportRequestContext
    private static let commandMethods: Set<HTTPRequest.Method> = [.post, .put, .patch]

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard Self.commandMethods.contains(request.method) else {
            return try await RapportRequestContext.$current.withValue(context) { try await next(request, context) }
        }
        var request = request
        var body = try await request.collectBody(within: context)
        if body.readableBytes == 0 { body = ByteBuffer(string: "{}") }
        let object = try Self.object(in: body)
        try Self.requireKnownFields(of: object, route: "\(request.method.rawValue) \(context.endpointPath ?? "")")
        for field in context.access?.narrower.keys.sorted() ?? [] {
            try context.require(part: field, sent: object[field].map { !($0 is NSNull) } ?? false)
        }
        var head = request.head
        head.headerFields[.contentType] = "application/json"
        let command = Request(head: head, body: .init(buffer: body))
        do {
            return try await RapportRequestContext.$current.withValue(context) { try await next(command, context) }
        } catch let error as ServerError {
            guard let refused = error.underlyingError as? BodyTimeError else { throw error }
            throw refused.answer(field: Self.path(of: refused.text, in: object))
        }
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
    private static func requireKnownFields(of object: [String: Any], route: String) throws {
        guard let operation = APIOperations.byRoute[route], let shape = APIOperations.bodyFields[operation],
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
