import CRMDomain
import CRMService
import Foundation
import Hummingbird

/// Campaigns, the responses to them, and sales targets.
extension CommandRoutes {
    func addMarketing(to router: some RouterMethods<RapportRequestContext>) {
        router.post("v1/campaigns", use: launchCampaign)
        router.post("v1/campaigns/:campaign/responses", use: recordCampaignResponse)
        router.post("v1/sales-targets", use: setSalesTarget)
    }

    struct CampaignBody: CommandBody {
        static let fields: Set<String> = ["name", "targetSegment", "channel", "budget", "endsAt"]
        static var nested: [String: any BodyShape.Type] { ["budget": MoneyBody.self] }
        var name: String
        var targetSegment: String?
        var channel: String
        var budget: MoneyBody
        var endsAt: Date
    }

    /// `POST /v1/campaigns`: 201 with the campaign's id; it runs until `endsAt`.
    @Sendable func launchCampaign(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await CampaignBody.decodeCommand(from: request, context: context)
        let channel = try CommandValues.campaignChannel(body.channel)
        return try await created("campaignId") {
            try await service.launchCampaign(
                named: body.name,
                targetSegment: body.targetSegment ?? "",
                channel: channel,
                budget: body.budget.money,
                endsAt: body.endsAt,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct CampaignResponseBody: CommandBody {
        static let fields: Set<String> = ["leadId", "customerId", "response"]
        var leadId: String?
        var customerId: String?
        var response: String
    }

    /// `POST /v1/campaigns/{campaign}/responses`: a lead's or a customer's response (name
    /// exactly one) to a running campaign.
    @Sendable func recordCampaignResponse(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await CampaignResponseBody.decodeCommand(from: request, context: context)
        let campaign = try context.parameters.require("campaign")
        if let customer = body.customerId { try requireInScope(principal, customer: customer) }
        return try await appended {
            try await service.recordCampaignResponse(
                campaign,
                leadID: body.leadId,
                customerID: body.customerId,
                response: body.response,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct TargetBody: CommandBody, AmountFields {
        static let fields: Set<String> = ["repId", "teamId", "period", "amount", "currency"]
        var repId: String?
        var teamId: String?
        /// `2026-11` (a month), `2026-Q4` (a quarter) or `2026` (a year).
        var period: String
        var amount: Int64
        var currency: String
    }

    /// `POST /v1/sales-targets`: the target of a rep (`repId`) or a team (`teamId`) for a
    /// period, replacing an earlier one; a manager sets those of their own team.
    @Sendable func setSalesTarget(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await TargetBody.decodeCommand(from: request, context: context)
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
        return try await appended {
            try await service.setSalesTarget(
                repID: body.repId,
                teamID: body.teamId,
                period: body.period,
                amount: body.money,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }
}
