import AsyncHTTPClient
import CRMServer
import EventStore
import Foundation
import NIOCore
import NIOHTTP1
import RapportAPI
import RapportTestSupport
import Testing

/// Consumer groups: a server-side checkpoint that members acknowledge and resume from.
@Suite("Consumer groups")
struct ConsumerGroupTests {
    @Test("a group acknowledges, never moves back, and a member resumes after its position")
    func acknowledgeAndResume() async throws {
        let server = try await RunningServer.start("consumer-groups") { log in
            for index in 0..<20 { try await log.append(to: stream("lead-\(index % 3)"), [testEvent("lead.Noted")]) }
        }
        let client = try server.client(token: server.token)
        let fresh = try await client.consumerGroup(path: .init(consumer: "billing"))
        #expect(try fresh.ok.body.json.position == 0, "\(fresh)")
        #expect(try fresh.ok.body.json.behind == 20)

        func acknowledge(_ consumer: String, _ position: Int64) async throws -> Operations.Acknowledge.Output {
            try await client.acknowledge(path: .init(consumer: consumer), body: .json(.init(position: position)))
        }
        #expect(try await acknowledge("billing", 12).ok.body.json.position == 12)
        let stale = try await acknowledge("billing", 7)
        #expect(try stale.ok.body.json.position == 12, "a late acknowledgement does not move the group back")
        let past = try await acknowledge("billing", 21)
        #expect(try past.badRequest.body.json.error.code == "position_past_head", "\(past)")
        let badName = try await acknowledge("bad name", 1)
        #expect(throws: Never.self, "\(badName)") { try badName.badRequest }
        // Hand-built: a position of the wrong JSON type, which the typed client cannot send.
        var wrongType = HTTPClientRequest(url: server.baseURL + "/v1/consumers/billing/position")
        wrongType.method = .PUT
        wrongType.headers.add(name: "Authorization", value: "Bearer \(server.token)")
        wrongType.body = .bytes(ByteBuffer(string: #"{"position":"twelve"}"#))
        let badBody = try await HTTPClient.shared.execute(wrongType, timeout: .seconds(30))
        #expect(badBody.status == .badRequest)

        // Following the log live is its own route, which the generated client leaves out.
        let member = try await EventStreamReader(server, "/v1/subscribe?consumer=billing")
        #expect(try await member.next(8).map(\.id) == (13...20).map { "\($0)" })
        try await server.stop()
    }
}
