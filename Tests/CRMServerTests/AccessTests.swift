import CRMSchema
import CRMServer
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import RapportAPI
import RapportTestSupport
import Testing

/// Tokens and roles at the door: who may read the log, and what a revoked token or a
/// deactivated user gets.
@Suite("Access control")
struct AccessTests {
    /// An admin, a sales rep and an auditor in the log.
    private struct People {
        var admin = ""
        var rep = ""
        var auditor = ""
    }

    private func server(_ name: String) async throws -> (RunningServer, People) {
        var people = People()
        let server = try await RunningServer.start(name) { log in
            let crm = CRMService(log: log, clock: RunningServer.businessClock)
            people.admin = try await crm.addUser(
                NewUser(name: "Ada", email: "ada@example.com", role: .admin),
                actor: "setup"
            )
            people.rep = try await crm.addUser(
                NewUser(name: "Rui", email: "rui@example.com", role: .salesRep),
                actor: "setup"
            )
            people.auditor = try await crm.addUser(
                NewUser(name: "Ines", email: "ines@example.com", role: .auditor),
                actor: "setup"
            )
        }
        return (server, people)
    }

    private func code(_ response: (status: Int, json: [String: Any])) -> String? {
        (response.json["error"] as? [String: Any])?["code"] as? String
    }

    @Test("no token, a malformed header or an unknown token is a 401 with a code; health stays open")
    func unauthenticated() async throws {
        let (server, _) = try await server("access-none")
        let none = try await server.getJSON("/v1/events", token: .some(nil))
        #expect(none.status == 401)
        #expect(code(none) == "unauthenticated")
        let unknown = try await server.getJSON("/v1/events", token: "rpt_not-a-real-token")
        #expect(unknown.status == 401)
        #expect(code(unknown) == "invalid_token")
        let basic = try await server.get(
            "/v1/events",
            headers: [("Authorization", "Basic YWRhOnNlY3JldA==")],
            token: .some(nil)
        )
        #expect(basic.status == 401)
        let anonymous = try server.client(token: nil)
        #expect(try await anonymous.health().ok.body.json.status == .ok)
        #expect(try await anonymous.metrics().unauthorized.body.json.error.code == "unauthenticated")
        try await server.stop()
    }

    @Test("admins, auditors and subscribers read the log; a sales rep is refused with 403 naming the role")
    func rolesOnEvents() async throws {
        let (server, people) = try await server("access-roles")
        let admin = try server.tokens.create(for: .user(id: people.admin), name: "").token
        let auditor = try server.tokens.create(for: .user(id: people.auditor), name: "").token
        let rep = try server.tokens.create(for: .user(id: people.rep), name: "").token
        #expect(try await server.getJSON("/v1/events", token: admin).status == 200)
        #expect(try await server.getJSON("/v1/events", token: auditor).status == 200)
        #expect(try await server.getJSON("/v1/events").status == 200, "the subscriber service")
        let refused = try await server.getJSON("/v1/events", token: rep)
        #expect(refused.status == 403)
        #expect(code(refused) == "forbidden")
        #expect(((refused.json["error"] as? [String: Any])?["facts"] as? [String: String])?["role"] == "sales_rep")
        try await server.stop()
    }

    @Test("a revoked token and a deactivated user's token stop working at the next request")
    func revocationAndDeactivation() async throws {
        let (server, people) = try await server("access-revoke")
        let (adminToken, adminRecord) = try server.tokens.create(for: .user(id: people.admin), name: "laptop")
        let auditorToken = try server.tokens.create(for: .user(id: people.auditor), name: "").token
        #expect(try await server.getJSON("/v1/events", token: adminToken).status == 200)
        #expect(try await server.getJSON("/v1/events", token: auditorToken).status == 200)

        #expect(try server.tokens.revoke(id: adminRecord.id)?.revokedAt != nil)
        let revoked = try await server.getJSON("/v1/events", token: adminToken)
        #expect(revoked.status == 401)
        #expect(code(revoked) == "token_revoked")

        _ = try await CRMService(log: server.log, clock: RunningServer.businessClock).deactivateUser(
            people.auditor,
            handingCustomersTo: nil,
            reason: "left",
            actor: people.admin
        )
        let inactive = try await server.getJSON("/v1/events", token: auditorToken)
        #expect(inactive.status == 401)
        #expect(code(inactive) == "user_inactive")
        try await server.stop()
    }
}
