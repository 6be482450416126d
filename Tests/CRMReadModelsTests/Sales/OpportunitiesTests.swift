import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import Foundation
import Projections
import SwiftProtobuf
import Testing

@Suite("Opportunities read model")
struct OpportunitiesTests {
    /// Alice's three deals and Bob's two, in the default pipeline (qualification 10 %,
    /// needs analysis 25 %, proposal 50 %, negotiation 75 %).
    struct Story {
        let world: CRMWorld
        let team: String
        let alice: String
        let bob: String
        /// Alice's: 10,000 yuan, due 20 March, moved from qualification to proposal on 5 March.
        let proposal: String
        /// Alice's: 3,000 yuan at negotiation, due 10 April.
        let negotiation: String
        /// Alice's: 500 yuan with no expected close.
        let undated: String
        /// Bob's: 2,000 yuan due 25 March, lost on 10 March.
        let lost: String
        /// Bob's: 1,000 yuan due 15 March, won for 1,200 on 12 March.
        let won: String

        static func told(_ name: String) async throws -> Story {
            let world = try CRMWorld(name)
            world.salesClockToNextYear()
            let crm = world.crm
            let team = try await world.team("East")
            let alice = try await world.user("alice", team: team)
            let bob = try await world.user("bob", team: team)
            let aliceCustomer = try await world.salesCustomer("爱丽丝客户有限公司", owner: alice, on: "2026-03-01")
            let bobCustomer = try await world.salesCustomer("鲍勃客户有限公司", owner: bob, on: "2026-03-01")
            func open(
                _ name: String,
                _ yuan: Int64,
                for customer: String,
                by rep: String,
                stage: String = "",
                due: String?
            )
                async throws -> String
            {
                var deal = OpportunityDecisions.NewOpportunity(name: name, amount: salesCNY(yuan))
                deal.stageID = stage
                deal.expectedCloseAt = due.map { Google_Protobuf_Timestamp(date: SalesTime.at($0, 18)) }
                return try await crm.openOpportunity(
                    deal,
                    for: customer,
                    actor: rep,
                    occurredAt: SalesTime.at("2026-03-02")
                )
            }
            let proposal = try await open("Line A", 10_000, for: aliceCustomer, by: alice, due: "2026-03-20")
            let negotiation = try await open(
                "Line B",
                3_000,
                for: aliceCustomer,
                by: alice,
                stage: "negotiation",
                due: "2026-04-10"
            )
            let undated = try await open("Spare parts", 500, for: aliceCustomer, by: alice, due: nil)
            let lost = try await open("Pilot", 2_000, for: bobCustomer, by: bob, due: "2026-03-25")
            let won = try await open("Service", 1_000, for: bobCustomer, by: bob, due: "2026-03-15")
            try await crm.moveOpportunity(
                proposal,
                toStage: "proposal",
                actor: alice,
                occurredAt: SalesTime.at("2026-03-05")
            )
            try await crm.loseOpportunity(lost, reason: "price", actor: bob, occurredAt: SalesTime.at("2026-03-10"))
            try await crm.winOpportunity(
                won,
                reason: "fast delivery",
                amount: salesCNY(1_200),
                actor: bob,
                occurredAt: SalesTime.at("2026-03-12")
            )
            return Story(
                world: world,
                team: team,
                alice: alice,
                bob: bob,
                proposal: proposal,
                negotiation: negotiation,
                undated: undated,
                lost: lost,
                won: won
            )
        }

        func queries(_ extra: [any CRMProjector.Type] = []) async throws -> OpportunityQueries {
            OpportunityQueries(
                store: try await world.readModels([OpportunitiesProjector.self] + extra),
                pipeline: .defaults
            )
        }
    }

    @Test("a rep's deals by expected close, weighted by the stage's win probability; filters")
    func lists() async throws {
        let story = try await Story.told("opportunities-lists")
        let deals = try await story.queries()
        let now = SalesTime.at("2026-03-15")
        func list(
            _ change: (inout OpportunityFilter) -> Void,
            order: OpportunityOrder = .expectedClose
        ) throws
            -> [OpportunitySummary]
        {
            var filter = OpportunityFilter()
            change(&filter)
            return try deals.opportunities(filter, order: order, now: now)
        }
        let alices = try list { $0.owners = [story.alice] }
        #expect(alices.map(\.opportunityID) == [story.proposal, story.negotiation, story.undated])
        let first = alices[0]
        #expect((first.stageID, first.stageName, first.winProbabilityPercent) == ("proposal", "Proposal", 50))
        #expect(first.amount == CustomerMoney(minorUnits: 1_000_000, currency: "CNY"))
        #expect(first.weightedAmount == 500_000 && first.expectedCloseMonth == "2026-03")
        #expect(alices[2].expectedCloseAt == nil && alices[2].expectedCloseMonth.isEmpty)

        let bobs = try list({ $0.owners = [story.bob] }, order: .id)
        let won = try #require(bobs.first { $0.opportunityID == story.won })
        #expect((won.status, won.amount.minorUnits, won.winProbabilityPercent) == ("won", 120_000, 100))
        let lost = try #require(bobs.first { $0.opportunityID == story.lost })
        #expect((lost.status, lost.weightedAmount, lost.reason) == ("lost", 0, "price"))

        #expect(try list { $0.status = "open" }.count == 3)
        #expect(try list { $0.stageID = "negotiation" }.map(\.opportunityID) == [story.negotiation])
        #expect(
            Set(try list { $0.expectedCloseMonth = "2026-03" }.map(\.opportunityID)) == [
                story.proposal, story.lost, story.won,
            ]
        )
        #expect(throws: ReadModelQueryError.self) { try list { $0.status = "pending" } }
        #expect(throws: ReadModelQueryError.self) { try list { $0.expectedCloseMonth = "2026-3" } }
    }

    @Test("a deal's stage history with the time spent at each stage")
    func stageHistory() async throws {
        let story = try await Story.told("opportunities-history")
        let deals = try await story.queries()
        let deal = try deals.opportunity(id: story.proposal, now: SalesTime.at("2026-03-15"))
        #expect(deal.stageHistory.map(\.stageID) == ["qualification", "proposal"])
        #expect(deal.stageHistory[0].seconds == 3 * 86_400 && deal.stageHistory[0].leftAt == SalesTime.at("2026-03-05"))
        #expect(deal.stageHistory[1].leftAt == nil && deal.stageHistory[1].seconds == 10 * 86_400, "still running")
        let won = try deals.opportunity(id: story.won, now: SalesTime.at("2026-03-15"))
        #expect(won.stageHistory.count == 1 && won.stageHistory[0].seconds == 10 * 86_400)
        #expect(won.closedAt == SalesTime.at("2026-03-12"))
        #expect(throws: ReadModelQueryError.self) { try deals.opportunity(id: "no-such-deal", now: .now) }

        // A pipeline that drops the stage gives no probability, and so no weight.
        var configured = CRMPipelineConfigured()
        configured.stages = [
            CRMPipelineStage.with {
                ($0.stageID, $0.name, $0.order, $0.winProbabilityPercent) = ("won-over", "Won over", 1, 90)
            }
        ]
        let other = OpportunityQueries(store: deals.store, pipeline: Pipeline(configured))
        let orphan = try other.opportunity(id: story.proposal, now: .now)
        #expect(orphan.winProbabilityPercent == nil && orphan.weightedAmount == nil && orphan.stageName == "proposal")
    }

    @Test("the forecast per month of open deals, and coverage of what is left of each target")
    func forecastAndCoverage() async throws {
        let story = try await Story.told("opportunities-forecast")
        let crm = story.world.crm
        try await crm.setSalesTarget(repID: story.alice, period: "2026-03", amount: salesCNY(20_000), actor: "admin")
        try await crm.setSalesTarget(teamID: story.team, period: "2026-03", amount: salesCNY(50_000), actor: "admin")
        let deals = try await story.queries([SalesProjector.self, UsersProjector.self])

        let quarter = try deals.forecast(period: "2026-Q1")
        #expect(
            quarter.months.map(\.month) == ["2026-03"],
            "April is outside the quarter; closed deals count for nothing"
        )
        #expect(
            (quarter.months[0].deals, quarter.months[0].amount, quarter.months[0].weightedAmount) == (
                1, 1_000_000, 500_000
            )
        )
        let spring = try deals.forecast(period: "2026")
        #expect(spring.months.map(\.month) == ["2026-03", "2026-04"])
        #expect(spring.totals.map(\.weightedAmount) == [500_000 + 225_000] && spring.totals[0].month.isEmpty)
        #expect(try deals.forecast(period: "2026", owners: [story.bob]).totals.isEmpty)

        let coverage = try deals.coverage(period: "2026-03")
        let alice = try #require(coverage.reps.first { $0.holderID == story.alice })
        #expect((alice.target, alice.achieved, alice.remaining) == (2_000_000, 0, 2_000_000))
        #expect(
            (alice.openAmount, alice.weightedAmount, alice.coverage, alice.weightedCoverage) == (
                1_000_000, 500_000, 0.5, 0.25
            )
        )
        let team = try #require(coverage.teams.first { $0.holderID == story.team })
        #expect((team.target, team.openAmount, team.coverage) == (5_000_000, 1_000_000, 0.2))
        #expect(try deals.coverage(period: "2026-03", reps: [story.bob], teams: []).teams.isEmpty)
        #expect(throws: ReadModelQueryError.self) { try deals.forecast(period: "March") }
    }
}
