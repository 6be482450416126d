import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import RapportAPI
import Testing

extension RunningServer {
    /// A client generated from `Schemas/openapi.yaml` over a real socket, sending `token`.
    func client(token: String?) throws -> Client {
        Client(
            serverURL: try #require(URL(string: baseURL)),
            transport: AsyncHTTPClientTransport(configuration: .init(client: .shared, timeout: .seconds(30))),
            middlewares: [BearerToken(token: token)]
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
