import EventStore
import Foundation
import NIOHTTP1
import Testing

/// Commands over a real socket: the CRM's rules answer with their codes and facts, bad bodies
/// are refused with what was wrong, and a refusal appends nothing.
@Suite("Commands over HTTP")
struct CommandRoutesTests {
    @Test("a rep creates a customer, logs a follow-up as themselves, and the pool rules hold between two reps")
    func customerLifecycle() async throws {
        let crm = try await CommandServer.start("commands-customers")
        let created = try await crm.post(
            "/v1/customers",
            #"{"name":"Hangzhou Tea Co","phone":"+86 571 8888 1234","region":"Zhejiang"}"#,
            as: .rep
        )
        #expect(created.status == 201, "\(created.json)")
        let customer = try #require(created.json["customerId"] as? String)

        let withNote = try await crm.post("/v1/customers/\(customer)/claim", #"{"note":"mine"}"#, as: .rep)
        #expect(withNote.status == 400, "a claim takes no fields")
        let claimed = try await crm.post("/v1/customers/\(customer)/claim", "", as: .rep)
        #expect(claimed.status == 200, "\(claimed.json)")
        let taken = try await crm.post("/v1/customers/\(customer)/claim", "{}", as: .otherRep)
        #expect(taken.status == 409)
        #expect(taken.code == "customer_owned_by_other_rep")
        #expect(!taken.facts.isEmpty, "the refusal names the owner")

        let followUp = try await crm.post(
            "/v1/customers/\(customer)/follow-ups",
            #"{"channel":"visit","note":"tasting","nextContactAt":"2026-12-01T09:00:00Z"}"#,
            as: .rep
        )
        #expect(followUp.status == 201, "\(followUp.json)")
        let position = try #require(followUp.json["position"] as? Int)
        let logged = try #require(try crm.server.log.readAll(from: UInt64(position), limit: 1).first)
        #expect(logged.type == "crm.v1.FollowUpLogged")
        #expect(logged.actor == crm.id(.rep), "the token's user is the actor")

        // Once the read models know the rep owns it, another rep may not log on it.
        try await crm.settle()
        let intruding = try await crm.post(
            "/v1/customers/\(customer)/follow-ups",
            #"{"channel":"call"}"#,
            as: .otherRep
        )
        #expect(intruding.status == 403)
        #expect(intruding.code == "outside_scope")
        let givenAway = try await crm.post(
            "/v1/customers",
            #"{"name":"Xiamen Ceramics","ownerId":"\#(crm.id(.rep))"}"#,
            as: .otherRep
        )
        #expect(givenAway.status == 403, "a rep may not give a customer to another rep")
        #expect(
            try await crm.post("/v1/customers", #"{"name":"Xiamen Ceramics","ownerId":"\#(crm.id(.rep))"}"#, as: .admin)
                .status == 201
        )

        let released = try await crm.post("/v1/customers/\(customer)/release", #"{"note":"moving on"}"#, as: .otherRep)
        #expect(released.status == 403 || released.status == 422, "\(released.json)")
        #expect(
            try await crm.post("/v1/customers/\(customer)/release", #"{"note":"moving on"}"#, as: .rep).status == 200
        )

        let duplicate = try await crm.post("/v1/customers", #"{"name":"Hangzhou Tea Co."}"#, as: .otherRep)
        #expect(duplicate.status == 409)
        #expect(duplicate.code == "duplicate_customer")
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
        let head = try crm.head()
        let channel = try await crm.post("/v1/customers/nobody/follow-ups", #"{"channel":"pigeon"}"#, as: .rep)
        #expect(channel.status == 400)
        #expect(channel.facts["field"] == "channel")
        let missing = try await crm.post("/v1/customers/nobody/follow-ups", #"{"channel":"call"}"#, as: .rep)
        #expect(missing.status == 404)
        #expect(missing.code == "customer_not_found")
        let huge = try await crm.post(
            "/v1/leads",
            #"{"companyName":""# + String(repeating: "x", count: 2 << 20) + #""}"#,
            as: .rep
        )
        #expect(huge.status == 413)
        #expect(huge.code == "body_too_large")
        let subscriber = try await crm.post("/v1/leads", #"{"companyName":"Acme"}"#, as: nil)
        #expect(subscriber.status == 403)
        #expect(subscriber.code == "forbidden")
        let repPaying = try await crm.post(
            "/v1/contracts/none/payments",
            #"{"amount":100,"currency":"CNY","method":"cash"}"#,
            as: .rep
        )
        #expect(repPaying.status == 403)
        let noContract = try await crm.post(
            "/v1/contracts/none/payments",
            #"{"amount":100,"currency":"CNY","method":"cash"}"#,
            as: .finance
        )
        #expect(noContract.status == 404)
        #expect(noContract.code == "contract_not_found")
        let anonymous = try await crm.send(.POST, "/v1/leads", #"{"companyName":"Acme"}"#, token: nil)
        #expect(anonymous.status == 401)
        #expect(try crm.head() == head, "no refusal appended anything")

        let lead = try await crm.post(
            "/v1/leads",
            #"{"companyName":"Acme Robotics","email":"Sales@Acme.example"}"#,
            as: .rep
        )
        #expect(lead.status == 201, "\(lead.json)")
        #expect(lead.json["leadId"] is String)
        try await crm.stop()
    }
}
