import AsyncHTTPClient
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import NIOCore
import NIOHTTP1
import RapportTestSupport
import Testing

@testable import CRMServer

/// A keyed command that appended is answered again from its receipt in the log, which was
/// written in the same transaction as its events: every kind of answer, byte for byte.
@Suite("Idempotent answers rebuilt from the log")
struct IdempotentAnswerTests {
    private func send(
        _ server: RunningServer,
        _ path: String,
        _ body: String,
        token: String,
        key: String
    ) async throws -> (status: Int, body: String, replayed: Bool) {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Idempotency-Key", value: key)
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), text, response.headers.first(name: "Idempotent-Replayed") == "true")
    }

    @Test(
        "created ids, a follow-up's position, a change and a lead's three ids are answered again from the receipt alone"
    )
    func everyKindOfAnswer() async throws {
        var rep = ""
        let server = try await RunningServer.start("idempotent-answers") { log in
            rep = try await CRMService(log: log, clock: RunningServer.businessClock)
                .addUser(NewUser(name: "Rui", email: "rui@example.com", role: .salesRep), actor: "setup")
        }
        let token = try server.tokens.create(for: .user(id: rep), name: "").token

        /// Sends a keyed command, then again: the same answer, replayed, nothing appended, and
        /// kept only as the log's receipt.
        func once(_ path: String, _ body: String, key: String, status: Int) async throws -> [String: Any] {
            let first = try await send(server, path, body, token: token, key: key)
            #expect(first.status == status, "\(path): \(first.body)")
            let head = try server.log.head().position
            let retry = try await send(server, path, body, token: token, key: key)
            #expect(
                retry.status == first.status && retry.body == first.body && retry.replayed,
                "\(path): \(retry.body) after \(first.body)"
            )
            #expect(try server.log.head().position == head, "\(path): the retry appended nothing")
            let receipt = try server.log.receipt(for: IdempotencyStore.storageKey(actor: rep, key: key))
            #expect(receipt?.lastPosition == head, "\(path): the receipt says where the command's events went")
            return try #require(try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [String: Any])
        }

        let customer = try #require(
            try await once(
                "/v1/customers",
                #"{"name":"Wuxi Bearings","ownerId":"\#(rep)"}"#,
                key: "customer",
                status: 201
            )["customerId"] as? String
        )
        let followUp = try await once(
            "/v1/customers/\(customer)/follow-ups",
            #"{"channel":"call","note":"intro"}"#,
            key: "follow-up",
            status: 201
        )
        #expect(followUp["position"] is NSNumber)
        let contact = try await once(
            "/v1/customers/\(customer)/contacts",
            #"{"name":"Li Na"}"#,
            key: "contact",
            status: 201
        )
        #expect(contact["contactId"] is String)
        let released = try await once(
            "/v1/customers/\(customer)/release",
            #"{"note":"not mine"}"#,
            key: "release",
            status: 200
        )
        #expect(released["changed"] as? Bool == true)
        let lead = try #require(
            try await once("/v1/leads", #"{"companyName":"Changzhou Valves"}"#, key: "lead", status: 201)["leadId"]
                as? String
        )
        _ = try await once("/v1/leads/\(lead)/qualify", "", key: "qualify", status: 200)
        let converted = try await once(
            "/v1/leads/\(lead)/convert",
            #"{"name":"Valves 2027","amount":1200000,"currency":"CNY"}"#,
            key: "convert",
            status: 201
        )
        #expect(Set(converted.keys) == ["customerId", "contactId", "opportunityId"], "\(converted)")
        try await server.stop()
    }
}
