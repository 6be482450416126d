import CRMDomain
import CRMSchema
import Foundation
import SwiftProtobuf
import Testing

@Suite("Lead decisions")
struct LeadDecisionsTests {
    let rules = PoolRules(
        dailyClaimLimit: 20,
        holdingCap: 1,
        previousOwnerCooldownDays: 30,
        idleDaysByLevel: [:],
        defaultIdleDays: 30,
        warningDaysBeforeRelease: 3,
        businessTimeZone: TimeZone(secondsFromGMT: 8 * 3600)!
    )
    let opportunity = OpportunityDecisions.NewOpportunity(
        name: "First order",
        amount: CRMMoney(minorUnits: 10_000, currency: "CNY")
    )

    /// A lead folded from its events: created (assigned to `owner` when given), then qualified.
    private func lead(owner: String = "", qualified: Bool = true) -> LeadState {
        var state = LeadState(leadID: "lead-1")
        var created = CRMLeadCreated()
        (created.leadID, created.companyName, created.contactName, created.ownerID) = (
            "lead-1", "示例科技有限公司", "张伟", owner
        )
        state.apply(created)
        if qualified { state.apply(CRMLeadQualified()) }
        return state
    }

    private func convert(
        _ lead: LeadState,
        owner: UserState,
        opportunity: OpportunityDecisions.NewOpportunity? = nil
    ) throws(DomainError)
        -> LeadDecisions.Conversion
    {
        try LeadDecisions.convert(
            lead,
            customerID: "c-1",
            contactID: "k-1",
            opportunityID: "o-1",
            opportunity: opportunity ?? self.opportunity,
            owner: owner,
            rules: rules,
            pipeline: .defaults
        )
    }

    @Test("assigning names both reps; the receiver must be an active rep or manager")
    func assign() throws {
        let event = try LeadDecisions.assign(lead(owner: "rep-1"), to: user("rep-2"))
        #expect((event.fromOwnerID, event.toOwnerID) == ("rep-1", "rep-2"))
        for (rep, code) in [
            (user("rep-3", active: false), DomainError.Code.userInactive),
            (user("clerk", role: .finance), .roleCannotOwnCustomers),
        ] {
            let error = #expect(throws: DomainError.self) { try LeadDecisions.assign(lead(), to: rep) }
            #expect(error?.code == code)
        }
    }

    @Test(
        "conversion makes a customer owned by the lead's rep, its contact, and an opportunity at the pipeline's first stage"
    )
    func conversion() throws {
        let conversion = try convert(lead(owner: "rep-1"), owner: user("rep-1"))
        #expect(
            (conversion.customer.customerID, conversion.customer.ownerID, conversion.customer.leadID) == (
                "c-1", "rep-1", "lead-1"
            )
        )
        #expect((conversion.contact.contactID, conversion.contact.name) == ("k-1", "张伟"))
        #expect((conversion.opportunity.stageID, conversion.opportunity.ownerID) == ("qualification", "rep-1"))
        #expect(LeadDecisions.convertingOwner(of: lead(), actor: "rep-9") == "rep-9")
        #expect(LeadDecisions.convertingOwner(of: lead(owner: "rep-1"), actor: "rep-9") == "rep-1")
    }

    @Test(
        "conversion refuses an unqualified or closed lead, an owner who cannot take the customer, and a bad opportunity"
    )
    func conversionRefusals() throws {
        let unqualified = #expect(throws: DomainError.self) {
            try convert(lead(qualified: false), owner: user("rep-1"))
        }
        #expect(unqualified?.code == .leadNotQualified)
        var converted = lead()
        converted.apply(CRMLeadConverted.with { $0.customerID = "c-0" })
        let closed = #expect(throws: DomainError.self) { try convert(converted, owner: user("rep-1")) }
        #expect(closed?.code == .leadClosed)
        #expect(closed?.facts["customer"] == "c-0")
        var full = user("rep-1")
        full.holdings.customers = ["c-9"]
        let cap = #expect(throws: DomainError.self) { try convert(lead(), owner: full) }
        #expect(cap?.code == .holdingCapReached)
        let departed = #expect(throws: DomainError.self) { try convert(lead(), owner: user("rep-1", active: false)) }
        #expect(departed?.code == .userInactive)
        var badStage = opportunity
        badStage.stageID = "closing"
        let stage = #expect(throws: DomainError.self) {
            try convert(lead(), owner: user("rep-1"), opportunity: badStage)
        }
        #expect(stage?.code == .unknownStage)
        let missing = #expect(throws: DomainError.self) {
            try convert(LeadState(leadID: "nobody"), owner: user("rep-1"))
        }
        #expect(missing?.code == .leadNotFound)
    }

    @Test("a disqualification needs a reason and closes the lead")
    func disqualify() throws {
        let noReason = #expect(throws: DomainError.self) { try LeadDecisions.disqualify(lead(), reason: "\n") }
        #expect(noReason?.code == .reasonRequired)
        var state = lead()
        state.apply(try LeadDecisions.disqualify(state, reason: "no budget"))
        #expect(state.isClosed)
        let closed = #expect(throws: DomainError.self) { try LeadDecisions.qualify(state, note: "") }
        #expect(closed?.code == .leadClosed)
    }

    @Test("a follow-up needs an open lead, a channel and a next contact not before it")
    func followUp() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let event = try LeadDecisions.followUp(
            lead(),
            channel: .visit,
            note: "  met the buyer ",
            nextContactAt: now.addingTimeInterval(86_400),
            at: now
        )
        #expect((event.leadID, event.channel, event.note) == ("lead-1", .visit, "met the buyer"))
        #expect(event.nextContactAt.date == now.addingTimeInterval(86_400))
        let noChannel = #expect(throws: DomainError.self) {
            try LeadDecisions.followUp(lead(), channel: .unspecified, note: "", nextContactAt: nil, at: now)
        }
        #expect(noChannel?.code == .invalidValue)
        let past = #expect(throws: DomainError.self) {
            try LeadDecisions.followUp(lead(), channel: .call, note: "", nextContactAt: now - 1, at: now)
        }
        #expect(past?.code == .invalidValue)
        var closed = lead()
        closed.apply(try LeadDecisions.disqualify(closed, reason: "no budget"))
        let refused = #expect(throws: DomainError.self) {
            try LeadDecisions.followUp(closed, channel: .call, note: "", nextContactAt: nil, at: now)
        }
        #expect(refused?.code == .leadClosed)
        let missing = #expect(throws: DomainError.self) {
            try LeadDecisions.followUp(LeadState(leadID: "x"), channel: .call, note: "", nextContactAt: nil, at: now)
        }
        #expect(missing?.code == .leadNotFound)
    }
}

@Suite("Lead priority")
struct LeadPriorityTests {
    @Test("a score is the sum of its four reasons; responses stop at the cap, freshness at zero")
    func score() {
        let weights = LeadPriority.defaults
        let fresh = weights.score(source: "referral", companySize: "250+", campaignResponses: 1, idleDays: 0)
        #expect(fresh.total == 30 + 25 + 10 + 30)
        #expect(fresh.reasons.map(\.factor) == ["source", "company_size", "campaign_responses", "freshness"])
        let stale = weights.score(source: "unknown", companySize: "", campaignResponses: 9, idleDays: 400)
        #expect(stale.reasons.map(\.points) == [0, 0, 30, 0])
        // Counts far past any history saturate instead of trapping.
        var extreme = weights
        (extreme.pointsPerCampaignResponse, extreme.pointsLostPerIdleDay) = (.max, .max)
        let saturated = extreme.score(source: "", companySize: "", campaignResponses: .max, idleDays: .max)
        #expect(saturated.reasons.map(\.points) == [0, 0, 30, 0])
        #expect(weights.score(source: "", companySize: "", campaignResponses: -5, idleDays: -5).total == 30)
    }

    @Test("weights are validated, sorted, and read back as configured")
    func validate() throws {
        func entry(_ value: String, _ points: Int32) -> CRMLeadPriorityPoints {
            var entry = CRMLeadPriorityPoints()
            (entry.value, entry.points) = (value, points)
            return entry
        }
        var configured = LeadPriority.defaults.configured
        configured.sourcePoints = [entry("website", 5), entry(" fair ", 7)]
        let valid = try LeadPriority.validate(configured)
        #expect(valid.sourcePoints.map(\.value) == ["fair", "website"], "trimmed and sorted")
        #expect(LeadPriority(valid).sourcePoints == ["fair": 7, "website": 5])
        #expect(LeadPriority(LeadPriority.defaults.configured) == .defaults)

        var twice = configured
        twice.sizePoints = [entry("1-49", 1), entry("1-49", 2)]
        var negative = configured
        negative.freshPoints = -1
        var huge = configured
        huge.pointsLostPerIdleDay = 1_001
        var blank = configured
        blank.sourcePoints = [entry("  ", 1)]
        var many = configured
        many.sourcePoints = (0..<101).map { entry("s\($0)", 1) }
        for (bad, field) in [
            (twice, "size_points"), (negative, "fresh_points"), (huge, "points_lost_per_idle_day"),
            (blank, "source_points"), (many, "source_points"),
        ] {
            let refusal = #expect(throws: DomainError.self) { try LeadPriority.validate(bad) }
            #expect(
                refusal?.code == .invalidValue && refusal?.facts["field"] == field,
                "\(String(describing: refusal))"
            )
        }
    }
}
