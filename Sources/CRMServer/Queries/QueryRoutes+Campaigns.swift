import CRMReadModels
import EventStore
import FoundationEssentials
import Hummingbird

/// Campaign effect: responses, leads, conversions, contracts and money per campaign. Every
/// reader sees every campaign: campaigns are the company's, not a rep's.
extension QueryRoutes {
    func addCampaigns(to router: some RouterMethods<RapportRequestContext>) {
        router.get("v1/campaigns", use: campaigns)
        router.get("v1/campaigns/:campaign", use: campaign)
    }

    /// `GET /v1/campaigns?asOf=&status=&channel=&after=&limit=`: the campaigns, the latest
    /// launched first, their status (`not-launched`, `running`, `ended`) judged at `asOf` (an
    /// RFC 3339 time or the end of a day `yyyy-mm-dd`; now by default), filtered by status and
    /// channel, a page at a time (`next` is a campaign id).
    @Sendable func campaigns(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        let query = QueryParameters(request)
        let status = try query.optional("status", as: String.self)
        if let status, CampaignEffect.Status(rawValue: status) == nil {
            throw APIError.badRequest(
                .invalidQueryParameter,
                "status is not-launched, running or ended, not \"\(status)\"",
                parameter: "status"
            )
        }
        let channel = try query.optional("channel", as: String.self)
        let all = try CampaignQueries(store: store).campaigns(at: try query.time("asOf")?.date ?? .now).filter {
            campaign in
            (status == nil || campaign.status.rawValue == status) && (channel == nil || campaign.channel == channel)
        }
        let (after, limit) = try query.page()
        return try .encoded(try ListPage("campaigns", all, key: \.campaignID, after: after, limit: limit))
    }

    /// `GET /v1/campaigns/{campaign}?asOf=`: one campaign's effect, its status judged at
    /// `asOf` (now by default); 404 `not_found` for a campaign the read model does not know.
    @Sendable func campaign(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        let id = try context.parameters.require("campaign")
        let at = try QueryParameters(request).time("asOf")?.date ?? .now
        return try .encoded(try CampaignQueries(store: store).campaign(id: id, at: at))
    }
}
