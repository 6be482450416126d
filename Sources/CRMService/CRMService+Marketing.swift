import CRMDomain
public import CRMSchema
public import EventStore
public import Foundation

extension CRMService {
    /// Launches a campaign running until `endsAt`.
    ///
    /// - Returns: the campaign's id.
    /// - Throws: `DomainError` as ``MarketingDecisions/launch(id:name:targetSegment:channel:budget:endsAt:context:)``.
    public func launchCampaign(
        named name: String,
        targetSegment: String,
        channel: CRMCampaignChannel,
        budget: CRMMoney,
        endsAt: Date,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> String {
        let context = try context(actor, occurredAt)
        let id = newID()
        let launched = try MarketingDecisions.launch(
            id: id,
            name: name,
            targetSegment: targetSegment,
            channel: channel,
            budget: budget,
            endsAt: endsAt,
            context: context
        )
        _ = try await append(to: try campaignStream(id), expecting: .noStream, [try event(launched, context)])
        return id
    }

    /// Records a lead's or a customer's response to a running campaign, on the campaign's
    /// stream. Pass exactly one of `leadID` and `customerID`.
    @discardableResult
    public func recordCampaignResponse(
        _ campaignID: String,
        leadID: String? = nil,
        customerID: String? = nil,
        response: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        let context = try context(actor, occurredAt)
        let respondent: MarketingDecisions.Respondent
        switch (leadID, customerID) {
        case (let lead?, nil): respondent = .lead(try await loadLead(lead).0)
        case (nil, let customer?): respondent = .customer(try await loadCustomer(customer).0)
        default:
            throw DomainError(
                .invalidValue,
                "a response comes from a lead or a customer: name exactly one",
                facts: ["field": "respondent"]
            )
        }
        let stream = try campaignStream(campaignID)
        // Only the launch matters to the decision; responses are many and change nothing in it.
        var campaign = CampaignState(campaignID: campaignID)
        if let launch = try await log.readStream(stream, from: 0, direction: .forward, limit: 1).first {
            campaign.apply(try decode(launch))
        }
        let responded = try MarketingDecisions.respond(campaign, by: respondent, response: response, context: context)
        return try await append(to: stream, expecting: .exists, [try event(responded, context)])
    }

    /// Sets the sales target of a rep (`repID`) or a team (`teamID`) for a period.
    @discardableResult
    public func setSalesTarget(
        repID: String? = nil,
        teamID: String? = nil,
        period: String,
        amount: CRMMoney,
        actor: String,
        occurredAt: Date? = nil
    )
        async throws -> AppendResult
    {
        let context = try context(actor, occurredAt)
        let holder: MarketingDecisions.TargetHolder
        switch (repID, teamID) {
        case (let rep?, nil): holder = .rep(try await loadUser(rep).0)
        case (nil, let team?): holder = .team(try await loadTeam(team))
        default:
            throw DomainError(
                .invalidValue,
                "a target belongs to a rep or a team: name exactly one",
                facts: ["field": "holder"]
            )
        }
        let target = try MarketingDecisions.setTarget(for: holder, period: period, amount: amount)
        return try await append(
            to: try StreamName(category: "target", id: repID ?? teamID ?? ""),
            expecting: .any,
            [try event(target, context)]
        )
    }

    func campaignStream(_ id: String) throws -> StreamName { try StreamName(category: "campaign", id: id) }
}
