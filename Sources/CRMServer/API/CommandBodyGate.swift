import Foundation
import HTTPTypes
import Hummingbird
import NIOFoundationEssentialsCompat
import OpenAPIRuntime

/// What every operation of the generated boundary needs before its handler runs: the request,
/// handed to the handler (which the generated code gives only the typed input), and for a
/// command its body, read once and within the upload limit.
///
/// A command's body is read here up to ``RapportRequestContext/maxUploadSize`` (413 past it);
/// an empty one is the empty object, as every command's fields may all be left out; and it is
/// JSON whatever the `Content-Type` says, as the API has always read it. The fields the access
/// table lets only some roles send (``AccessRule/narrower``) are checked here, before any
/// other part of the body is judged: `null` is a field not sent.
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
        var body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIError.bodyTooLarge(limit: context.maxUploadSize)
        }
        if body.readableBytes == 0 { body = ByteBuffer(string: "{}") }
        if let narrower = context.access?.narrower, !narrower.isEmpty {
            try Self.requireNarrowedFields(of: body, in: narrower.keys, context: context)
        }
        var head = request.head
        head.headerFields[.contentType] = "application/json"
        let command = Request(head: head, body: .init(buffer: body))
        do {
            return try await RapportRequestContext.$current.withValue(context) { try await next(command, context) }
        } catch let error as ServerError {
            guard let refused = error.underlyingError as? BodyTimeError else { throw error }
            throw refused.answer(field: Self.path(of: refused.text, in: body))
        }
    }

    /// The dotted path (`lines.1.dueAt`) of the first string in `body` that is `text`: the
    /// field of a time the decoder refused without saying where.
    private static func path(of text: String, in body: ByteBuffer) -> String? {
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
        return (try? JSONSerialization.jsonObject(with: Data(buffer: body))).flatMap { search($0, "") }
    }

    /// Refuses with 403 a field of `body`, among `fields`, that the caller's role may not send.
    private static func requireNarrowedFields(
        of body: ByteBuffer,
        in fields: some Sequence<String>,
        context: Context
    ) throws {
        // A body that is not a JSON object is left to the decoder, which names what is wrong.
        guard let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] else {
            return
        }
        for field in fields.sorted() {
            try context.require(part: field, sent: object[field].map { !($0 is NSNull) } ?? false)
        }
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
