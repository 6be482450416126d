import AsyncHTTPClient
import CRMServer
import Foundation
import NIOCore
import NIOHTTP1
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import RapportAPI
import Testing

/// Holes the access table closed, each shown open before: who may change a pool customer or
/// a customer's level, whose returned goods a manager may record, and who scrapes `/metrics`.
@Suite("Access: holes closed")
struct AccessHoleTests {
    @Test("a pool customer's profile, tags and contacts are changed by managers and admins, never by a rep")
    func poolCustomer() async throws {
        let crm = try await CommandServer.start("hole-pool")
        let admin = try crm.client(as: .admin)
        let customer = try await admin.createCustomer(
            body: .json(.init(name: "Ningbo Ports"))
        ).created.body.json.customerId
        let contact = try await admin.addContact(
            path: .init(customer: customer),
            body: .json(.init(name: "Li Wei"))
        ).created.body.json.contactId
        let head = try crm.head()
        for rep in [CommandServer.Person.rep, .otherRep, .outsider] {
            let client = try crm.client(as: rep)
            let renamed = try await client.updateCustomerProfile(
                path: .init(customer: customer),
                body: .json(.init(name: "Ningbo Ports Group"))
            )
            #expect(try renamed.forbidden.body.json.value1.error.code == "outside_scope", "\(rep): \(renamed)")
            let tagged = try await client.tagCustomer(path: .init(customer: customer), body: .json(.init(add: ["hot"])))
            #expect(try tagged.forbidden.body.json.value1.error.code == "outside_scope", "\(rep): \(tagged)")
            let added = try await client.addContact(
                path: .init(customer: customer),
                body: .json(.init(name: "Wang Fang"))
            )
            #expect(try added.forbidden.body.json.value1.error.code == "outside_scope", "\(rep): \(added)")
            let titled = try await client.updateContact(
                path: .init(customer: customer, contact: contact),
                body: .json(.init(title: "CEO"))
            )
            #expect(try titled.forbidden.body.json.value1.error.code == "outside_scope", "\(rep): \(titled)")
        }
        #expect(try crm.head() == head, "nothing appended")

        let manager = try crm.client(as: .manager)
        let region = try await manager.updateCustomerProfile(
            path: .init(customer: customer),
            body: .json(.init(region: "Zhejiang"))
        )
        #expect(throws: Never.self, "\(region)") { try region.ok }
        let tagged = try await manager.tagCustomer(path: .init(customer: customer), body: .json(.init(add: ["port"])))
        #expect(throws: Never.self, "\(tagged)") { try tagged.ok }
        let added = try await manager.addContact(path: .init(customer: customer), body: .json(.init(name: "Zhao Lei")))
        #expect(throws: Never.self, "\(added)") { try added.created }
        let titled = try await admin.updateContact(
            path: .init(customer: customer, contact: contact),
            body: .json(.init(title: "CFO"))
        )
        #expect(throws: Never.self, "\(titled)") { try titled.ok }

        // Once the rep has claimed it, it is theirs to change.
        let rep = try crm.client(as: .rep)
        let claimed = try await rep.claimCustomer(path: .init(customer: customer))
        #expect(throws: Never.self, "\(claimed)") { try claimed.ok }
        let renamed = try await rep.updateCustomerProfile(
            path: .init(customer: customer),
            body: .json(.init(name: "Ningbo Ports Group"))
        )
        #expect(throws: Never.self, "\(renamed)") { try renamed.ok }
        try await crm.stop()
    }

    @Test("a customer's level is set and changed by managers and admins, not by its owner")
    func level() async throws {
        let crm = try await CommandServer.start("hole-level")
        let (rep, manager) = (try crm.client(as: .rep), try crm.client(as: .manager))
        let before = try crm.head()
        let created = try await rep.createCustomer(
            body: .json(.init(name: "Wuxi Tools", level: "A", ownerId: crm.id(.rep)))
        )
        #expect(
            try created.forbidden.body.json.value1.error.facts.additionalProperties["field"] == "level",
            "\(created)"
        )
        #expect(try crm.head() == before)
        let customer = try await rep.createCustomer(
            body: .json(.init(name: "Wuxi Tools", ownerId: crm.id(.rep)))
        ).created.body.json.customerId
        let byManager = try await manager.createCustomer(
            body: .json(.init(name: "Suzhou Silk", level: "C", ownerId: crm.id(.rep)))
        )
        #expect(throws: Never.self, "\(byManager)") { try byManager.created }
        let head = try crm.head()
        let raised = try await rep.updateCustomerProfile(
            path: .init(customer: customer),
            body: .json(.init(region: "Jiangsu", level: "A"))
        )
        #expect(try raised.forbidden.body.json.value1.error.code == "forbidden", "\(raised)")
        let facts = try? raised.forbidden.body.json.value1.error.facts.additionalProperties
        #expect(facts?["field"] == "level" && facts?["role"] == "sales_rep")
        #expect(try crm.head() == head, "nothing appended, not even the region")
        let region = try await rep.updateCustomerProfile(
            path: .init(customer: customer),
            body: .json(.init(region: "Jiangsu"))
        )
        #expect(throws: Never.self, "\(region)") { try region.ok }
        let byManagerLevel = try await manager.updateCustomerProfile(
            path: .init(customer: customer),
            body: .json(.init(level: "A"))
        )
        #expect(throws: Never.self, "\(byManagerLevel)") { try byManagerLevel.ok }
        let byAdminLevel = try await crm.client(as: .admin).updateCustomerProfile(
            path: .init(customer: customer),
            body: .json(.init(level: "B"))
        )
        #expect(throws: Never.self, "\(byAdminLevel)") { try byAdminLevel.ok }
        try await crm.stop()
    }

    @Test("returned goods are recorded only on a contract whose customer is in the caller's scope")
    func goodsReturned() async throws {
        let crm = try await CommandServer.start("hole-goods")
        let product = try await crm.client(as: .finance).addProduct(
            body: .json(
                .init(
                    sku: "tea-500",
                    name: "Longjing 500 g",
                    price: .init(amount: 10_000, currency: "CNY"),
                    cost: .init(amount: 6_000, currency: "CNY"),
                    unit: "box"
                )
            )
        ).created.body.json.productId
        let rep = try crm.client(as: .rep)
        let customer = try await rep.createCustomer(
            body: .json(.init(name: "Hangzhou Tea House", ownerId: crm.id(.rep)))
        ).created.body.json.customerId
        let contract = try await rep.draftContract(
            body: .json(.init(customerId: customer, lines: [.init(productId: product, quantity: 2)]))
        ).created.body.json.contractId
        // A manager of the other team.
        let south = try await crm.client(as: .admin).addUser(
            body: .json(.init(name: "Sam", email: "sam@example.com", role: .manager, teamId: crm.south))
        ).created.body.json.userId
        let southToken = try crm.server.tokens.create(for: .user(id: south), name: "sam").token

        let returned = Operations.ReceiveReturnedGoods.Input(
            path: .init(contract: contract, refund: "nope"),
            body: .json(.init())
        )
        let outside = try await crm.server.client(token: southToken).receiveReturnedGoods(returned)
        #expect(try outside.forbidden.body.json.value1.error.code == "outside_scope", "\(outside)")
        let inside = try await crm.client(as: .manager).receiveReturnedGoods(returned)
        #expect((try? inside.forbidden) == nil, "the customer's own manager gets past the door: \(inside)")
        let finance = try await crm.client(as: .finance).receiveReturnedGoods(returned)
        #expect((try? finance.forbidden) == nil, "\(finance)")
        try await crm.stop()
    }

    @Test("/metrics needs an admin's or auditor's token; the loopback metrics port needs none")
    func metrics() async throws {
        let server = try await RunningServer.start("hole-metrics", metricsListener: true)
        let none = try await server.client(token: nil).metrics()
        #expect(throws: Never.self, "\(none)") { try none.unauthorized }
        let subscriber = try await server.client(token: server.token).metrics()
        #expect(try subscriber.forbidden.body.json.value1.error.code == "forbidden", "\(subscriber)")
        let scraped = try await server.client(token: try server.operatorToken()).metrics()
        #expect(throws: Never.self, "\(scraped)") { try scraped.ok }

        let port = try #require(server.metricsPort)
        // The loopback listener, with no token at all.
        let loopback = Client(
            serverURL: try #require(URL(string: "http://127.0.0.1:\(port)")),
            transport: AsyncHTTPClientTransport(configuration: .init(client: .shared, timeout: .seconds(30)))
        )
        let scrape = try await loopback.metrics()
        let text = try await String(collecting: try scrape.ok.body.plainText, upTo: 1 << 20)
        #expect(text.contains("rapport_log_head_position"))
        // Hand-built: `/v1/events` is the log's own route, which the generated client leaves out.
        let other = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/events"),
            timeout: .seconds(30)
        )
        #expect(other.status == .notFound, "the metrics port serves nothing else")
        try await server.stop()
    }
}
