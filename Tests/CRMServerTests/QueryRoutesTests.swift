import CRMSchema
import CRMServer
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import RapportTestSupport
import Testing

/// Read models over HTTP, cut to the principal's scope.
@Suite("Queries over HTTP")
struct QueryRoutesTests {
    @Test("a rep sees their own customers and the pool, not another rep's; admins see all; subscribers none")
    func customerScope() async throws {
        var ids: [String: String] = [:]
        let server = try await RunningServer.start("queries-scope") { log in
            let crm = CRMService(log: log, clock: RunningServer.businessClock)
            let team = try await crm.createTeam(named: "East", actor: "setup")
            ids["admin"] = try await crm.addUser(
                NewUser(name: "Ada", email: "ada@example.com", role: .admin),
                actor: "setup"
            )
            for (key, name) in [("rep", "Rui"), ("other", "Oto")] {
                var rep = NewUser(name: name, email: "\(key)@example.com", role: .salesRep)
                rep.teamID = team
                ids[key] = try await crm.addUser(rep, actor: "setup")
            }
            var owned = NewCustomer(name: "Ningbo Ports Ltd")
            owned.ownerID = ids["rep"]!
            ids["owned"] = try await crm.createCustomer(owned, actor: ids["admin"]!)
            ids["pooled"] = try await crm.createCustomer(NewCustomer(name: "Wuxi Looms"), actor: ids["admin"]!)
        }
        let rep = try server.tokens.create(for: .user(id: ids["rep"]!), name: "").token
        let other = try server.tokens.create(for: .user(id: ids["other"]!), name: "").token
        let admin = try server.tokens.create(for: .user(id: ids["admin"]!), name: "").token
        let owned = ids["owned"]!

        // The read models follow the log: wait until the customer is in them.
        var view = try await server.getJSON("/v1/customers/\(owned)", token: rep)
        for _ in 0..<200 where view.status == 404 {
            try await Task.sleep(for: .milliseconds(20))
            view = try await server.getJSON("/v1/customers/\(owned)", token: rep)
        }
        #expect(view.status == 200, "\(view.json)")
        #expect(view.json["owner"] as? String == ids["rep"])
        #expect((view.json["profile"] as? [String: Any])?["name"] as? String == "Ningbo Ports Ltd")

        let refused = try await server.getJSON("/v1/customers/\(owned)", token: other)
        #expect(refused.status == 403)
        #expect((refused.json["error"] as? [String: Any])?["code"] as? String == "outside_scope")
        #expect(try await server.getJSON("/v1/customers/\(owned)", token: admin).status == 200)
        #expect(
            try await server.getJSON("/v1/customers/\(ids["pooled"]!)", token: other).status == 200,
            "the pool is everyone's"
        )
        #expect(
            try await server.getJSON("/v1/customers/\(owned)").status == 403,
            "a subscriber reads events, not customers"
        )
        #expect(try await server.getJSON("/v1/customers/nobody", token: admin).status == 404)

        let mine = try await server.getJSON("/v1/customers", token: rep)
        #expect((mine.json["customers"] as? [[String: Any]])?.compactMap { $0["customerID"] as? String } == [owned])
        #expect(try await server.getJSON("/v1/customers?owner=\(ids["rep"]!)", token: other).status == 403)
        let pool = try await server.getJSON("/v1/customers?pool=true", token: other)
        #expect(
            (pool.json["customers"] as? [[String: Any]])?.compactMap { $0["customerID"] as? String } == [ids["pooled"]!]
        )
        let timeline = try await server.getJSON("/v1/customers/\(owned)/timeline", token: rep)
        #expect(timeline.status == 200)
        #expect(((timeline.json["entries"] as? [Any])?.count ?? 0) >= 1)
        try await server.stop()
    }

    @Test("aging needs a well-formed day and answers per currency")
    func aging() async throws {
        var admin = ""
        let server = try await RunningServer.start("queries-aging") { log in
            admin = try await CRMService(log: log, clock: RunningServer.businessClock).addUser(
                NewUser(name: "Ada", email: "ada@example.com", role: .admin),
                actor: "setup"
            )
        }
        let token = try server.tokens.create(for: .user(id: admin), name: "").token
        let malformed = try await server.getJSON("/v1/receivables/aging?asOf=31/12/2026", token: token)
        #expect(malformed.status == 400)
        #expect((malformed.json["error"] as? [String: Any])?["code"] as? String == "invalid_query_parameter")
        #expect(try await server.getJSON("/v1/receivables/aging", token: token).status == 400)
        let report = try await server.getJSON("/v1/receivables/aging?asOf=2026-11-24", token: token)
        #expect(report.status == 200, "\(report.json)")
        let manager = try await CRMService(log: server.log, clock: RunningServer.businessClock).addUser(
            NewUser(name: "Mo", email: "mo@example.com", role: .manager),
            actor: admin
        )
        let managerToken = try server.tokens.create(for: .user(id: manager), name: "").token
        let companyWide = try await server.getJSON("/v1/receivables/aging?asOf=2026-11-24", token: managerToken)
        #expect(companyWide.status == 400, "a manager names a rep of their team")
        try await server.stop()
    }
}
