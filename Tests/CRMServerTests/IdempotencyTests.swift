import AsyncHTTPClient
import CRMSchema
import CRMServer
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import NIOCore
import NIOHTTP1
import RapportTestSupport
import Testing

/// `Idempotency-Key`: a retried command answers as the first time and appends nothing more.
@Suite("Idempotent retries")
struct IdempotencyTests {
    private func post(
        _ server: RunningServer,
        _ path: String,
        _ body: String,
        token: String,
        key: String?,
        method: HTTPMethod = .POST
    ) async throws -> (status: Int, body: String, replayed: Bool) {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let key { request.headers.add(name: "Idempotency-Key", value: key) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), text, response.headers.first(name: "Idempotent-Replayed") == "true")
    }

    @Test(
        "a retry gets the first answer and appends nothing; another request under the key is refused; keys are per user"
    )
    func retries() async throws {
        var reps: [String] = []
        let server = try await RunningServer.start("idempotency") { log in
            let crm = CRMService(log: log, clock: RunningServer.businessClock)
            for name in ["Rui", "Oto"] {
                reps.append(
                    try await crm.addUser(
                        NewUser(name: name, email: "\(name)@example.com", role: .salesRep),
                        actor: "setup"
                    )
                )
            }
        }
        let rui = try server.tokens.create(for: .user(id: reps[0]), name: "").token
        let oto = try server.tokens.create(for: .user(id: reps[1]), name: "").token
        let body = #"{"name":"Suzhou Silk Works","phone":"+86 512 6666 7777"}"#

        let first = try await post(server, "/v1/customers", body, token: rui, key: "create-silk-1")
        #expect(first.status == 201, "\(first.body)")
        #expect(!first.replayed)
        let head = try server.log.head().position
        let retry = try await post(server, "/v1/customers", body, token: rui, key: "create-silk-1")
        #expect(retry.status == 201)
        #expect(retry.body == first.body, "the same customer id")
        #expect(retry.replayed)
        #expect(try server.log.head().position == head, "the retry appended nothing")

        let reused = try await post(
            server,
            "/v1/customers",
            #"{"name":"Another Co"}"#,
            token: rui,
            key: "create-silk-1"
        )
        #expect(reused.status == 422)
        #expect(reused.body.contains("idempotency_key_reused"))

        // Another user's same key is theirs alone: their command runs, and is refused as the
        // duplicate it is.
        let theirs = try await post(server, "/v1/customers", body, token: oto, key: "create-silk-1")
        #expect(theirs.status == 409, "\(theirs.body)")
        #expect(theirs.body.contains("duplicate_customer"))
        let theirsAgain = try await post(server, "/v1/customers", body, token: oto, key: "create-silk-1")
        #expect(theirsAgain.status == 409)
        #expect(theirsAgain.replayed, "a refusal is kept and answered again")

        let empty = try await post(server, "/v1/customers", body, token: oto, key: String(repeating: "k", count: 300))
        #expect(empty.status == 400)
        #expect(empty.body.contains("invalid_idempotency_key"))
        try await server.stop()
    }

    @Test("a setting put and a profile patched with a key are retried without a second append")
    func putAndPatch() async throws {
        var admin = ""
        let server = try await RunningServer.start("idempotency-put") { log in
            admin = try await CRMService(log: log, clock: RunningServer.businessClock).addUser(
                NewUser(name: "Ada", email: "ada@example.com", role: .admin),
                actor: "setup"
            )
        }
        let token = try server.tokens.create(for: .user(id: admin), name: "").token
        let first = try await post(
            server,
            "/v1/settings/commission-rate",
            #"{"rateBasisPoints":150}"#,
            token: token,
            key: "rate-1",
            method: .PUT
        )
        #expect(first.status == 200 && !first.replayed, "\(first.body)")
        let head = try server.log.head().position
        let retry = try await post(
            server,
            "/v1/settings/commission-rate",
            #"{"rateBasisPoints":150}"#,
            token: token,
            key: "rate-1",
            method: .PUT
        )
        #expect(retry.status == 200 && retry.replayed && retry.body == first.body)
        let patched = try await post(
            server,
            "/v1/customers/none",
            #"{"level":"A"}"#,
            token: token,
            key: "patch-1",
            method: .PATCH
        )
        let again = try await post(
            server,
            "/v1/customers/none",
            #"{"level":"A"}"#,
            token: token,
            key: "patch-1",
            method: .PATCH
        )
        #expect(patched.status == 404 && again.replayed, "\(again.body)")
        #expect(try server.log.head().position == head, "the retries appended nothing")
        try await server.stop()
    }

    @Test("a keyed pool sweep is retried with its whole report, and sweeps nothing twice")
    func sweepRetried() async throws {
        var (admin, rep) = ("", "")
        let server = try await RunningServer.start("idempotency-sweep") { log in
            let crm = CRMService(log: log, clock: RunningServer.businessClock)
            admin = try await crm.addUser(NewUser(name: "Ada", email: "ada@example.com", role: .admin), actor: "setup")
            rep = try await crm.addUser(NewUser(name: "Rui", email: "rui@example.com", role: .salesRep), actor: "setup")
        }
        let token = try server.tokens.create(for: .user(id: admin), name: "").token
        // Created after the server's own first sweep, owned since September with no follow-up:
        // past the 30 idle days at the server's business time.
        let created = try await post(
            server,
            "/v1/customers",
            #"{"name":"Idle Tea Co","ownerId":"\#(rep)","occurredAt":"2026-09-01T02:00:00Z"}"#,
            token: token,
            key: nil
        )
        #expect(created.status == 201, "\(created.body)")
        let first = try await post(server, "/v1/pool/sweep", "", token: token, key: "sweep-1")
        #expect(first.status == 200 && first.body.contains(#""released":["#), "\(first.body)")
        #expect(!first.body.contains(#""released":[]"#), "the sweep released the idle customer: \(first.body)")
        let head = try server.log.head().position
        let retry = try await post(server, "/v1/pool/sweep", "", token: token, key: "sweep-1")
        #expect(retry.status == 200 && retry.replayed)
        #expect(retry.body == first.body, "the whole report, not a position")
        #expect(try server.log.head().position == head)
        try await server.stop()
    }
}
