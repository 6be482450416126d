import CRMDomain
import CRMReadModels
import CRMService
import EventStore
import Foundation
import HTTPTypes
import RapportAPI

/// The leads as the people who work them see them: a rep their own and the unassigned, a
/// manager their team's and the unassigned, admin, finance and auditor every lead; each with
/// its priority by the weights in force.
extension APIHandler {
    /// The leads the filters let through, in the order asked (highest priority first by
    /// default), a page at a time (`next` is a lead id).
    func listLeads(_ input: Operations.ListLeads.Input) async throws -> Operations.ListLeads.Output {
        let query = input.query
        let principal = try caller
        let now = try requestTime
        var filter = LeadFilter()
        filter.owners = try owners(principal, asked: query.owner, withUnassigned: true)
        filter.status = query.status?.rawValue
        if let source = query.source, !(1...200).contains(source.count) {
            throw APIError.badRequest(.invalidQueryParameter, "source is 1 to 200 characters", parameter: "source")
        }
        filter.source = query.source
        filter.campaignID = query.campaign
        // Days name whole business days: `createdTo` includes its day.
        let from = try query.createdFrom.map { try QueryValues.day("createdFrom", $0, now: now) }
        let to = try query.createdTo.map { try QueryValues.day("createdTo", $0, now: now) }
        if let from, let to, to < from {
            throw APIError.badRequest(
                .invalidQueryParameter,
                "createdTo comes before createdFrom",
                parameter: "createdTo"
            )
        }
        filter.createdFrom = from?.start.date
        filter.createdTo = to?.adding(days: 1).start.date
        let order = LeadOrder(rawValue: query.sort?.rawValue ?? "") ?? .priority
        let leads = try LeadQueries(store: reads).leads(
            filter,
            order: order,
            weights: try await service.leadPriority(at: now),
            now: now
        )
        let page = try ListPage(leads, key: \.leadID, after: query.after, limit: query.limit)
        return .ok(.init(body: .json(.init(leads: try answer(page.items), next: page.next))))
    }

    /// One lead (its scope checked at the door, as for a command on it).
    func lead(_ input: Operations.Lead.Input) async throws -> Operations.Lead.Output {
        let now = try requestTime
        let lead = try LeadQueries(store: reads).lead(
            id: input.path.lead,
            weights: try await service.leadPriority(at: now),
            now: now
        )
        return .ok(.init(body: .json(try answer(lead))))
    }

    /// A page of the lead's timeline, oldest first.
    func leadTimeline(_ input: Operations.LeadTimeline.Input) async throws -> Operations.LeadTimeline.Output {
        let after = input.query.after.map { UInt64(clamping: $0) }
        let page = try LeadQueries(store: reads).timeline(
            of: input.path.lead,
            after: after,
            limit: input.query.limit ?? 100
        )
        let next = page.next.map { Int64(clamping: $0) }
        return .ok(.init(body: .json(.init(leadID: input.path.lead, entries: try answer(page.entries), next: next))))
    }

    /// Lead → customer → won for a period's leads, cut by source, campaign or rep, over the
    /// caller's leads.
    func leadConversion(_ input: Operations.LeadConversion.Input) async throws -> Operations.LeadConversion.Output {
        let principal = try caller
        let owners = try owners(principal, asked: nil, withUnassigned: true)
        let cut = LeadConversionCut(rawValue: input.query.by?.rawValue ?? "") ?? .source
        let report = try LeadQueries(store: reads).conversions(period: input.query.period, by: cut, reps: owners)
        return .ok(.init(body: .json(try answer(report))))
    }
}
