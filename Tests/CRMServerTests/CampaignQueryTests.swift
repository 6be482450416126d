import CRMSchema
import CRMService
import Foundation
import RapportAPI
import Testing

/// Campaign effect over HTTP: every reader sees every campaign.
@Suite("Campaigns over HTTP")
struct CampaignQueryTests {
    @Test("campaigns by launch, their status as of a time, a page at a time; one campaign's responses")
    func campaigns() async throws {
        let (server, staff) = try await RunningServer.staffed("campaigns") { crm, staff in
            var customer = NewCustomer(name: "Responder Ltd")
            customer.ownerID = staff["rep"]
            let responder = try await crm.createCustomer(
                customer,
                actor: "setup",
                occurredAt: ReportTime.at("2026-04-01")
            )
            for (key, launched, ends, channel) in [
                ("spring", "2026-05-01", "2026-06-01", CRMCampaignChannel.email),
                ("summer", "2026-05-10", "2026-10-31", .event),
                ("flash", "2026-05-20", "2026-05-25", .email),
            ] {
                staff.ids[key] = try await crm.launchCampaign(
                    named: key,
                    targetSegment: "smb",
                    channel: channel,
                    budget: yuan(1_000),
                    endsAt: ReportTime.at(ends),
                    actor: staff["admin"],
                    occurredAt: ReportTime.at(launched)
                )
            }
            try await crm.recordCampaignResponse(
                staff["spring"],
                customerID: responder,
                response: "clicked",
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-05-02")
            )
            try await crm.recordCampaignResponse(
                staff["spring"],
                customerID: responder,
                response: "replied",
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-05-03")
            )
        }
        func ids(_ page: Components.Schemas.CampaignPage) -> [String] {
            page.campaigns.compactMap(\.campaignID)
        }
        let rep = try server.client(as: "rep", staff)

        let answer = try await rep.campaigns(query: .init(asOf: "2026-05-22", limit: 2))
        let first = try answer.ok.body.json
        #expect(ids(first) == [staff["flash"], staff["summer"]], "\(answer)")
        #expect(first.campaigns.compactMap(\.status) == [.running, .running])
        let next = try #require(first.next)
        let second = try await rep.campaigns(query: .init(asOf: "2026-05-22", after: next, limit: 2)).ok.body.json
        #expect(ids(second) == [staff["spring"]], "the rest, no overlap and no gap")
        #expect(second.next == nil)

        let ended = try await server.client(as: "manager", staff).campaigns(
            query: .init(asOf: "2026-06-15T00:00:00Z", status: .ended)
        )
        #expect(ids(try ended.ok.body.json) == [staff["flash"], staff["spring"]])
        let events = try await server.client(as: "finance", staff).campaigns(query: .init(channel: "event"))
        #expect(ids(try events.ok.body.json) == [staff["summer"]])

        let answered = try await rep.campaign(path: .init(campaign: staff["spring"]), query: .init(asOf: "2026-05-02"))
        let spring = try answered.ok.body.json
        #expect((spring.responses, spring.customerResponses, spring.status) == (2, 2, .running), "\(answered)")
        #expect(spring.budget == 100_000)

        let service = try await server.client(as: "subscriber", staff).campaigns()
        #expect((try? service.forbidden) != nil, "\(service)")
        let unknown = try await rep.campaign(path: .init(campaign: "nope"))
        #expect(try unknown.notFound.body.json.error.code == "not_found", "\(unknown)")
        let queries: [Operations.Campaigns.Input.Query] = [
            .init(asOf: "tomorrow"), .init(after: "nope"), .init(limit: 0),
        ]
        for query in queries {
            let malformed = try await rep.campaigns(query: query)
            #expect(
                try malformed.badRequest.body.json.error.code == "invalid_query_parameter",
                "\(query): \(malformed)"
            )
        }
        // The typed client cannot send a `status` the spec does not list.
        let paused = try await server.get("/v1/campaigns?status=paused", as: "rep", staff)
        #expect((paused.status, paused.json.errorCode) == (400, "invalid_query_parameter"))
        try await server.stop()
    }
}
