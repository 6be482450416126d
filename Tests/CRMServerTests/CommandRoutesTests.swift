import EventStore
import Foundation
import RapportAPI
import Testing

/// Commands over a real socket: the CRM's rules answer with their codes and facts, bad bodies
/// are refused with what was wrong, and a refusal appends nothing.
@Suite("Commands over HTTP")
struct CommandRoutesTests {
    @Test("a rep creates a customer, logs a follow-up as themselves, and the pool rules hold between two reps")
    func customerLifecycle() async throws {
        let crm = try await CommandServer.start("commands-customers")
        let (rep, otherRep) = (try crm.client(as: .rep), try crm.client(as: .otherRep))
        let created = try await rep.createCustomer(
            body: .json(.init(name: "Hangzhou Tea Co", phone: "+86 571 8888 1234", region: "Zhejiang"))
        )
        let customer = try created.created.body.json.customerId

        // Hand-built: a claim's body has no `note`, so the typed client cannot send this unknown field.
        let withNote = try await crm.post("/v1/customers/\(customer)/claim", #"{"note":"mine"}"#, as: .rep)
        #expect(withNote.status == 400, "a claim takes no fields")
        let claimed = try await rep.claimCustomer(path: .init(customer: customer))
        #expect(try claimed.ok.body.json.changed, "\(claimed)")
        let taken = try await otherRep.claimCustomer(path: .init(customer: customer), body: .json(.init()))
        let owned = try taken.conflict.body.json.error
        #expect(owned.code == "customer_owned_by_other_rep", "\(taken)")
        #expect(!owned.facts.additionalProperties.isEmpty, "the refusal names the owner")

        let followUp = try await rep.logFollowUp(
            path: .init(customer: customer),
            body: .json(
                .init(
                    channel: .visit,
                    note: "tasting",
                    nextContactAt: try Date("2026-12-01T09:00:00Z", strategy: .iso8601)
                )
            )
        )
        let position = try followUp.created.body.json.position
        let logged = try #require(try crm.server.log.readAll(from: UInt64(position), limit: 1).first)
        #expect(logged.type == "crm.v1.FollowUpLogged")
        #expect(logged.actor == crm.id(.rep), "the token's user is the actor")

        // Once the read models know the rep owns it, another rep may not log on it.
        try await crm.settle()
        let intruding = try await otherRep.logFollowUp(
            path: .init(customer: customer),
            body: .json(.init(channel: .call))
        )
        #expect(try intruding.forbidden.body.json.value1.error.code == "outside_scope", "\(intruding)")
        let xiamen = Operations.CreateCustomer.Input.Body.json(.init(name: "Xiamen Ceramics", ownerId: crm.id(.rep)))
        let givenAway = try await otherRep.createCustomer(body: xiamen)
        #expect(throws: Never.self, "a rep may not give a customer to another rep") { try givenAway.forbidden }
        let adminGave = try await crm.client(as: .admin).createCustomer(body: xiamen)
        #expect(throws: Never.self, "\(adminGave)") { try adminGave.created }

        let moveOn = Components.RequestBodies.Note.json(.init(note: "moving on"))
        let released = try await otherRep.releaseCustomer(path: .init(customer: customer), body: moveOn)
        let refused =
            switch released {
            case .forbidden, .unprocessableContent: true
            default: false
            }
        #expect(refused, "\(released)")
        let releasedByOwner = try await rep.releaseCustomer(path: .init(customer: customer), body: moveOn)
        #expect(try releasedByOwner.ok.body.json.changed, "\(releasedByOwner)")

        let duplicate = try await otherRep.createCustomer(body: .json(.init(name: "Hangzhou Tea Co.")))
        #expect(try duplicate.conflict.body.json.error.code == "duplicate_customer", "\(duplicate)")
        try await crm.stop()
    }

    @Test(
        "bad bodies are refused with what was wrong, and append nothing",
        arguments: [
            (#"{"name": "#, "malformed_json"),
            (#"["name"]"#, "malformed_json"),
            (#"{"name":"Acme","colour":"red"}"#, "unknown_field"),
            (#"{"name":42}"#, "wrong_type"),
            (#"{"phone":"+86 571 8888 1234"}"#, "field_required"),
            (#"{"name":"Acme","tags":"vip"}"#, "wrong_type"),
        ]
    )
    func badBodies(body: String, code: String) async throws {
        let crm = try await CommandServer.start("commands-bad-body")
        let head = try crm.head()
        let response = try await crm.post("/v1/customers", body, as: .rep)
        #expect(response.status == 400, "\(response.json)")
        #expect(response.code == code, "\(response.json)")
        #expect(try crm.head() == head)
        try await crm.stop()
    }

    @Test("a bad value, an oversized body, a missing customer and a wrong role each get their own answer")
    func refusals() async throws {
        let crm = try await CommandServer.start("commands-refusals")
        let rep = try crm.client(as: .rep)
        let head = try crm.head()
        // Hand-built: `pigeon` is outside the spec's channel enum, so the typed client cannot send it.
        let channel = try await crm.post("/v1/customers/nobody/follow-ups", #"{"channel":"pigeon"}"#, as: .rep)
        #expect(channel.status == 400)
        #expect(channel.facts["field"] == "channel")
        let missing = try await rep.logFollowUp(path: .init(customer: "nobody"), body: .json(.init(channel: .call)))
        #expect(try missing.notFound.body.json.error.code == "customer_not_found", "\(missing)")
        let huge = try await rep.createLead(
            body: .json(.init(companyName: String(repeating: "x", count: 2 << 20)))
        )
        #expect(try huge.contentTooLarge.body.json.error.code == "body_too_large", "\(huge)")
        let subscriber = try await crm.client(as: nil).createLead(body: .json(.init(companyName: "Acme")))
        #expect(try subscriber.forbidden.body.json.value1.error.code == "forbidden", "\(subscriber)")
        let payment = Operations.RecordPayment.Input.Body.json(.init(amount: 100, currency: "CNY", method: .cash))
        let repPaying = try await rep.recordPayment(path: .init(contract: "none"), body: payment)
        #expect(throws: Never.self, "\(repPaying)") { try repPaying.forbidden }
        let noContract = try await crm.client(as: .finance).recordPayment(path: .init(contract: "none"), body: payment)
        #expect(try noContract.notFound.body.json.error.code == "contract_not_found", "\(noContract)")
        let anonymous = try await crm.server.client(token: nil).createLead(body: .json(.init(companyName: "Acme")))
        #expect(throws: Never.self, "\(anonymous)") { try anonymous.unauthorized }
        #expect(try crm.head() == head, "no refusal appended anything")

        let lead = try await rep.createLead(
            body: .json(.init(companyName: "Acme Robotics", email: "Sales@Acme.example"))
        )
        #expect(try !lead.created.body.json.leadId.isEmpty, "\(lead)")
        try await crm.stop()
    }
}
