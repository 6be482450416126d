import CRMDomain
import CRMSchema
import Foundation
import SwiftProtobuf
import Testing

@Suite("Campaign and sales target decisions")
struct MarketingDecisionsTests {
    /// 2026-03-02T02:00:00Z, when the campaign is launched.
    let launchedAt = Date(timeIntervalSince1970: 1_772_416_800)
    /// 2026-04-01T02:00:00Z, when it ends.
    let endsAt = Date(timeIntervalSince1970: 1_775_008_800)

    // MARK: - Fixtures

    /// `minorUnits` of `currency`.
    private func amount(_ minorUnits: Int64, _ currency: String = "CNY") -> CRMMoney {
        CRMMoney(minorUnits: minorUnits, currency: currency)
    }

    /// A command by marketer `mkt-1` at `time`.
    private func context(at time: Date) throws -> CommandContext {
        try CommandContext(actor: "mkt-1", occurredAt: time, now: time)
    }

    /// Campaign `cmp-1` launched by email at ``launchedAt`` until ``endsAt``, folded.
    private func campaign() throws -> CampaignState {
        var state = CampaignState(campaignID: "cmp-1")
        state.apply(
            try MarketingDecisions.launch(
                id: "cmp-1",
                name: "Spring expo",
                targetSegment: "SMB",
                channel: .email,
                budget: amount(500_000),
                endsAt: endsAt,
                context: context(at: launchedAt)
            )
        )
        return state
    }

    /// Lead `id` as its stream would fold after being created.
    private func lead(_ id: String = "lead-1") -> LeadState {
        var state = LeadState(leadID: id)
        var created = CRMLeadCreated()
        (created.leadID, created.companyName) = (id, "Star Tech")
        state.apply(created)
        return state
    }

    /// A team as its stream would fold, or one never created.
    private func team(_ id: String, exists: Bool = true) -> TeamState {
        var state = TeamState(teamID: id)
        if exists {
            var created = CRMTeamCreated()
            (created.teamID, created.name) = (id, "Team \(id)")
            state.apply(created)
        }
        return state
    }

    /// A response by `respondent` to `campaign` at `time`.
    private func respond(
        _ campaign: CampaignState,
        by respondent: MarketingDecisions.Respondent,
        _ response: String = "asked for a demo",
        at time: Date
    ) throws -> CRMCampaignResponded {
        try MarketingDecisions.respond(campaign, by: respondent, response: response, context: context(at: time))
    }

    // MARK: - Launch

    @Test("a campaign is launched with its trimmed name, segment, channel, budget and end")
    func launch() throws {
        let event = try MarketingDecisions.launch(
            id: "cmp-1",
            name: "  Spring expo ",
            targetSegment: "SMB in East China",
            channel: .event,
            budget: amount(500_000),
            endsAt: endsAt,
            context: context(at: launchedAt)
        )
        #expect(event.campaignID == "cmp-1")
        #expect(event.name == "Spring expo")
        #expect(event.targetSegment == "SMB in East China")
        #expect(event.channel == .event)
        #expect(event.budget == amount(500_000))
        #expect(event.endsAt.date == endsAt)
        var state = CampaignState(campaignID: "cmp-1")
        state.apply(event)
        #expect(state.exists)
        #expect(state.launched == event)
    }

    @Test(
        "every named channel launches a campaign",
        arguments: [CRMCampaignChannel.email, .sms, .event, .web, .social, .phone]
    )
    func launchChannel(channel: CRMCampaignChannel) throws {
        let event = try MarketingDecisions.launch(
            id: "cmp-1",
            name: "Spring expo",
            targetSegment: "",
            channel: channel,
            budget: amount(0),
            endsAt: endsAt,
            context: context(at: launchedAt)
        )
        #expect(event.channel == channel)
        #expect(event.budget == amount(0))
    }

    @Test("a campaign without a name is refused")
    func launchWithoutName() {
        let error = #expect(throws: DomainError.self) {
            try MarketingDecisions.launch(
                id: "cmp-1",
                name: " \n ",
                targetSegment: "",
                channel: .email,
                budget: amount(1),
                endsAt: endsAt,
                context: context(at: launchedAt)
            )
        }
        #expect(error?.code == .fieldRequired)
        #expect(error?.facts == ["field": "name"])
    }

    @Test(
        "a campaign without a known channel is refused",
        arguments: [CRMCampaignChannel.unspecified, .UNRECOGNIZED(42)]
    )
    func launchWithoutChannel(channel: CRMCampaignChannel) {
        let error = #expect(throws: DomainError.self) {
            try MarketingDecisions.launch(
                id: "cmp-1",
                name: "Spring expo",
                targetSegment: "",
                channel: channel,
                budget: amount(1),
                endsAt: endsAt,
                context: context(at: launchedAt)
            )
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "channel"])
    }

    @Test(
        "a negative budget or one without an ISO currency code is refused",
        arguments: [(Int64(-1), "CNY"), (100, "cny"), (100, ""), (100, "YUAN"), (100, "C1Y")]
    )
    func launchBadBudget(minorUnits: Int64, currency: String) {
        let error = #expect(throws: DomainError.self) {
            try MarketingDecisions.launch(
                id: "cmp-1",
                name: "Spring expo",
                targetSegment: "",
                channel: .sms,
                budget: amount(minorUnits, currency),
                endsAt: endsAt,
                context: context(at: launchedAt)
            )
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "budget"])
    }

    @Test(
        "a campaign must end after it is launched: ending at the launch or before is refused",
        arguments: [0.0, -1, -86_400]
    )
    func launchEndingTooSoon(offset: Double) {
        let error = #expect(throws: DomainError.self) {
            try MarketingDecisions.launch(
                id: "cmp-1",
                name: "Spring expo",
                targetSegment: "",
                channel: .web,
                budget: amount(1),
                endsAt: launchedAt.addingTimeInterval(offset),
                context: context(at: launchedAt)
            )
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "ends_at"])
    }

    @Test("a campaign ending one second after its launch is accepted")
    func launchEndingJustAfter() throws {
        let event = try MarketingDecisions.launch(
            id: "cmp-1",
            name: "Flash sale",
            targetSegment: "",
            channel: .social,
            budget: amount(1),
            endsAt: launchedAt.addingTimeInterval(1),
            context: context(at: launchedAt)
        )
        #expect(event.endsAt.date == launchedAt.addingTimeInterval(1))
    }

    // MARK: - Responses

    @Test("a lead's response names the lead and no customer, with the response trimmed")
    func leadResponds() throws {
        let event = try respond(
            campaign(),
            by: .lead(lead()),
            "  asked for a demo ",
            at: launchedAt.addingTimeInterval(3_600)
        )
        #expect(event.campaignID == "cmp-1")
        #expect(event.leadID == "lead-1")
        #expect(event.customerID == "")
        #expect(event.response == "asked for a demo")
    }

    @Test("a customer's response names the customer and no lead")
    func customerResponds() throws {
        let event = try respond(campaign(), by: .customer(customer()), at: launchedAt)
        #expect(event.campaignID == "cmp-1")
        #expect(event.customerID == "c-1")
        #expect(event.leadID == "")
        #expect(event.response == "asked for a demo")
    }

    @Test("a response at the very moment the campaign ends is accepted; folding it changes nothing")
    func respondAtTheEnd() throws {
        var state = try campaign()
        let before = state
        let event = try respond(state, by: .customer(customer()), at: endsAt)
        #expect(event.campaignID == "cmp-1")
        state.apply(event)
        #expect(state == before)
    }

    @Test("a response after the campaign ended is refused with the end")
    func respondAfterTheEnd() throws {
        let campaign = try campaign()
        for respondent in [MarketingDecisions.Respondent.customer(customer()), .lead(lead())] {
            let error = #expect(throws: DomainError.self) {
                try respond(campaign, by: respondent, at: endsAt.addingTimeInterval(1))
            }
            #expect(error?.code == .campaignEnded)
            #expect(error?.facts == ["endedAt": "2026-04-01T02:00:00Z"])
        }
    }

    @Test("a response to a campaign that was never launched is refused")
    func respondToUnknownCampaign() {
        let error = #expect(throws: DomainError.self) {
            try respond(CampaignState(campaignID: "cmp-9"), by: .customer(customer()), at: launchedAt)
        }
        #expect(error?.code == .campaignNotFound)
        #expect(error?.facts == ["campaign": "cmp-9"])
    }

    @Test("a response by a lead or customer that does not exist, or without words, is refused")
    func respondRefusals() throws {
        let campaign = try campaign()
        let noLead = #expect(throws: DomainError.self) {
            try respond(campaign, by: .lead(LeadState(leadID: "lead-9")), at: launchedAt)
        }
        #expect(noLead?.code == .leadNotFound)
        #expect(noLead?.facts == ["lead": "lead-9"])
        let noCustomer = #expect(throws: DomainError.self) {
            try respond(campaign, by: .customer(CustomerState(customerID: "c-9")), at: launchedAt)
        }
        #expect(noCustomer?.code == .customerNotFound)
        #expect(noCustomer?.facts == ["customer": "c-9"])
        let blank = #expect(throws: DomainError.self) {
            try respond(campaign, by: .lead(lead()), "  \n", at: launchedAt)
        }
        #expect(blank?.code == .fieldRequired)
        #expect(blank?.facts == ["field": "response"])
    }

    // MARK: - Sales targets

    @Test("a sales rep or manager gets a target for a period; the event names the rep and no team")
    func repTarget() throws {
        let event = try MarketingDecisions.setTarget(
            for: .rep(user("rep-1")),
            period: "2026-Q4",
            amount: amount(1_000_000)
        )
        #expect(event.repID == "rep-1")
        #expect(event.teamID == "")
        #expect(event.period == "2026-Q4")
        #expect(event.amount == amount(1_000_000))
        let manager = try MarketingDecisions.setTarget(
            for: .rep(user("manager-1", role: .manager)),
            period: "2026",
            amount: amount(1)
        )
        #expect(manager.repID == "manager-1")
    }

    @Test("a target for a departed, unknown or finance user is refused")
    func repTargetRefusals() {
        let inactive = #expect(throws: DomainError.self) {
            try MarketingDecisions.setTarget(for: .rep(user("rep-1", active: false)), period: "2026", amount: amount(1))
        }
        #expect(inactive?.code == .userInactive)
        #expect(inactive?.facts == ["user": "rep-1"])
        let unknown = #expect(throws: DomainError.self) {
            try MarketingDecisions.setTarget(for: .rep(UserState(userID: "ghost")), period: "2026", amount: amount(1))
        }
        #expect(unknown?.code == .userNotFound)
        #expect(unknown?.facts == ["user": "ghost"])
        let finance = #expect(throws: DomainError.self) {
            try MarketingDecisions.setTarget(
                for: .rep(user("fin-1", role: .finance)),
                period: "2026",
                amount: amount(1)
            )
        }
        #expect(finance?.code == .roleCannotOwnCustomers)
        #expect(finance?.facts == ["user": "fin-1", "role": "\(CRMRole.finance)"])
    }

    @Test("a team gets a target; the event names the team and no rep; a team never created is refused")
    func teamTarget() throws {
        let event = try MarketingDecisions.setTarget(
            for: .team(team("team-1")),
            period: "2026-11",
            amount: amount(5_000_000)
        )
        #expect(event.teamID == "team-1")
        #expect(event.repID == "")
        #expect(event.period == "2026-11")
        #expect(event.amount == amount(5_000_000))
        let unknown = #expect(throws: DomainError.self) {
            try MarketingDecisions.setTarget(
                for: .team(team("team-9", exists: false)),
                period: "2026",
                amount: amount(1)
            )
        }
        #expect(unknown?.code == .teamNotFound)
        #expect(unknown?.facts == ["team": "team-9"])
    }

    @Test(
        "a period is a year, a month 01-12 or a quarter Q1-Q4",
        arguments: ["2026", "2026-01", "2026-12", "2026-Q1", "2026-Q4", "0000"]
    )
    func periodAccepted(period: String) throws {
        let event = try MarketingDecisions.setTarget(for: .rep(user("rep-1")), period: period, amount: amount(1))
        #expect(event.period == period)
    }

    @Test(
        "a malformed period is refused",
        arguments: [
            "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-11", "2026-1", "2026-11-01", "", "2026-q4", "2026-",
            "-2026", " 2026", "2026 ", "20266", "2026-Q", "2026-Q12", "2026/11", "２０２６", "2026-+1", "2026-1Q",
        ]
    )
    func periodRefused(period: String) {
        let error = #expect(throws: DomainError.self) {
            try MarketingDecisions.setTarget(for: .rep(user("rep-1")), period: period, amount: amount(1))
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "period"])
    }

    @Test(
        "a year whose digits carry combining marks is not a year",
        arguments: ["2026\u{301}", "1\u{20E3}026", "202\u{20DD}6-Q4"]
    )
    func periodWithCombiningMarks(period: String) {
        let error = #expect(throws: DomainError.self) {
            try MarketingDecisions.setTarget(for: .rep(user("rep-1")), period: period, amount: amount(1))
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "period"])
    }

    @Test("a negative target or one without a currency code is refused")
    func targetBadAmount() {
        for bad in [amount(-1), amount(100, "rmb"), amount(100, "")] {
            let error = #expect(throws: DomainError.self) {
                try MarketingDecisions.setTarget(for: .team(team("team-1")), period: "2026", amount: bad)
            }
            #expect(error?.code == .invalidValue)
            #expect(error?.facts == ["field": "amount"])
        }
    }
}
