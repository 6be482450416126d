import AsyncHTTPClient
import CRMServer
import EventStore
import Foundation
import NIOCore
import NIOHTTP1
import RapportTestSupport
import Testing

/// Consumer groups: a server-side checkpoint that members acknowledge and resume from.
@Suite("Consumer groups")
struct ConsumerGroupTests {
    private func put(
        _ server: RunningServer,
        _ path: String,
        _ body: String
    ) async throws -> (status: Int, json: [String: Any]) {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = .PUT
        request.headers.add(name: "Authorization", value: "Bearer \(server.token)")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (
            Int(response.status.code),
            (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? ["raw": text]
        )
    }

    @Test("a group acknowledges, never moves back, and a member resumes after its position")
    func acknowledgeAndResume() async throws {
        let server = try await RunningServer.start("consumer-groups") { log in
            for index in 0..<20 { try await log.append(to: stream("lead-\(index % 3)"), [testEvent("lead.Noted")]) }
        }
        let fresh = try await server.getJSON("/v1/consumers/billing")
        #expect(fresh.status == 200)
        #expect(fresh.json["position"] as? Int == 0)
        #expect(fresh.json["behind"] as? Int == 20)

        #expect(
            try await put(server, "/v1/consumers/billing/position", #"{"position":12}"#).json["position"] as? Int == 12
        )
        let stale = try await put(server, "/v1/consumers/billing/position", #"{"position":7}"#)
        #expect(stale.status == 200)
        #expect(stale.json["position"] as? Int == 12, "a late acknowledgement does not move the group back")
        let past = try await put(server, "/v1/consumers/billing/position", #"{"position":21}"#)
        #expect(past.status == 400)
        #expect((past.json["error"] as? [String: Any])?["code"] as? String == "position_past_head")
        let badName = try await put(server, "/v1/consumers/bad%20name/position", #"{"position":1}"#)
        #expect(badName.status == 400)
        let badBody = try await put(server, "/v1/consumers/billing/position", #"{"position":"twelve"}"#)
        #expect(badBody.status == 400)

        let member = try await EventStreamReader(server, "/v1/subscribe?consumer=billing")
        #expect(try await member.next(8).map(\.id) == (13...20).map { "\($0)" })
        try await server.stop()
    }
}
