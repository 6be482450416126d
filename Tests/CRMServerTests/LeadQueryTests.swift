import CRMDomain
import CRMService
import Foundation
import RapportAPI
import Testing

/// The leads over HTTP, through the generated client: a rep's own by priority, a manager's
/// team, everyone's for admin and finance; a lead's page and timeline; follow-ups, the weights
/// as a setting, and lead conversion.
@Suite("Leads over HTTP")
struct LeadQueryTests {
    /// Leads created on 1 November: the rep's referral from a big company and their website
    /// lead, the other rep's and the West rep's, and an unassigned one.
    static func staffed(_ name: String) async throws -> (RunningServer, Staff) {
        try await RunningServer.staffed(name) { crm, staff in
            let at = ReportTime.at("2026-11-01")
            let leads: [(String, String, String, String, String)] = [
                ("referral", "推荐有限公司", "rep", "referral", "250+"),
                ("website", "官网有限公司", "rep", "website", "1-49"),
                ("others", "同事有限公司", "other", "website", ""),
                ("westLead", "西区有限公司", "west", "referral", ""),
                ("unassigned", "公海线索有限公司", "", "trade-show", ""),
            ]
            for (key, company, owner, source, size) in leads {
                var lead = NewLead(companyName: company)
                (lead.ownerID, lead.source, lead.companySize) = (staff[owner], source, size)
                staff.ids[key] = try await crm.createLead(lead, actor: "setup", occurredAt: at)
            }
        }
    }

    @Test("my leads by priority with reasons; a manager's team; everyone's for admin and finance; scope refusals")
    func lists() async throws {
        let (server, staff) = try await Self.staffed("leads-lists")
        let (rep, manager, admin, finance) = (
            try server.client(as: "rep", staff), try server.client(as: "manager", staff),
            try server.client(as: "admin", staff), try server.client(as: "finance", staff)
        )
        let mine = try await rep.listLeads().ok.body.json.leads
        #expect(mine.map(\.leadID) == [staff["referral"], staff["website"]], "the referral scores higher")
        let top = try #require(mine.first)
        // 19 idle days by the server's clock (20 November): freshness 30 - 57 stops at 0.
        #expect(top.idleDays == 19 && top.priority == 30 + 25, "\(top.priorityReasons)")
        #expect(top.priorityReasons.map(\.factor) == [.source, .companySize, .campaignResponses, .freshness])
        #expect(top.createdAt == ReportTime.at("2026-11-01"))

        let withPool = try await rep.listLeads(query: .init(owner: "all")).ok.body.json.leads.map(\.leadID)
        #expect(Set(withPool) == [staff["referral"], staff["website"], staff["unassigned"]])
        let teamRefused = try await rep.listLeads(query: .init(owner: "team"))
        #expect(try teamRefused.forbidden.body.json.value1.error.code == "outside_scope", "\(teamRefused)")
        let otherRefused = try await rep.listLeads(query: .init(owner: staff["other"]))
        #expect(try otherRefused.forbidden.body.json.value1.error.code == "outside_scope", "\(otherRefused)")

        let team = try await manager.listLeads(query: .init(sort: .id)).ok.body.json.leads.map(\.leadID)
        #expect(team == [staff["referral"], staff["website"], staff["others"]].sorted())
        let pool = try await manager.listLeads(query: .init(owner: "unassigned")).ok.body.json.leads
        #expect(pool.map(\.leadID) == [staff["unassigned"]] && pool[0].ownerID.isEmpty)

        let firstPage = try await admin.listLeads(query: .init(sort: .id, limit: 3)).ok.body.json
        let secondPage = try await admin.listLeads(query: .init(sort: .id, after: firstPage.next, limit: 3)).ok.body
            .json
        #expect(firstPage.leads.count == 3 && secondPage.leads.count == 2 && secondPage.next == nil)
        let referrals = try await finance.listLeads(query: .init(source: "referral")).ok.body.json.leads
        #expect(Set(referrals.map(\.leadID)) == [staff["referral"], staff["westLead"]])
        let november = try await admin.listLeads(query: .init(createdFrom: "2026-11-01", createdTo: "2026-11-01"))
        #expect(try november.ok.body.json.leads.count == 5)
        let backwards = try await admin.listLeads(query: .init(createdFrom: "2026-11-02", createdTo: "2026-11-01"))
        #expect(try backwards.badRequest.body.json.error.code == "invalid_query_parameter", "\(backwards)")
        let farFuture = try await admin.listLeads(query: .init(createdFrom: "9999-12-31"))
        #expect(try farFuture.ok.body.json.leads.isEmpty, "a day past what a timestamp holds is only far away")
        let farPast = try await finance.listQuotes(query: .init(from: "0001-01-01", to: "9999-12-31"))
        #expect(try farPast.ok.body.json.quotes.isEmpty)
        for empty in [
            try await admin.listLeads(query: .init(source: "")), try await admin.listLeads(query: .init(owner: "")),
            try await admin.listLeads(query: .init(createdTo: "")),
        ] {
            #expect(
                try empty.badRequest.body.json.error.code == "invalid_query_parameter",
                "a value sent empty: \(empty)"
            )
        }
        let badDay = try await admin.listLeads(query: .init(createdFrom: "2026-02-30"))
        #expect(try badDay.badRequest.body.json.error.code == "invalid_query_parameter", "\(badDay)")
        try await server.stop()
    }

    @Test("a lead's page and timeline within scope; a follow-up restarts its idle days")
    func detailAndFollowUp() async throws {
        let (server, staff) = try await Self.staffed("leads-detail")
        let (rep, finance) = (try server.client(as: "rep", staff), try server.client(as: "finance", staff))
        let west = try await rep.lead(path: .init(lead: staff["westLead"]))
        #expect(try west.forbidden.body.json.value1.error.code == "outside_scope", "\(west)")
        let missing = try await finance.lead(path: .init(lead: "no-such-lead"))
        #expect(try missing.notFound.body.json.error.code == "not_found", "\(missing)")
        #expect(try await finance.lead(path: .init(lead: staff["westLead"])).ok.body.json.source == "referral")

        let followedUp = try await rep.followUpLead(
            path: .init(lead: staff["website"]),
            body: .json(.init(channel: .call, note: "asked for prices", nextContactAt: ReportTime.at("2026-11-25")))
        )
        #expect(try followedUp.ok.body.json.changed == true, "\(followedUp)")
        try await server.caughtUp()
        let lead = try await rep.lead(path: .init(lead: staff["website"])).ok.body.json
        #expect((lead.followUps, lead.idleDays, lead.nextContactAt) == (1, 0, ReportTime.at("2026-11-25")))
        // website 20 + 1-49 5 + freshness 30 now outranks the stale referral's 55.
        #expect(lead.priority == 55)
        let timeline = try await rep.leadTimeline(path: .init(lead: staff["website"])).ok.body.json
        #expect(timeline.entries.map(\._type) == ["crm.v1.LeadCreated", "crm.v1.LeadFollowedUp"])
        #expect(timeline.entries.last?.summary == "call: asked for prices" && timeline.next == nil)
        let largest = try await rep.leadTimeline(path: .init(lead: staff["website"]), query: .init(limit: 1_000))
        #expect(try largest.ok.body.json.entries.count == 2)
        let firstOnly = try await rep.leadTimeline(path: .init(lead: staff["website"]), query: .init(limit: 1))
        #expect(try firstOnly.ok.body.json.next == timeline.entries.first.map { Int64($0.position) })

        let past = try await rep.followUpLead(
            path: .init(lead: staff["website"]),
            body: .json(.init(channel: .im, nextContactAt: ReportTime.at("2026-11-01")))
        )
        #expect(try past.badRequest.body.json.error.code == "invalid_value", "\(past)")
        try await server.stop()
    }

    @Test("weights are a setting an admin changes; the ranking follows; conversion per source in scope")
    func weightsAndConversion() async throws {
        let (server, staff) = try await Self.staffed("leads-weights")
        let (rep, admin) = (try server.client(as: "rep", staff), try server.client(as: "admin", staff))
        let defaults = try await rep.leadPriority().ok.body.json
        #expect(
            defaults.freshPoints == 30 && defaults.sourcePoints.contains { $0.value == "referral" && $0.points == 30 }
        )

        let websiteFirst = Components.Schemas.LeadPriorityWeights(
            sourcePoints: [.init(value: "website", points: 500)],
            sizePoints: [],
            pointsPerCampaignResponse: 0,
            campaignResponseCap: 0,
            freshPoints: 0,
            pointsLostPerIdleDay: 0
        )
        let refused = try await rep.configureLeadPriority(body: .json(websiteFirst))
        #expect(try refused.forbidden.body.json.value1.error.code == "forbidden", "\(refused)")
        #expect(try await admin.configureLeadPriority(body: .json(websiteFirst)).ok.body.json.changed == true)
        var twice = websiteFirst
        twice.sourcePoints.append(.init(value: "website", points: 1))
        let invalid = try await admin.configureLeadPriority(body: .json(twice))
        #expect(try invalid.badRequest.body.json.error.code == "invalid_value", "\(invalid)")
        let ranked = try await rep.listLeads().ok.body.json.leads
        #expect(ranked.map(\.leadID) == [staff["website"], staff["referral"]])
        #expect(ranked.map(\.priority) == [500, 0])

        let conversion = try await rep.leadConversion(query: .init(period: "2026-11", by: .source)).ok.body.json
        #expect(conversion.rows.map(\.value) == ["referral", "website"], "the rep's own leads only")
        #expect(conversion.total.leads == 2 && conversion.total.customerRate == 0)
        let everyone = try await admin.leadConversion(query: .init(period: "2026-Q4", by: .rep)).ok.body.json
        #expect(everyone.total.leads == 5 && everyone.rows.count == 4, "three reps and the unassigned")
        try await server.stop()
    }
}
