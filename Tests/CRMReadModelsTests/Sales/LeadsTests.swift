import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import Foundation
import Projections
import Testing

@Suite("Leads read model")
struct LeadsTests {
    /// A small sales team's leads: Alice's three, Bob's one and an unassigned one, followed up,
    /// answered to a campaign, qualified, converted and won, disqualified, reassigned.
    struct Story {
        let world: CRMWorld
        let alice: String
        let bob: String
        let campaign: String
        /// Alice's: a referral from a big company, followed up on 10 March.
        let referral: String
        /// Alice's: from the website, small, two campaign responses, never followed up.
        let website: String
        /// Alice's, then Bob's: converted on 12 March and won on 20 March.
        let converted: String
        /// Bob's: disqualified.
        let dropped: String
        /// Unassigned, from a trade show.
        let unassigned: String

        static func told(_ name: String) async throws -> Story {
            let world = try CRMWorld(name)
            world.salesClockToNextYear()
            let crm = world.crm
            let team = try await world.team("East")
            let alice = try await world.user("alice", team: team)
            let bob = try await world.user("bob", team: team)
            func at(_ day: String, _ hour: Double = 10) -> Date { SalesTime.at(day, hour) }
            let campaign = try await crm.launchCampaign(
                named: "Spring expo",
                targetSegment: "manufacturing",
                channel: .event,
                budget: salesCNY(1_000),
                endsAt: at("2026-04-30"),
                actor: "admin",
                occurredAt: at("2026-03-01")
            )
            func lead(
                _ name: String,
                owner: String,
                source: String,
                size: String = "",
                campaign: String = ""
            )
                async throws -> String
            {
                var lead = NewLead(companyName: name)
                (lead.ownerID, lead.source, lead.companySize, lead.campaignID) = (owner, source, size, campaign)
                return try await crm.createLead(lead, actor: "admin", occurredAt: at("2026-03-02"))
            }
            let referral = try await lead("推荐有限公司", owner: alice, source: "referral", size: "250+")
            let website = try await lead("官网有限公司", owner: alice, source: "website", size: "1-49", campaign: campaign)
            let converted = try await lead("成交有限公司", owner: alice, source: "website", campaign: campaign)
            let dropped = try await lead("无效有限公司", owner: bob, source: "cold-call")
            let unassigned = try await lead("展会有限公司", owner: "", source: "trade-show")

            try await crm.followUpLead(
                referral,
                channel: .call,
                note: "wants a demo",
                nextContactAt: at("2026-03-15"),
                actor: alice,
                occurredAt: at("2026-03-10")
            )
            for day in ["2026-03-03", "2026-03-04"] {
                try await crm.recordCampaignResponse(
                    campaign,
                    leadID: website,
                    response: "registered",
                    actor: "admin",
                    occurredAt: at(day)
                )
            }
            try await crm.assignLead(converted, to: bob, actor: alice, occurredAt: at("2026-03-05"))
            try await crm.qualifyLead(converted, note: "budget agreed", actor: bob, occurredAt: at("2026-03-11"))
            let opportunity = try await crm.convertLead(
                converted,
                opportunity: .init(name: "first order", amount: salesCNY(5_000)),
                actor: bob,
                occurredAt: at("2026-03-12")
            )
            .opportunityID
            try await crm.winOpportunity(opportunity, reason: "price", actor: bob, occurredAt: at("2026-03-20"))
            try await crm.disqualifyLead(dropped, reason: "no budget", actor: bob, occurredAt: at("2026-03-06"))
            return Story(
                world: world,
                alice: alice,
                bob: bob,
                campaign: campaign,
                referral: referral,
                website: website,
                converted: converted,
                dropped: dropped,
                unassigned: unassigned
            )
        }

        func queries() async throws -> LeadQueries {
            LeadQueries(store: try await world.readModels([LeadsProjector.self]))
        }
    }

    @Test("a rep's leads by priority, with each score's reasons by the default weights")
    func priority() async throws {
        let story = try await Story.told("leads-priority")
        let leads = try await story.queries()
        let now = SalesTime.at("2026-03-12", 10)
        let mine = try leads.leads(
            {
                var filter = LeadFilter()
                filter.owners = [story.alice]
                return filter
            }(),
            weights: .defaults,
            now: now
        )
        #expect(mine.map(\.leadID) == [story.referral, story.website], "the converted lead went to Bob")
        let referral = mine[0]
        // referral 30 + 250+ 25 + no responses 0 + two idle days: 30 - 2 × 3 = 24.
        #expect(referral.priority == 79, "\(referral.priorityReasons)")
        #expect(
            referral.priorityReasons.map { "\($0.factor)=\($0.detail):\($0.points)" } == [
                "source=referral:30", "company_size=250+:25", "campaign_responses=0:0", "freshness=2:24",
            ]
        )
        #expect(referral.idleDays == 2 && referral.followUps == 1)
        #expect(referral.nextContactAt == SalesTime.at("2026-03-15"))
        // website 20 + 1-49 5 + two responses 20 + ten idle days: 30 - 30 = 0.
        #expect(mine[1].priority == 45, "\(mine[1].priorityReasons)")
        #expect(mine[1].campaignResponses == 2 && mine[1].idleDays == 10)

        // Other weights reorder the same leads: responses count for more than anything else.
        var weights = LeadPriority.defaults
        (weights.pointsPerCampaignResponse, weights.campaignResponseCap) = (100, 200)
        let reordered = try leads.leads(
            {
                var filter = LeadFilter()
                filter.owners = [story.alice]
                return filter
            }(),
            weights: weights,
            now: now
        )
        #expect(reordered.map(\.leadID) == [story.website, story.referral])

        let closed = try leads.lead(id: story.dropped, weights: .defaults, now: now)
        #expect((closed.status, closed.priority, closed.disqualifiedReason) == ("disqualified", 0, "no budget"))
        let won = try leads.lead(id: story.converted, weights: .defaults, now: now)
        #expect(
            (won.status, won.ownerID, won.customerID != nil, won.opportunityID != nil) == (
                "converted", story.bob, true, true
            )
        )
    }

    @Test("lists filtered by owner, unassigned, status, source, campaign and creation day")
    func filters() async throws {
        let story = try await Story.told("leads-filters")
        let leads = try await story.queries()
        let now = SalesTime.at("2026-03-12")
        func ids(_ change: (inout LeadFilter) -> Void) throws -> Set<String> {
            var filter = LeadFilter()
            change(&filter)
            return Set(try leads.leads(filter, order: .id, weights: .defaults, now: now).map(\.leadID))
        }
        #expect(try ids { $0.owners = [""] } == [story.unassigned])
        #expect(try ids { $0.owners = [story.bob] } == [story.converted, story.dropped])
        #expect(try ids { $0.owners = [story.bob, ""] } == [story.converted, story.dropped, story.unassigned])
        #expect(try ids { $0.status = "open" } == [story.referral, story.website, story.unassigned])
        #expect(try ids { $0.source = "website" } == [story.website, story.converted])
        #expect(try ids { $0.campaignID = story.campaign } == [story.website, story.converted])
        #expect(try ids { $0.createdFrom = SalesTime.at("2026-03-03", 0) }.isEmpty)
        #expect(try ids { $0.createdTo = SalesTime.at("2026-03-03", 0) }.count == 5)
        #expect(throws: ReadModelQueryError.self) { try ids { $0.status = "won" } }
        #expect(throws: ReadModelQueryError.self) { try ids { $0.owners = ["a|b"] } }
        #expect(throws: ReadModelQueryError.self) {
            try ids { ($0.createdFrom, $0.createdTo) = (SalesTime.at("2026-03-04"), SalesTime.at("2026-03-03")) }
        }
        let newest = try leads.leads(LeadFilter(), order: .created, weights: .defaults, now: now)
        #expect(newest.first?.leadID == story.unassigned, "created last, at the same business time")
    }

    @Test("a lead's timeline: creation, assignment, qualification, conversion, paged by position")
    func timeline() async throws {
        let story = try await Story.told("leads-timeline")
        let leads = try await story.queries()
        let (entries, end) = try leads.timeline(of: story.converted)
        #expect(end == nil, "one page holds them all")
        #expect(
            entries.map(\.type) == [
                "crm.v1.LeadCreated", "crm.v1.LeadAssigned", "crm.v1.LeadQualified", "crm.v1.LeadConverted",
            ]
        )
        #expect(entries[1].summary == "assigned to \(story.bob)" && entries[1].actor == story.alice)
        #expect(entries[2].summary == "qualified: budget agreed")
        let rest = try leads.timeline(of: story.converted, after: entries[1].position, limit: 1)
        #expect(rest.entries == [entries[2]] && rest.next == entries[2].position)
        let last = try leads.timeline(of: story.converted, after: entries[2].position, limit: 1)
        #expect(last.entries == [entries[3]] && last.next == nil, "no empty page after the last")
        let website = try leads.timeline(of: story.website).entries.map(\.summary)
        #expect(website.filter { $0.hasPrefix("responded to campaign") }.count == 2)
        #expect(throws: ReadModelQueryError.self) { try leads.timeline(of: "no-such-lead") }
        #expect(throws: ReadModelQueryError.self) { try leads.lead(id: "no-such-lead", weights: .defaults, now: .now) }
    }

    @Test("lead → customer → won per source, campaign and rep, counted with the current owner")
    func conversions() async throws {
        let story = try await Story.told("leads-conversions")
        let leads = try await story.queries()
        let bySource = try leads.conversions(period: "2026-03", by: .source)
        #expect(bySource.rows.map(\.value) == ["cold-call", "referral", "trade-show", "website"])
        let website = try #require(bySource.rows.first { $0.value == "website" })
        #expect((website.leads, website.qualified, website.converted, website.won) == (2, 1, 1, 1))
        #expect((website.customerRate, website.winRate, website.leadToWonRate) == (0.5, 1, 0.5))
        #expect((bySource.total.leads, bySource.total.converted, bySource.total.won) == (5, 1, 1))

        let byRep = try leads.conversions(period: "2026-Q1", by: .rep)
        #expect(byRep.rows.map(\.value) == ["", story.alice, story.bob].sorted())
        let bob = try #require(byRep.rows.first { $0.value == story.bob })
        #expect((bob.leads, bob.converted, bob.won) == (2, 1, 1), "the reassigned lead counts with Bob")
        let alice = try #require(byRep.rows.first { $0.value == story.alice })
        #expect((alice.leads, alice.converted, alice.customerRate) == (2, 0, 0))

        let byCampaign = try leads.conversions(period: "2026", by: .campaign, reps: [story.alice])
        #expect(byCampaign.rows.map(\.value) == ["", story.campaign].sorted())
        #expect(byCampaign.total.leads == 2, "Alice's leads only")
        #expect(try leads.conversions(period: "2026-04", by: .source).rows.isEmpty)
        #expect(throws: ReadModelQueryError.self) { try leads.conversions(period: "2026-13", by: .source) }
    }

    @Test("a reopened opportunity takes its lead's win back")
    func reopenedWin() async throws {
        let story = try await Story.told("leads-reopened")
        let opportunity = try #require(
            try (await story.queries()).lead(id: story.converted, weights: .defaults, now: .now).opportunityID
        )
        try await story.world.crm.reopenOpportunity(
            opportunity,
            reason: "the order was cancelled",
            actor: story.bob,
            occurredAt: SalesTime.at("2026-03-25")
        )
        let report = try (await story.queries()).conversions(period: "2026-03", by: .rep)
        #expect(report.total.won == 0 && report.total.converted == 1)
    }
}
