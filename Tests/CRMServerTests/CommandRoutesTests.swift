import AsyncHTTPClient
import CRMSchema
import CRMServer
import CRMService
import EventStore
import Foundation
import NIOCore
import RapportTestSupport
import Testing

/// Commands over a real socket: the CRM's rules answer with their codes and facts, bad bodies
/// are refused with what was wrong, and a refusal appends nothing.
@Suite("Commands over HTTP")
struct CommandRoutesTests {
    private struct People {
        var admin = ""
        var rep = ""
        var otherRep = ""
        var finance = ""
    }

    private func server(_ name: String) async throws -> (RunningServer, People, [String: String]) {
        var people = People()
        let server = try await RunningServer.start(name) { log in
            let crm = CRMService(log: log)
            let team = try await crm.createTeam(named: "North", actor: "setup")
            people.admin = try await crm.addUser(NewUser(name: "Ada", email: "ada@example.com", role: .admin), actor: "setup")
            var rep = NewUser(name: "Rui", email: "rui@example.com", role: .salesRep)
            rep.teamID = team
            people.rep = try await crm.addUser(rep, actor: "setup")
            var other = NewUser(name: "Oto", email: "oto@example.com", role: .salesRep)
            other.teamID = team
            people.otherRep = try await crm.addUser(other, actor: "setup")
            people.finance = try await crm.addUser(NewUser(name: "Fei", email: "fei@example.com", role: .finance), actor: "setup")
        }
        var tokens: [String: String] = [:]
        for (role, id) in [("admin", people.admin), ("rep", people.rep), ("otherRep", people.otherRep), ("finance", people.finance)] {
            tokens[role] = try server.tokens.create(for: .user(id: id), name: role).token
        }
        return (server, people, tokens)
    }

    private func post(_ server: RunningServer, _ path: String, _ body: String, token: String?) async throws -> (status: Int, json: [String: Any]) {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let json = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? ["raw": text]
        return (Int(response.status.code), json)
    }

    private func error(_ response: (status: Int, json: [String: Any])) -> (code: String?, facts: [String: String]) {
        let error = response.json["error"] as? [String: Any]
        return (error?["code"] as? String, error?["facts"] as? [String: String] ?? [:])
    }

    @Test("a rep creates a customer, logs a follow-up as themselves, and the pool rules hold between two reps")
    func customerLifecycle() async throws {
        let (server, people, tokens) = try await server("commands-customers")
        let created = try await post(server, "/v1/customers", #"{"name":"Hangzhou Tea Co","phone":"+86 571 8888 1234","level":"A"}"#, token: tokens["rep"])
        #expect(created.status == 201, "\(created.json)")
        let customer = try #require(created.json["customerId"] as? String)

        let withNote = try await post(server, "/v1/customers/\(customer)/claim", #"{"note":"mine"}"#, token: tokens["rep"])
        #expect(withNote.status == 400, "a claim takes no fields")
        let claimed = try await post(server, "/v1/customers/\(customer)/claim", "", token: tokens["rep"])
        #expect(claimed.status == 200, "\(claimed.json)")
        let taken = try await post(server, "/v1/customers/\(customer)/claim", "{}", token: tokens["otherRep"])
        #expect(taken.status == 409)
        #expect(error(taken).code == "customer_owned_by_other_rep")
        #expect(!error(taken).facts.isEmpty, "the refusal names the owner")

        let followUp = try await post(
            server, "/v1/customers/\(customer)/follow-ups",
            #"{"channel":"visit","note":"tasting","nextContactAt":"2026-12-01T09:00:00Z"}"#, token: tokens["rep"]
        )
        #expect(followUp.status == 201, "\(followUp.json)")
        let position = try #require(followUp.json["position"] as? Int)
        let logged = try #require(try server.log.readAll(from: UInt64(position), limit: 1).first)
        #expect(logged.type == "crm.v1.FollowUpLogged")
        #expect(logged.actor == people.rep, "the token's user is the actor")

        // Once the read models know the rep owns it, another rep may not log on it.
        for _ in 0..<200 {
            let view = try await server.getJSON("/v1/customers/\(customer)", token: tokens["admin"])
            if view.json["owner"] as? String == people.rep { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let intruding = try await post(server, "/v1/customers/\(customer)/follow-ups", #"{"channel":"call"}"#, token: tokens["otherRep"])
        #expect(intruding.status == 403)
        #expect(error(intruding).code == "outside_scope")
        let givenAway = try await post(server, "/v1/customers", #"{"name":"Xiamen Ceramics","ownerId":"\#(people.rep)"}"#, token: tokens["otherRep"])
        #expect(givenAway.status == 403, "a rep may not give a customer to another rep")
        #expect(try await post(server, "/v1/customers", #"{"name":"Xiamen Ceramics","ownerId":"\#(people.rep)"}"#, token: tokens["admin"]).status == 201)

        let released = try await post(server, "/v1/customers/\(customer)/release", #"{"note":"moving on"}"#, token: tokens["otherRep"])
        #expect(released.status == 403 || released.status == 422, "\(released.json)")
        #expect(try await post(server, "/v1/customers/\(customer)/release", #"{"note":"moving on"}"#, token: tokens["rep"]).status == 200)

        let duplicate = try await post(server, "/v1/customers", #"{"name":"Hangzhou Tea Co."}"#, token: tokens["otherRep"])
        #expect(duplicate.status == 409)
        #expect(error(duplicate).code == "duplicate_customer")
        try await server.stop()
    }

    @Test("bad bodies are refused with what was wrong, and append nothing", arguments: [
        (#"{"name": "#, "malformed_json"),
        (#"["name"]"#, "malformed_json"),
        (#"{"name":"Acme","colour":"red"}"#, "unknown_field"),
        (#"{"name":42}"#, "wrong_type"),
        (#"{"phone":"+86 571 8888 1234"}"#, "field_required"),
        (#"{"name":"Acme","tags":"vip"}"#, "wrong_type"),
    ])
    func badBodies(body: String, code: String) async throws {
        let (server, _, tokens) = try await server("commands-bad-body")
        let head = try server.log.head().position
        let response = try await post(server, "/v1/customers", body, token: tokens["rep"])
        #expect(response.status == 400, "\(response.json)")
        #expect(error(response).code == code, "\(response.json)")
        #expect(try server.log.head().position == head)
        try await server.stop()
    }

    @Test("a bad value, an oversized body, a missing customer and a wrong role each get their own answer")
    func refusals() async throws {
        let (server, _, tokens) = try await server("commands-refusals")
        let head = try server.log.head().position
        let channel = try await post(server, "/v1/customers/nobody/follow-ups", #"{"channel":"pigeon"}"#, token: tokens["rep"])
        #expect(channel.status == 400)
        #expect(error(channel).facts["field"] == "channel")
        let missing = try await post(server, "/v1/customers/nobody/follow-ups", #"{"channel":"call"}"#, token: tokens["rep"])
        #expect(missing.status == 404)
        #expect(error(missing).code == "customer_not_found")
        let huge = try await post(server, "/v1/leads", #"{"companyName":""# + String(repeating: "x", count: 2 << 20) + #""}"#, token: tokens["rep"])
        #expect(huge.status == 413)
        #expect(error(huge).code == "body_too_large")
        let subscriber = try await post(server, "/v1/leads", #"{"companyName":"Acme"}"#, token: server.token)
        #expect(subscriber.status == 403)
        #expect(error(subscriber).code == "forbidden")
        let repPaying = try await post(server, "/v1/contracts/none/payments", #"{"amount":100,"currency":"CNY","method":"cash"}"#, token: tokens["rep"])
        #expect(repPaying.status == 403)
        let noContract = try await post(server, "/v1/contracts/none/payments", #"{"amount":100,"currency":"CNY","method":"cash"}"#, token: tokens["finance"])
        #expect(noContract.status == 404)
        #expect(error(noContract).code == "contract_not_found")
        let anonymous = try await post(server, "/v1/leads", #"{"companyName":"Acme"}"#, token: nil)
        #expect(anonymous.status == 401)
        #expect(try server.log.head().position == head, "no refusal appended anything")

        let lead = try await post(server, "/v1/leads", #"{"companyName":"Acme Robotics","email":"Sales@Acme.example"}"#, token: tokens["rep"])
        #expect(lead.status == 201, "\(lead.json)")
        #expect(lead.json["leadId"] is String)
        try await server.stop()
    }
}
