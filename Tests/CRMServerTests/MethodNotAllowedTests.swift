import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A known path asked with a method it does not serve answers 405 with `Allow`, over a real socket.
@Suite("Methods a path does not serve")
struct MethodNotAllowedTests {
    private struct Answer {
        var status: Int
        var allow: String?
        var code: String?
    }

    private func send(
        _ method: HTTPMethod,
        _ path: String,
        on server: RunningServer,
        token: String?? = .none
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = method
        if let bearer = token ?? server.token { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if method == .POST || method == .PUT || method == .PATCH {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: "{}"))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any]
        let code = (json?["error"] as? [String: Any])?["code"] as? String
        return Answer(status: Int(response.status.code), allow: response.headers.first(name: "Allow"), code: code)
    }

    @Test(
        "a known path with another method is 405 naming the methods it serves",
        arguments: [
            (HTTPMethod.DELETE, "/v1/customers/customer-1", "GET, PATCH"),
            (.PUT, "/v1/customers", "GET, POST"),
            (.GET, "/v1/leads/lead-1/assign", "POST"),
            (.DELETE, "/v1/consumers/billing/position", "PUT"),
            (.PATCH, "/v1/campaigns/campaign-1", "GET"),
            (.POST, "/v1/events", "GET"),
            (.HEAD, "/v1/customers/customer-1/claim", "POST"),
            (.OPTIONS, "/v1/contracts/contract-1/refunds/refund-1/approve", "POST"),
        ]
    )
    func methodNotAllowed(method: HTTPMethod, path: String, allow: String) async throws {
        let server = try await RunningServer.start("method-not-allowed")
        let answer = try await send(method, path, on: server)
        try await server.stop()
        #expect(answer.status == 405)
        #expect(answer.allow == allow)
        if method != .HEAD { #expect(answer.code == "method_not_allowed") }
    }

    @Test("an open path answers 405 without a token, /metrics (behind a token) 401, and an unknown path stays 404")
    func openAndUnknownPaths() async throws {
        let server = try await RunningServer.start("method-not-allowed-open")
        let health = try await send(.POST, "/health", on: server, token: .some(nil))
        let metrics = try await send(.DELETE, "/metrics", on: server, token: .some(nil))
        let unknown = try await send(.DELETE, "/v1/nowhere", on: server)
        let tooDeep = try await send(.DELETE, "/v1/customers/customer-1/claim/extra", on: server)
        let served = try await send(.GET, "/v1/customers/customer-1/timeline", on: server)
        try await server.stop()
        #expect(health.status == 405 && health.allow == "GET" && health.code == "method_not_allowed")
        #expect(
            metrics.status == 401 && metrics.code == "unauthenticated",
            "/metrics needs a token, whatever the method"
        )
        #expect(unknown.status == 404 && unknown.code == "route_not_found" && unknown.allow == nil)
        #expect(tooDeep.status == 404 && tooDeep.code == "route_not_found")
        #expect(served.status != 405 && served.allow == nil)
    }

    @Test("a method a path does not serve is refused before its Idempotency-Key is looked at")
    func beforeIdempotency() async throws {
        let server = try await RunningServer.start("method-not-allowed-idempotency")
        var answers: [(Int, String?)] = []
        for (method, path) in [(HTTPMethod.POST, "/v1/customers/customer-1"), (.PUT, "/v1/leads")] {
            var request = HTTPClientRequest(url: server.baseURL + path)
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(server.token)")
            request.headers.add(name: "Idempotency-Key", value: "same-key")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: "{}"))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
            answers.append((Int(response.status.code), response.headers.first(name: "Allow")))
        }
        try await server.stop()
        #expect(answers.map(\.0) == [405, 405])
        #expect(answers.map(\.1) == ["GET, PATCH", "GET, POST"])
    }

    @Test("a request without a token is refused as unauthenticated before its method is judged")
    func authenticationFirst() async throws {
        let server = try await RunningServer.start("method-not-allowed-auth")
        let answer = try await send(.DELETE, "/v1/customers/customer-1", on: server, token: .some(nil))
        try await server.stop()
        #expect(answer.status == 401)
        #expect(answer.code == "unauthenticated")
    }
}
