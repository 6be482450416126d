import AsyncHTTPClient
import CRMServer
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Holes the access table closed, each shown open before: who may change a pool customer or
/// a customer's level, whose returned goods a manager may record, and who scrapes `/metrics`.
@Suite("Access: holes closed")
struct AccessHoleTests {
    @Test("a pool customer's profile, tags and contacts are changed by managers and admins, never by a rep")
    func poolCustomer() async throws {
        let crm = try await CommandServer.start("hole-pool")
        let customer = try await crm.post("/v1/customers", #"{"name":"Ningbo Ports"}"#, as: .admin).id("customerId")
        let contact = try await crm.post("/v1/customers/\(customer)/contacts", #"{"name":"Li Wei"}"#, as: .admin).id(
            "contactId"
        )
        let head = try crm.head()
        for rep in [CommandServer.Person.rep, .otherRep, .outsider] {
            let answers = [
                try await crm.send(.PATCH, "/v1/customers/\(customer)", #"{"name":"Ningbo Ports Group"}"#, as: rep),
                try await crm.post("/v1/customers/\(customer)/tags", #"{"add":["hot"]}"#, as: rep),
                try await crm.post("/v1/customers/\(customer)/contacts", #"{"name":"Wang Fang"}"#, as: rep),
                try await crm.send(
                    .PATCH,
                    "/v1/customers/\(customer)/contacts/\(contact)",
                    #"{"title":"CEO"}"#,
                    as: rep
                ),
            ]
            for answer in answers {
                #expect(answer.status == 403 && answer.code == "outside_scope", "\(rep): \(answer.json)")
            }
        }
        #expect(try crm.head() == head, "nothing appended")

        #expect(
            try await crm.send(.PATCH, "/v1/customers/\(customer)", #"{"region":"Zhejiang"}"#, as: .manager).status
                == 200
        )
        #expect(try await crm.post("/v1/customers/\(customer)/tags", #"{"add":["port"]}"#, as: .manager).status == 200)
        #expect(
            try await crm.post("/v1/customers/\(customer)/contacts", #"{"name":"Zhao Lei"}"#, as: .manager).status
                == 201
        )
        #expect(
            try await crm.send(.PATCH, "/v1/customers/\(customer)/contacts/\(contact)", #"{"title":"CFO"}"#, as: .admin)
                .status == 200
        )

        // Once the rep has claimed it, it is theirs to change.
        #expect(try await crm.post("/v1/customers/\(customer)/claim", as: .rep).status == 200)
        let renamed = try await crm.send(
            .PATCH,
            "/v1/customers/\(customer)",
            #"{"name":"Ningbo Ports Group"}"#,
            as: .rep
        )
        #expect(renamed.status == 200, "\(renamed.json)")
        try await crm.stop()
    }

    @Test("a customer's level is set and changed by managers and admins, not by its owner")
    func level() async throws {
        let crm = try await CommandServer.start("hole-level")
        let before = try crm.head()
        let created = try await crm.post(
            "/v1/customers",
            #"{"name":"Wuxi Tools","ownerId":"\#(crm.id(.rep))","level":"A"}"#,
            as: .rep
        )
        #expect(created.status == 403 && created.facts["field"] == "level", "\(created.json)")
        #expect(try crm.head() == before)
        let customer = try await crm.post(
            "/v1/customers",
            #"{"name":"Wuxi Tools","ownerId":"\#(crm.id(.rep))"}"#,
            as: .rep
        ).id("customerId")
        let byManager = try await crm.post(
            "/v1/customers",
            #"{"name":"Suzhou Silk","ownerId":"\#(crm.id(.rep))","level":"C"}"#,
            as: .manager
        )
        #expect(byManager.status == 201, "\(byManager.json)")
        let head = try crm.head()
        let raised = try await crm.send(
            .PATCH,
            "/v1/customers/\(customer)",
            #"{"level":"A","region":"Jiangsu"}"#,
            as: .rep
        )
        #expect(raised.status == 403 && raised.code == "forbidden", "\(raised.json)")
        #expect(raised.facts["field"] == "level" && raised.facts["role"] == "sales_rep")
        #expect(try crm.head() == head, "nothing appended, not even the region")
        #expect(
            try await crm.send(.PATCH, "/v1/customers/\(customer)", #"{"region":"Jiangsu"}"#, as: .rep).status == 200
        )
        #expect(try await crm.send(.PATCH, "/v1/customers/\(customer)", #"{"level":"A"}"#, as: .manager).status == 200)
        #expect(try await crm.send(.PATCH, "/v1/customers/\(customer)", #"{"level":"B"}"#, as: .admin).status == 200)
        try await crm.stop()
    }

    @Test("returned goods are recorded only on a contract whose customer is in the caller's scope")
    func goodsReturned() async throws {
        let crm = try await CommandServer.start("hole-goods")
        let product = try await crm.post(
            "/v1/products",
            #"{"sku":"tea-500","name":"Longjing 500 g","price":{"amount":10000,"currency":"CNY"},"cost":{"amount":6000,"currency":"CNY"},"unit":"box"}"#,
            as: .finance
        ).id("productId")
        let customer = try await crm.post(
            "/v1/customers",
            #"{"name":"Hangzhou Tea House","ownerId":"\#(crm.id(.rep))"}"#,
            as: .rep
        ).id("customerId")
        let contract = try await crm.post(
            "/v1/contracts",
            #"{"customerId":"\#(customer)","lines":[{"productId":"\#(product)","quantity":2}]}"#,
            as: .rep
        ).id("contractId")
        // A manager of the other team.
        let south = try await crm.post(
            "/v1/users",
            #"{"name":"Sam","email":"sam@example.com","role":"manager","teamId":"\#(crm.south)"}"#,
            as: .admin
        )
        .id("userId")
        let southToken = try crm.server.tokens.create(for: .user(id: south), name: "sam").token

        let outside = try await crm.send(
            .POST,
            "/v1/contracts/\(contract)/refunds/nope/goods-returned",
            "{}",
            token: southToken
        )
        #expect(outside.status == 403 && outside.code == "outside_scope", "\(outside.json)")
        let inside = try await crm.post("/v1/contracts/\(contract)/refunds/nope/goods-returned", "{}", as: .manager)
        #expect(inside.status != 403, "the customer's own manager gets past the door: \(inside.json)")
        let finance = try await crm.post("/v1/contracts/\(contract)/refunds/nope/goods-returned", "{}", as: .finance)
        #expect(finance.status != 403, "\(finance.json)")
        try await crm.stop()
    }

    @Test("/metrics needs an admin's or auditor's token; the loopback metrics port needs none")
    func metrics() async throws {
        let server = try await RunningServer.start("hole-metrics", metricsListener: true)
        let none = try await server.get("/metrics", token: .some(nil))
        #expect(none.status == 401)
        let subscriber = try await server.get("/metrics")
        #expect(subscriber.status == 403 && subscriber.body.contains(#""forbidden""#), "\(subscriber.body)")
        #expect(try await server.get("/metrics", token: try server.operatorToken()).status == 200)

        let port = try #require(server.metricsPort)
        let scrape = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"),
            timeout: .seconds(30)
        )
        #expect(scrape.status == .ok)
        #expect(String(buffer: try await scrape.body.collect(upTo: 1 << 20)).contains("rapport_log_head_position"))
        let other = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/events"),
            timeout: .seconds(30)
        )
        #expect(other.status == .notFound, "the metrics port serves nothing else")
        try await server.stop()
    }
}
