import AsyncHTTPClient
import CRMSchema
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

@testable import CRMServer

/// A keyed command that appended is answered again from its receipt in the log, which was
/// written in the same transaction as its events: every kind of answer, byte for byte.
@Suite("Idempotent answers rebuilt from the log")
struct IdempotentAnswerTests {
    @Test(
        "created ids, a follow-up's position, a change and a lead's three ids are answered again from the receipt alone"
    )
    func everyKindOfAnswer() async throws {
        var rep = ""
        let server = try await RunningServer.start("idempotent-answers") { log in
            rep = try await CRMService(log: log, clock: RunningServer.businessClock)
                .addUser(NewUser(name: "Rui", email: "rui@example.com", role: .salesRep), actor: "setup")
        }
        let (client, answers) = try AnswerBodies.client(
            server,
            token: try server.tokens.create(for: .user(id: rep), name: "").token
        )

        /// Sends a keyed command, then again: the same answer, replayed, nothing appended, and
        /// kept only as the log's receipt. `replayed` reads the answer's `Idempotent-Replayed`
        /// from the case the command is expected to answer with, so it checks the status too.
        func once<Output>(
            key: String,
            _ send: (String) async throws -> Output,
            replayed: (Output) throws -> Components.Headers.IdempotentReplayed?
        ) async throws -> Output {
            let first = try await send(key)
            let firstBody = answers.latest
            #expect(try replayed(first) == nil, "\(key): \(first)")
            let head = try server.log.head().position
            let retry = try await send(key)
            #expect(
                try replayed(retry) == ._true && answers.latest == firstBody,
                "\(key): \(answers.latest) after \(firstBody)"
            )
            #expect(try server.log.head().position == head, "\(key): the retry appended nothing")
            let receipt = try server.log.receipt(for: IdempotencyStore.storageKey(actor: rep, key: key))
            #expect(receipt?.lastPosition == head, "\(key): the receipt says where the command's events went")
            return first
        }

        let customer = try await once(key: "customer") {
            try await client.createCustomer(
                headers: .init(idempotencyKey: $0),
                body: .json(.init(name: "Wuxi Bearings", ownerId: rep))
            )
        } replayed: {
            try $0.created.headers.idempotentReplayed
        }.created.body.json.customerId
        let followUp = try await once(key: "follow-up") {
            try await client.logFollowUp(
                path: .init(customer: customer),
                headers: .init(idempotencyKey: $0),
                body: .json(.init(channel: .call, note: "intro"))
            )
        } replayed: {
            try $0.created.headers.idempotentReplayed
        }
        #expect(throws: Never.self, "\(followUp)") { try followUp.created.body.json.position }
        let contact = try await once(key: "contact") {
            try await client.addContact(
                path: .init(customer: customer),
                headers: .init(idempotencyKey: $0),
                body: .json(.init(name: "Li Na"))
            )
        } replayed: {
            try $0.created.headers.idempotentReplayed
        }
        #expect(throws: Never.self, "\(contact)") { try contact.created.body.json.contactId }
        let released = try await once(key: "release") {
            try await client.releaseCustomer(
                path: .init(customer: customer),
                headers: .init(idempotencyKey: $0),
                body: .json(.init(note: "not mine"))
            )
        } replayed: {
            try $0.ok.headers.idempotentReplayed
        }
        #expect(try released.ok.body.json.changed, "\(released)")
        let lead = try await once(key: "lead") {
            try await client.createLead(
                headers: .init(idempotencyKey: $0),
                body: .json(.init(companyName: "Changzhou Valves"))
            )
        } replayed: {
            try $0.created.headers.idempotentReplayed
        }.created.body.json.leadId
        _ = try await once(key: "qualify") {
            try await client.qualifyLead(path: .init(lead: lead), headers: .init(idempotencyKey: $0))
        } replayed: {
            try $0.ok.headers.idempotentReplayed
        }
        // The answer's type holds exactly the three ids, and no other field.
        let converted = try await once(key: "convert") {
            try await client.convertLead(
                path: .init(lead: lead),
                headers: .init(idempotencyKey: $0),
                body: .json(.init(name: "Valves 2027", amount: 1_200_000, currency: "CNY"))
            )
        } replayed: {
            try $0.created.headers.idempotentReplayed
        }
        #expect(throws: Never.self, "\(converted)") { try converted.created.body.json }
        try await server.stop()
    }
}
