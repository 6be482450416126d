public import CRMSchema
public import Foundation
public import SwiftProtobuf

/// One campaign, as launched (`campaign-<id>`, whose first event is the launch).
public struct CampaignState: Sendable, Hashable {
    public var campaignID: String
    public var exists = false
    public var launched = CRMCampaignLaunched()

    /// A campaign not seen yet.
    public init(campaignID: String) {
        self.campaignID = campaignID
    }

    /// Folds the campaign's launch; responses change nothing a decision needs.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        if let launch = event as? CRMCampaignLaunched { (exists, launched) = (true, launch) }
    }
}

/// Campaigns (target segment, channel, budget), responses to them, and sales targets.
public enum MarketingDecisions {
    /// A campaign running until `endsAt`.
    ///
    /// - Throws: `field_required` without a name; `invalid_value` for no channel, a bad
    ///   budget, or an end before the launch.
    public static func launch(
        id: String,
        name: String,
        targetSegment: String,
        channel: CRMCampaignChannel,
        budget: CRMMoney,
        endsAt: Date,
        context: CommandContext
    ) throws(DomainError) -> CRMCampaignLaunched {
        var event = CRMCampaignLaunched()
        (event.campaignID, event.name, event.targetSegment) = (id, try required(name, "name"), targetSegment)
        switch channel {
        case .email, .sms, .event, .web, .social, .phone: event.channel = channel
        default:
            throw DomainError(
                .invalidValue,
                "a campaign runs by email, SMS, event, web, social or phone",
                facts: ["field": "channel"]
            )
        }
        event.budget = try budget.validated("budget")
        guard endsAt > context.occurredAt else {
            throw DomainError(.invalidValue, "a campaign must end after it is launched", facts: ["field": "ends_at"])
        }
        event.endsAt = Google_Protobuf_Timestamp(date: endsAt)
        return event
    }

    /// Who responded to a campaign: a lead or a customer, each known to exist.
    public enum Respondent: Sendable, Hashable {
        case lead(LeadState)
        case customer(CustomerState)
    }

    /// A response to a running campaign.
    ///
    /// - Throws: `campaign_not_found`; `campaign_ended` (with `endedAt`); `lead_not_found` or
    ///   `customer_not_found`; `field_required` without a response.
    public static func respond(
        _ campaign: CampaignState,
        by respondent: Respondent,
        response: String,
        context: CommandContext
    ) throws(DomainError)
        -> CRMCampaignResponded
    {
        guard campaign.exists else {
            throw DomainError(
                .campaignNotFound,
                "no campaign \(campaign.campaignID)",
                facts: ["campaign": campaign.campaignID]
            )
        }
        let endedAt = campaign.launched.endsAt.date
        guard context.occurredAt <= endedAt else {
            throw DomainError(
                .campaignEnded,
                "campaign \(campaign.campaignID) ended at \(endedAt.formatted(.iso8601))",
                facts: ["endedAt": endedAt.formatted(.iso8601)]
            )
        }
        var event = CRMCampaignResponded()
        event.campaignID = campaign.campaignID
        switch respondent {
        case .lead(let lead):
            guard lead.status != .absent else {
                throw DomainError(.leadNotFound, "no lead \(lead.leadID)", facts: ["lead": lead.leadID])
            }
            event.leadID = lead.leadID
        case .customer(let customer):
            try CustomerDecisions.requireExists(customer)
            event.customerID = customer.customerID
        }
        event.response = try required(response, "response")
        return event
    }

    /// Whose target: a rep's or a team's.
    public enum TargetHolder: Sendable, Hashable {
        case rep(UserState)
        case team(TeamState)
    }

    /// The target of a rep or team for a period: `2026-11` (a month), `2026-Q4` (a quarter)
    /// or `2026` (a year).
    ///
    /// - Throws: `user_not_found`, `user_inactive`, `role_cannot_own_customers` or
    ///   `team_not_found`; `invalid_value` for a malformed period or a bad amount.
    public static func setTarget(
        for holder: TargetHolder,
        period: String,
        amount: CRMMoney
    ) throws(DomainError) -> CRMSalesTargetSet {
        var event = CRMSalesTargetSet()
        switch holder {
        case .rep(let rep):
            try UserDecisions.requireCanOwnCustomers(rep)
            event.repID = rep.userID
        case .team(let team):
            guard team.exists else {
                throw DomainError(.teamNotFound, "no team \(team.teamID)", facts: ["team": team.teamID])
            }
            event.teamID = team.teamID
        }
        guard isPeriod(period) else {
            throw DomainError(
                .invalidValue,
                "a period is a month (2026-11), a quarter (2026-Q4) or a year (2026), not \"\(period)\"",
                facts: ["field": "period"]
            )
        }
        (event.period, event.amount) = (period, try amount.validated("amount"))
        return event
    }

    /// Whether `period` reads `YYYY`, `YYYY-MM` (01-12) or `YYYY-Qn` (1-4), in ASCII.
    static func isPeriod(_ period: String) -> Bool {
        let bytes = Array(period.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard bytes[range].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            return bytes[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        switch bytes.count {
        case 4: return digits(0..<4) != nil
        case 7 where bytes[4] == UInt8(ascii: "-"):
            guard digits(0..<4) != nil else { return false }
            if bytes[5] == UInt8(ascii: "Q") { return (UInt8(ascii: "1")...UInt8(ascii: "4")).contains(bytes[6]) }
            return digits(5..<7).map { (1...12).contains($0) } ?? false
        default: return false
        }
    }
}
