import CRMDomain
import CRMReadModels
import CRMSchema
import CRMWorkload
import EventStore
import Foundation
import Projections
import RapportTestSupport
import SwiftProtobuf
import Testing

/// The sales read models over a small generated history (300 customers, 180 days from
/// 2024-11-01, long enough for lost deals to be reopened): they build without error, and their
/// numbers agree with each other and with counts taken straight from the log.
@Suite("Sales read models over a generated history")
struct SalesWorkloadTests {
    /// The months the history spans (2024-11-01 to 2025-04-29), and the years that hold them.
    static let months = ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-04"]
    static let years = ["2024", "2025"]

    @Test("funnel, churn, activity and campaigns agree with the log and sum consistently across buckets")
    func consistent() async throws {
        let directory = TemporaryDirectory("sales-workload")
        let log = try openTestLog(directory)
        var options = WorkloadOptions()
        (options.customers, options.reps, options.teams, options.days) = (300, 8, 2, 180)
        let summary = try await WorkloadGenerator(options: options, log: log).run()
        let store = try ReadModelStore(directory: directory.path + "/read-models")
        try await ProjectionBuilder.build(
            [
                FunnelProjector.self, ChurnProjector.self, ActivityProjector.self, CampaignProjector.self,
                LeadsProjector.self, OpportunitiesProjector.self,
            ],
            log: log,
            decoder: CRMProjections.decoder,
            into: store
        )
        let facts = try LogFacts(log.readAll(from: 1))
        #expect(facts.events == summary.events)
        // Plausible: the history has deals won and lost, follow-ups, pool traffic and campaigns.
        #expect(facts.opened > 50 && facts.wonAtEnd > 0 && facts.lostAtEnd > 0 && facts.followUps > 100)
        #expect(facts.reopens > 0)
        #expect(facts.claims > 0 && facts.campaignLeads > 0)

        try checkFunnel(FunnelQueries(store: store), facts)
        try checkChurn(ChurnQueries(store: store), facts)
        try checkActivity(ActivityQueries(store: store), facts)
        try checkCampaigns(CampaignQueries(store: store), facts)
        try checkLeads(LeadQueries(store: store), facts)
        try checkOpportunities(OpportunityQueries(store: store, pipeline: .defaults), facts)
        store.close()
        await log.close()
    }

    private func checkLeads(_ leads: LeadQueries, _ facts: LogFacts) throws {
        let all = try leads.leads(
            LeadFilter(),
            order: .id,
            weights: .defaults,
            now: Date(timeIntervalSince1970: 1.75e9)
        )
        #expect(all.count == facts.leads && facts.leads > 0)
        #expect(all.filter { $0.status == "converted" }.count == facts.leadConversions)
        #expect(all.filter { $0.status == "converted" || $0.status == "disqualified" }.allSatisfy { $0.priority == 0 })
        // Every lead counts once, in the month it was created, however it was cut.
        for cut in LeadConversionCut.allCases {
            let years = try Self.years.map { try leads.conversions(period: $0, by: cut) }
            #expect(years.map(\.total.leads).reduce(0, +) == facts.leads)
            #expect(years.map(\.total.converted).reduce(0, +) == facts.leadConversions)
            #expect(years.allSatisfy { $0.rows.map(\.leads).reduce(0, +) == $0.total.leads })
        }
        // The owners' lists partition the leads.
        let owners = Set(all.map(\.ownerID))
        var byOwner = 0
        for owner in owners {
            var filter = LeadFilter()
            filter.owners = [owner]
            byOwner += try leads.leads(filter, order: .id, weights: .defaults, now: .now).count
        }
        #expect(byOwner == facts.leads)
    }

    private func checkOpportunities(_ deals: OpportunityQueries, _ facts: LogFacts) throws {
        let all = try deals.opportunities(OpportunityFilter(), order: .id, now: Date(timeIntervalSince1970: 1.75e9))
        #expect(all.count == facts.opened)
        #expect(all.filter { $0.status == "won" }.count == facts.wonAtEnd)
        #expect(all.filter { $0.status == "lost" }.count == facts.lostAtEnd)
        for deal in all {
            // Stays follow each other: one at a time, the last one running only while open.
            let stays = deal.stageHistory
            #expect(!stays.isEmpty && stays.dropLast().allSatisfy { $0.leftAt != nil })
            #expect((stays.last?.leftAt == nil) == (deal.status == "open"), "\(deal.opportunityID)")
            #expect(zip(stays, stays.dropFirst()).allSatisfy { ($0.leftAt ?? .distantFuture) <= $1.enteredAt })
        }
        // Each open deal with an expected close is forecast once, in its month.
        let forecastDeals = try Self.years.map { try deals.forecast(period: $0).totals.map(\.deals).reduce(0, +) }
        let dated = all.filter { $0.status == "open" && Self.years.contains(String($0.expectedCloseMonth.prefix(4))) }
        #expect(forecastDeals.reduce(0, +) == dated.count)
    }

    private func checkFunnel(_ funnel: FunnelQueries, _ facts: LogFacts) throws {
        let years = try Self.years.map { try funnel.funnel(period: $0) }
        // Every opportunity counted once, with its latest outcome; won + lost never above opened.
        #expect(years.map(\.opened).reduce(0, +) == facts.opened)
        #expect(years.map(\.won).reduce(0, +) == facts.wonAtEnd)
        #expect(years.map(\.lost).reduce(0, +) == facts.lostAtEnd)
        #expect(years.map(\.reopened).reduce(0, +) == facts.reopens)
        #expect(years.map { $0.won + $0.lost }.reduce(0, +) <= facts.opened)
        for report in years {
            // The generator configures its own pipeline; rows follow it.
            #expect(report.stages.map(\.stageID) == facts.pipeline)
            for stage in report.stages {
                #expect(stage.advanced <= stage.entered)
                #expect(stage.secondsInStage >= 0 && stage.stays >= 0)
            }
        }
        // A quarter is the sum of its months; a period for all reps the sum of the reps.
        let quarter = try funnel.funnel(period: "2024-Q4")
        let months = try ["2024-10", "2024-11", "2024-12"].map { try funnel.funnel(period: $0) }
        #expect(
            quarter.stages.map(Counts.init)
                == months.map { $0.stages.map(Counts.init) }.reduce(Counts.zeros(4), Counts.add)
        )
        #expect(quarter.opened == months.map(\.opened).reduce(0, +))
        let reps = try facts.owners.sorted().map { try funnel.funnel(period: "2024-Q4", rep: $0) }
        #expect(
            quarter.stages.map(Counts.init)
                == reps.map { $0.stages.map(Counts.init) }.reduce(Counts.zeros(4), Counts.add)
        )
        #expect((quarter.won, quarter.lost) == (reps.map(\.won).reduce(0, +), reps.map(\.lost).reduce(0, +)))
    }

    private func checkChurn(_ churn: ChurnQueries, _ facts: LogFacts) throws {
        var lost = 0
        for year in Self.years {
            let losses = try churn.lossesByStage(period: year)
            #expect(losses.stages.map(\.lost).reduce(0, +) == losses.lost)
            #expect(losses.timeToLoss.timed <= losses.lost)
            #expect(losses.timeToLoss.buckets.map(\.count).reduce(0, +) == losses.timeToLoss.timed)
            #expect(try churn.reasons(period: year).reasons.map(\.count).reduce(0, +) == losses.lost)
            lost += losses.lost
        }
        #expect(lost == facts.losses)
        let flow = try churn.customerFlow(from: Self.months.first!, to: Self.months.last!)
        #expect(flow.months.last?.totalCustomers == facts.customers)
        #expect(flow.months.last?.ownedCustomers == facts.ownedAtEnd)
        #expect(flow.months.map(\.newCustomers).reduce(0, +) == facts.customers)
        #expect(flow.months.map(\.lostOpportunities).reduce(0, +) == facts.losses)
        #expect(flow.months.map(\.released).reduce(0, +) == facts.releases)
        for month in flow.months {
            #expect(month.lostCustomers >= 0 && month.lostCustomers <= month.released)
            #expect(month.ownedCustomers <= month.totalCustomers)
        }
        let backs = try Self.years.map { try churn.winBacks(period: $0) }
        #expect(backs.map(\.reopenedOpportunities).reduce(0, +) <= facts.reopens)
    }

    private func checkActivity(_ activity: ActivityQueries, _ facts: LogFacts) throws {
        var total = ActivityCounts()
        for month in Self.months {
            let team = try activity.teamReport(month: month)
            var reps = ActivityCounts()
            for row in team.reps {
                let report = try activity.report(rep: row.rep, month: month)
                #expect(report.totals == row.totals)
                // The month is the sum of its days.
                var days = ActivityCounts()
                var day = BusinessDay(report.from)!
                while day <= BusinessDay(report.to)! {
                    days.add(try activity.report(rep: row.rep, day: day.description).totals)
                    day = day.adding(days: 1)
                }
                #expect(days == report.totals)
                reps.add(row.totals)
            }
            #expect(reps == team.totals)
            total.add(team.totals)
        }
        #expect(total.followUps == facts.followUps)
        #expect(
            total.calls + total.visits + total.emails + total.instantMessages + total.otherFollowUps == total.followUps
        )
        #expect(total.claims == facts.claims)
        #expect(total.releases + total.lostToPool == facts.releases)
        #expect(total.opportunitiesOpened == facts.opened)
        #expect(total.quotesSent == facts.quotes)
        #expect(total.contractsSigned == facts.contractsBound)
        // ISO week 48 of 2024 (25 November - 1 December) spans two months: its team total is
        // the sum of its days' team totals.
        let week = try activity.teamReport(week: "2024-W48")
        #expect((week.from, week.to) == ("2024-11-25", "2024-12-01"))
        var days = ActivityCounts()
        for offset in 0..<7 {
            days.add(try activity.teamReport(day: BusinessDay("2024-11-25")!.adding(days: offset).description).totals)
        }
        #expect(days == week.totals)
    }

    private func checkCampaigns(_ queries: CampaignQueries, _ facts: LogFacts) throws {
        let campaigns = try queries.campaigns()
        #expect(campaigns.map(\.responses).reduce(0, +) == facts.responses)
        #expect(campaigns.map(\.leads).reduce(0, +) == facts.campaignLeads)
        #expect(campaigns.map(\.conversions).reduce(0, +) == facts.campaignConversions)
        for campaign in campaigns {
            #expect(campaign.conversions <= campaign.leads)
            #expect(campaign.responsesByKind.map(\.count).reduce(0, +) == campaign.responses)
            #expect(campaign.leadResponses + campaign.customerResponses == campaign.responses)
            #expect(campaign.revenue >= 0)
        }
    }
}

/// A funnel stage row's counts, to sum rows.
private struct Counts: Equatable {
    var values: [Int64]

    init(_ row: FunnelStageRow) {
        values =
            [row.opened, row.entered, row.advanced, row.stays, row.won, row.lost, row.reopened].map(Int64.init) + [
                row.secondsInStage
            ]
    }

    private init(values: [Int64]) { self.values = values }

    static func zeros(_ count: Int) -> [Counts] {
        Array(repeating: Counts(values: Array(repeating: 0, count: 8)), count: count)
    }

    static func add(_ a: [Counts], _ b: [Counts]) -> [Counts] {
        zip(a, b).map { Counts(values: zip($0.values, $1.values).map(+)) }
    }
}

/// Counts taken straight from the log's events, to check the read models against.
private struct LogFacts {
    var events = 0
    var opened = 0, reopens = 0, losses = 0, wonAtEnd = 0, lostAtEnd = 0
    var owners: Set<String> = []
    var customers = 0, ownedAtEnd = 0, releases = 0, claims = 0
    var followUps = 0, quotes = 0, contractsBound = 0
    var responses = 0, campaignLeads = 0, campaignConversions = 0
    var leads = 0, leadConversions = 0
    /// The stage ids of the last pipeline configured, in order.
    var pipeline: [String] = []

    init(_ recorded: [RecordedEvent]) throws {
        var outcome: [String: Bool?] = [:]  // opportunity → won (true), lost (false), open (nil)
        var owner: [String: String] = [:]
        var campaignLead: Set<String> = []
        for event in recorded {
            events += 1
            switch try EventCatalogue.crm.decode(
                typeName: event.type,
                schemaVersion: event.schemaVersion,
                payload: event.payload
            ) {
            case let e as CRMPipelineConfigured:
                pipeline = e.stages.sorted { $0.order < $1.order }.map(\.stageID)
            case let e as CRMOpportunityOpened:
                opened += 1
                owners.insert(e.ownerID)
                outcome[e.opportunityID] = .some(nil)
            case let e as CRMOpportunityWon: outcome[e.opportunityID] = .some(true)
            case let e as CRMOpportunityLost:
                losses += 1
                outcome[e.opportunityID] = .some(false)
            case let e as CRMOpportunityReopened:
                reopens += 1
                outcome[e.opportunityID] = .some(nil)
            case let e as CRMCustomerCreated:
                customers += 1
                owner[e.customerID] = e.ownerID
            case let e as CRMCustomerOwnershipChanged:
                owner[e.customerID] = e.toOwnerID
                if e.reason == .claimed { claims += 1 }
                if !e.fromOwnerID.isEmpty && e.toOwnerID.isEmpty { releases += 1 }
            case is CRMFollowUpLogged: followUps += 1
            case is CRMQuoteCreated: quotes += 1
            case let e as CRMContractDrafted: if e.approvalChain.isEmpty { contractsBound += 1 }
            case let e as CRMContractApproved: if e.binding { contractsBound += 1 }
            case is CRMCampaignResponded: responses += 1
            case let e as CRMLeadCreated:
                leads += 1
                guard !e.campaignID.isEmpty else { break }
                campaignLeads += 1
                campaignLead.insert(e.leadID)
            case let e as CRMLeadConverted:
                leadConversions += 1
                if campaignLead.contains(e.leadID) { campaignConversions += 1 }
            default: break
            }
        }
        wonAtEnd = outcome.values.filter { $0 == .some(true) }.count
        lostAtEnd = outcome.values.filter { $0 == .some(false) }.count
        ownedAtEnd = owner.values.filter { !$0.isEmpty }.count
    }
}
