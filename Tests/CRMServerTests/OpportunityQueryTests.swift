import CRMDomain
import CRMSchema
import CRMService
import Foundation
import RapportAPI
import SwiftProtobuf
import Testing

/// The deals over HTTP, through the generated client: a rep's own by expected close, a
/// manager's team, a deal's stage history, the weighted forecast and pipeline coverage, each
/// cut to the caller.
@Suite("Opportunities over HTTP")
struct OpportunityQueryTests {
    @Test(
        "my deals by expected close; a manager's team; a deal's page in scope; forecast and coverage cut to the caller"
    )
    func deals() async throws {
        let (server, staff) = try await RunningServer.staffed("opportunities") { crm, staff in
            let at = ReportTime.at("2026-11-02")
            func deal(_ key: String, owner: String, amount: Int64, stage: String, due: String) async throws {
                var customer = NewCustomer(name: "\(key)有限公司")
                customer.ownerID = staff[owner]
                let customerID = try await crm.createCustomer(customer, actor: "setup", occurredAt: at)
                var deal = OpportunityDecisions.NewOpportunity(name: key, amount: yuan(amount))
                deal.stageID = stage
                deal.expectedCloseAt = Google_Protobuf_Timestamp(date: ReportTime.at(due, 18))
                staff.ids[key] = try await crm.openOpportunity(deal, for: customerID, actor: "setup", occurredAt: at)
            }
            try await deal("late", owner: "rep", amount: 4_000, stage: "proposal", due: "2026-12-20")
            try await deal("soon", owner: "rep", amount: 1_000, stage: "negotiation", due: "2026-11-28")
            try await deal("others", owner: "other", amount: 2_000, stage: "qualification", due: "2026-11-30")
            try await deal("westDeal", owner: "west", amount: 8_000, stage: "proposal", due: "2026-11-25")
            try await crm.setSalesTarget(
                repID: staff["rep"],
                period: "2026-11",
                amount: yuan(2_000),
                actor: "setup",
                occurredAt: at
            )
        }
        let (rep, manager, finance) = (
            try server.client(as: "rep", staff), try server.client(as: "manager", staff),
            try server.client(as: "finance", staff)
        )
        let mine = try await rep.listOpportunities().ok.body.json.opportunities
        #expect(mine.map(\.opportunityID) == [staff["soon"], staff["late"]], "soonest expected close first")
        #expect(
            (mine[0].winProbabilityPercent, mine[0].weightedAmount, mine[0].stageName) == (75, 75_000, "Negotiation")
        )
        #expect(mine[0].stageHistory.map(\.stageID) == ["negotiation"] && mine[0].stageHistory[0].seconds > 0)

        let team = try await manager.listOpportunities(query: .init(sort: .id)).ok.body.json.opportunities
        #expect(team.map(\.opportunityID) == [staff["soon"], staff["late"], staff["others"]].sorted())
        let november = try await finance.listOpportunities(query: .init(closeMonth: "2026-11")).ok.body.json
        #expect(november.opportunities.count == 3)
        let west = try await rep.opportunity(path: .init(opportunity: staff["westDeal"]))
        #expect(try west.forbidden.body.json.value1.error.code == "outside_scope", "\(west)")
        let detail = try await manager.opportunity(path: .init(opportunity: staff["late"])).ok.body.json
        #expect(detail.expectedCloseMonth == "2026-12" && detail.amount.minorUnits == 400_000)
        let outside = try await rep.listOpportunities(query: .init(owner: staff["west"]))
        #expect(try outside.forbidden.body.json.value1.error.code == "outside_scope", "\(outside)")

        let repForecast = try await rep.forecast(query: .init(period: "2026-Q4")).ok.body.json
        #expect(repForecast.totals.map(\.weightedAmount) == [75_000 + 200_000], "the rep's own deals")
        let everyone = try await finance.forecast(query: .init(period: "2026-11")).ok.body.json
        // soon 1,000 × 75 % + others 2,000 × 10 % + west 8,000 × 50 %, in fen.
        #expect(everyone.months.map(\.weightedAmount) == [75_000 + 20_000 + 400_000])

        let coverage = try await rep.pipelineCoverage(query: .init(period: "2026-11")).ok.body.json
        #expect(coverage.reps.map(\.holderID) == [staff["rep"]] && coverage.teams.isEmpty)
        #expect(
            (coverage.reps[0].target, coverage.reps[0].openAmount, coverage.reps[0].coverage) == (200_000, 100_000, 0.5)
        )
        let managerView = try await manager.pipelineCoverage(query: .init(period: "2026-11")).ok.body.json
        #expect(
            Set(managerView.reps.map(\.holderID)) == [staff["rep"], staff["other"]]
                && managerView.teams.map(\.holderID) == [staff["east"]]
        )
        let malformed = try await finance.forecast(query: .init(period: "2026-13"))
        #expect(try malformed.badRequest.body.json.error.code == "invalid_query_parameter", "\(malformed)")
        try await server.stop()
    }
}
