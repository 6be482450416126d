import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import EventStore
import Foundation
import HTTPTypes
import RapportAPI

/// Campaigns, the responses to them, and sales targets.
extension APIHandler {
    /// 201 with the campaign's id; it runs until `endsAt`.
    func launchCampaign(_ input: Operations.LaunchCampaign.Input) async throws -> Operations.LaunchCampaign.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let channel = try CommandValues.campaignChannel(body.channel.rawValue)
        let campaignID = try await created("campaignId") {
            try await service.launchCampaign(
                named: body.name,
                targetSegment: body.targetSegment ?? "",
                channel: channel,
                budget: body.budget.money,
                endsAt: body.endsAt,
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(campaignId: campaignID))))
    }

    /// A lead's or a customer's response to a running campaign; exactly one of them, a
    /// customer within the caller's scope.
    func recordCampaignResponse(
        _ input: Operations.RecordCampaignResponse.Input
    ) async throws -> Operations.RecordCampaignResponse.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        if let customer = body.customerId { try requireInScope(acting.principal, customer: customer) }
        return .ok(
            try await appended {
                try await service.recordCampaignResponse(
                    input.path.campaign,
                    leadID: body.leadId,
                    customerID: body.customerId,
                    response: body.response,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// The target of a rep or a team for a period, replacing an earlier one; a manager sets
    /// those of their own team and its reps only.
    func setSalesTarget(_ input: Operations.SetSalesTarget.Input) async throws -> Operations.SetSalesTarget.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let principal = acting.principal
        if principal.role == .manager {
            let ownTeam = principal.user?.teamID
            let inTeam =
                try body.teamId.map { $0 == ownTeam } ?? body.repId.map { try scope.allows(principal, owner: $0) }
                ?? true
            guard inTeam else {
                throw APIError(
                    .forbidden,
                    .outsideScope,
                    "a manager sets the targets of their own team and its reps",
                    facts: ["role": principal.role.rawValue]
                )
            }
        }
        return .ok(
            try await appended {
                try await service.setSalesTarget(
                    repID: body.repId,
                    teamID: body.teamId,
                    period: body.period,
                    amount: CRMMoney(minorUnits: body.amount, currency: body.currency),
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }
}

/// Campaign effect: responses, leads, conversions, contracts and money per campaign. Every
/// reader sees every campaign: campaigns are the company's, not a rep's.
extension APIHandler {
    /// The campaigns, the latest launched first, their status judged at `asOf` (now by
    /// default), filtered by status and channel, a page at a time (`next` is a campaign id).
    func campaigns(_ input: Operations.Campaigns.Input) async throws -> Operations.Campaigns.Output {
        let query = input.query
        let at = try QueryValues.time("asOf", query.asOf)?.date ?? (try requestTime)
        let all = try CampaignQueries(store: reads).campaigns(at: at).filter { campaign in
            (query.status == nil || campaign.status.rawValue == query.status?.rawValue)
                && (query.channel == nil || campaign.channel == query.channel)
        }
        let page = try ListPage(all, key: \.campaignID, after: query.after, limit: query.limit)
        return .ok(.init(body: .json(.init(campaigns: try answer(page.items), next: page.next))))
    }

    /// One campaign's effect, its status judged at `asOf` (now by default); 404 `not_found`
    /// for a campaign the read model does not know.
    func campaign(_ input: Operations.Campaign.Input) async throws -> Operations.Campaign.Output {
        let at = try QueryValues.time("asOf", input.query.asOf)?.date ?? (try requestTime)
        return .ok(
            .init(body: .json(try answer(CampaignQueries(store: reads).campaign(id: input.path.campaign, at: at))))
        )
    }
}
