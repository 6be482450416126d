import CRMSchema
import CRMServer
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import RapportAPI
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
        let rep = try server.client(token: server.tokens.create(for: .user(id: ids["rep"]!), name: "").token)
        let other = try server.client(token: server.tokens.create(for: .user(id: ids["other"]!), name: "").token)
        let admin = try server.client(token: server.tokens.create(for: .user(id: ids["admin"]!), name: "").token)
        let owned = Operations.Customer360.Input.Path(customer: ids["owned"]!)

        // The read models follow the log: wait until the customer is in them.
        var view = try await rep.customer360(path: owned)
        for _ in 0..<200 where (try? view.notFound) != nil {
            try await Task.sleep(for: .milliseconds(20))
            view = try await rep.customer360(path: owned)
        }
        let customer = try view.ok.body.json
        #expect(customer.owner == ids["rep"])
        #expect(customer.profile.name == "Ningbo Ports Ltd")

        let refused = try await other.customer360(path: owned)
        #expect(try refused.forbidden.body.json.value1.error.code == "outside_scope", "\(refused)")
        let byAdmin = try await admin.customer360(path: owned)
        #expect((try? byAdmin.ok) != nil, "\(byAdmin)")
        let pooled = try await other.customer360(path: .init(customer: ids["pooled"]!))
        #expect((try? pooled.ok) != nil, "the pool is everyone's: \(pooled)")
        let bySubscriber = try await server.client(token: server.token).customer360(path: owned)
        #expect((try? bySubscriber.forbidden) != nil, "a subscriber reads events, not customers: \(bySubscriber)")
        let nobody = try await admin.customer360(path: .init(customer: "nobody"))
        #expect((try? nobody.notFound) != nil, "\(nobody)")

        let mine = try await rep.listCustomers().ok.body.json
        #expect(mine.customers.map(\.customerID) == [owned.customer])
        let othersList = try await other.listCustomers(query: .init(owner: ids["rep"]!))
        #expect((try? othersList.forbidden) != nil, "\(othersList)")
        let pool = try await other.listCustomers(query: .init(pool: true)).ok.body.json
        #expect(pool.customers.map(\.customerID) == [ids["pooled"]!])
        let timeline = try await rep.customerTimeline(path: .init(customer: owned.customer)).ok.body.json
        #expect(timeline.entries.count >= 1)
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
        let ada = try server.client(token: token)
        let malformed = try await ada.receivablesAging(query: .init(asOf: "31/12/2026"))
        #expect(try malformed.badRequest.body.json.error.code == "invalid_query_parameter", "\(malformed)")
        // Hand-built: `asOf` is required in the spec, so the typed client cannot leave it out.
        #expect(try await server.getJSON("/v1/receivables/aging", token: token).status == 400)
        let report = try await ada.receivablesAging(query: .init(asOf: "2026-11-24"))
        #expect((try? report.ok) != nil, "\(report)")
        let manager = try await CRMService(log: server.log, clock: RunningServer.businessClock).addUser(
            NewUser(name: "Mo", email: "mo@example.com", role: .manager),
            actor: admin
        )
        let managerToken = try server.tokens.create(for: .user(id: manager), name: "").token
        let companyWide = try await server.client(token: managerToken).receivablesAging(
            query: .init(asOf: "2026-11-24")
        )
        #expect((try? companyWide.badRequest) != nil, "a manager names a rep of their team: \(companyWide)")
        try await server.stop()
    }
}
