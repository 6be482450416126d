import AsyncHTTPClient
import CRMSchema
import CRMServer
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import HTTPTypes
import NIOCore
import OpenAPIRuntime
import RapportAPI
import RapportTestSupport
import Testing

/// `Idempotency-Key`: a retried command answers as the first time and appends nothing more.
@Suite("Idempotent retries")
struct IdempotencyTests {
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
        let (rui, answers) = try AnswerBodies.client(
            server,
            token: try server.tokens.create(for: .user(id: reps[0]), name: "").token
        )
        let oto = try server.client(token: try server.tokens.create(for: .user(id: reps[1]), name: "").token)
        let key = Operations.CreateCustomer.Input.Headers(idempotencyKey: "create-silk-1")
        let silk = Operations.CreateCustomer.Input.Body.json(
            .init(name: "Suzhou Silk Works", phone: "+86 512 6666 7777")
        )

        let first = try await rui.createCustomer(headers: key, body: silk)
        let firstBody = answers.latest
        #expect(try first.created.headers.idempotentReplayed == nil, "\(first)")
        let head = try server.log.head().position
        let retry = try await rui.createCustomer(headers: key, body: silk)
        #expect(try retry.created.headers.idempotentReplayed == ._true, "\(retry)")
        #expect(answers.latest == firstBody, "the same customer id")
        #expect(try server.log.head().position == head, "the retry appended nothing")

        let reused = try await rui.createCustomer(headers: key, body: .json(.init(name: "Another Co")))
        #expect(try reused.unprocessableContent.body.json.error.code == "idempotency_key_reused", "\(reused)")

        // Another user's same key is theirs alone: their command runs, and is refused as the
        // duplicate it is.
        let theirs = try await oto.createCustomer(headers: key, body: silk)
        #expect(try theirs.conflict.body.json.error.code == "duplicate_customer", "\(theirs)")
        let theirsAgain = try await oto.createCustomer(headers: key, body: silk)
        #expect(
            try theirsAgain.conflict.headers.idempotentReplayed == ._true,
            "a refusal is kept and answered again: \(theirsAgain)"
        )

        let tooLong = try await oto.createCustomer(
            headers: .init(idempotencyKey: String(repeating: "k", count: 300)),
            body: silk
        )
        #expect(try tooLong.badRequest.body.json.error.code == "invalid_idempotency_key", "\(tooLong)")
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
        let (client, answers) = try AnswerBodies.client(
            server,
            token: try server.tokens.create(for: .user(id: admin), name: "").token
        )
        let rate = Operations.ConfigureCommissionRate.Input.Body.json(.init(rateBasisPoints: 150))
        let first = try await client.configureCommissionRate(headers: .init(idempotencyKey: "rate-1"), body: rate)
        let firstBody = answers.latest
        #expect(try first.ok.headers.idempotentReplayed == nil, "\(first)")
        let head = try server.log.head().position
        let retry = try await client.configureCommissionRate(headers: .init(idempotencyKey: "rate-1"), body: rate)
        #expect(try retry.ok.headers.idempotentReplayed == ._true && answers.latest == firstBody, "\(retry)")
        let level = Operations.UpdateCustomerProfile.Input(
            path: .init(customer: "none"),
            headers: .init(idempotencyKey: "patch-1"),
            body: .json(.init(level: "A"))
        )
        let patched = try await client.updateCustomerProfile(level)
        let again = try await client.updateCustomerProfile(level)
        #expect(throws: Never.self, "\(patched)") { try patched.notFound }
        #expect(try again.notFound.headers.idempotentReplayed == ._true, "\(again)")
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
        let (client, answers) = try AnswerBodies.client(
            server,
            token: try server.tokens.create(for: .user(id: admin), name: "").token
        )
        // Created after the server's own first sweep, owned since September with no follow-up:
        // past the 30 idle days at the server's business time.
        let created = try await client.createCustomer(
            body: .json(.init(name: "Idle Tea Co", ownerId: rep, occurredAt: "2026-09-01T02:00:00Z"))
        )
        #expect(throws: Never.self, "\(created)") { try created.created }
        let first = try await client.sweepPool(headers: .init(idempotencyKey: "sweep-1"))
        let firstBody = answers.latest
        #expect(try !first.ok.body.json.released.isEmpty, "the sweep released the idle customer: \(firstBody)")
        let head = try server.log.head().position
        let retry = try await client.sweepPool(headers: .init(idempotencyKey: "sweep-1"))
        #expect(try retry.ok.headers.idempotentReplayed == ._true, "\(retry)")
        #expect(answers.latest == firstBody, "the whole report, not a position")
        #expect(try server.log.head().position == head)
        try await server.stop()
    }
}
