import CRMSchema
import CRMService
import Foundation
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
        func ids(_ json: [String: Any]) -> [String] {
            json.objects("campaigns").compactMap { $0["campaignID"] as? String }
        }

        let first = try await server.get("/v1/campaigns?limit=2&asOf=2026-05-22", as: "rep", staff)
        #expect(first.status == 200, "\(first.json)")
        #expect(ids(first.json) == [staff["flash"], staff["summer"]])
        #expect(first.json.objects("campaigns").compactMap { $0["status"] as? String } == ["running", "running"])
        let next = try #require(first.json["next"] as? String)
        let second = try await server.get("/v1/campaigns?limit=2&asOf=2026-05-22&after=\(next)", as: "rep", staff)
        #expect(ids(second.json) == [staff["spring"]], "the rest, no overlap and no gap")
        #expect(second.json["next"] == nil)

        let ended = try await server.get("/v1/campaigns?status=ended&asOf=2026-06-15T00:00:00Z", as: "manager", staff)
        #expect(ids(ended.json) == [staff["flash"], staff["spring"]])
        #expect(
            ids(try await server.get("/v1/campaigns?channel=event", as: "finance", staff).json) == [staff["summer"]]
        )

        let spring = try await server.get("/v1/campaigns/\(staff["spring"])?asOf=2026-05-02", as: "rep", staff)
        #expect(spring.status == 200, "\(spring.json)")
        #expect(
            (spring.json.int("responses"), spring.json.int("customerResponses"), spring.json["status"] as? String) == (
                2, 2, "running"
            )
        )
        #expect(spring.json.int("budget") == 100_000)

        #expect(try await server.get("/v1/campaigns", as: "subscriber", staff).status == 403)
        let unknown = try await server.get("/v1/campaigns/nope", as: "rep", staff)
        #expect((unknown.status, unknown.json.errorCode) == (404, "not_found"))
        for path in [
            "/v1/campaigns?asOf=tomorrow", "/v1/campaigns?status=paused", "/v1/campaigns?after=nope",
            "/v1/campaigns?limit=0",
        ] {
            let malformed = try await server.get(path, as: "rep", staff)
            #expect((malformed.status, malformed.json.errorCode) == (400, "invalid_query_parameter"), "\(path)")
        }
        try await server.stop()
    }
}
