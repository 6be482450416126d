import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import RapportAPI
import Synchronization
import Testing

extension RunningServer {
    /// A client generated from `Schemas/openapi.yaml` over a real socket, sending `token`,
    /// with `middlewares` after the one that sends it.
    func client(token: String?, middlewares: [any ClientMiddleware] = []) throws -> Client {
        Client(
            serverURL: try #require(URL(string: baseURL)),
            transport: AsyncHTTPClientTransport(configuration: .init(client: .shared, timeout: .seconds(30))),
            middlewares: [BearerToken(token: token)] + middlewares
        )
    }
}

/// Sends `Authorization: Bearer <token>` with every request.
private struct BearerToken: ClientMiddleware {
    let token: String?

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        baseURL: URL,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        if let token { request.headerFields[.authorization] = "Bearer \(token)" }
        return try await next(request, body, baseURL)
    }
}

/// The body of each answer a generated client got, byte for byte as it came, so that a replay is
/// compared with the first answer as sent rather than as decoded.
final class AnswerBodies: ClientMiddleware {
    private let bodies = Mutex<[String]>([])

    private init() {}

    /// A client generated from the spec that sends `token` to `server`, and the answers it got.
    static func client(_ server: RunningServer, token: String) throws -> (Client, AnswerBodies) {
        let answers = AnswerBodies()
        return (try server.client(token: token, middlewares: [answers]), answers)
    }

    /// The body of the latest answer.
    var latest: String { bodies.withLock { $0.last ?? "" } }

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        baseURL: URL,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, answer) = try await next(request, body, baseURL)
        guard let answer else {
            bodies.withLock { $0.append("") }
            return (response, nil)
        }
        let text = try await String(collecting: answer, upTo: 1 << 20)
        bodies.withLock { $0.append(text) }
        return (response, HTTPBody(text))
    }
}
