import CRMDomain
import CRMReadModels
import CRMService
import Foundation
import HTTPTypes
import RapportAPI

/// The deals as the people who work them see them, weighed by the pipeline in force: a rep
/// their own, a manager their team's, admin, finance and auditor everyone's.
extension APIHandler {
    /// The opportunities the filters let through, soonest expected close first by default, a
    /// page at a time (`next` is an opportunity id).
    func listOpportunities(
        _ input: Operations.ListOpportunities.Input
    ) async throws -> Operations.ListOpportunities.Output {
        let query = input.query
        let principal = try caller
        let now = try requestTime
        var filter = OpportunityFilter()
        filter.owners = try owners(principal, asked: query.owner, withUnassigned: false)
        filter.status = query.status?.rawValue
        filter.stageID = query.stage
        filter.customerID = query.customer
        filter.expectedCloseMonth = query.closeMonth
        let order = OpportunityOrder(rawValue: query.sort?.rawValue ?? "") ?? .expectedClose
        let deals = try await deals(at: now).opportunities(filter, order: order, now: now)
        let page = try ListPage(deals, key: \.opportunityID, after: query.after, limit: query.limit)
        return .ok(.init(body: .json(.init(opportunities: try answer(page.items), next: page.next))))
    }

    /// One opportunity (its customer's scope checked at the door).
    func opportunity(_ input: Operations.Opportunity.Input) async throws -> Operations.Opportunity.Output {
        let now = try requestTime
        let deal = try await deals(at: now).opportunity(id: input.path.opportunity, now: now)
        return .ok(.init(body: .json(try answer(deal))))
    }

    /// The weighted forecast of a period over the caller's deals.
    func forecast(_ input: Operations.Forecast.Input) async throws -> Operations.Forecast.Output {
        let owners = try owners(try caller, asked: input.query.owner, withUnassigned: false)
        let forecast = try await deals(at: try requestTime).forecast(period: input.query.period, owners: owners)
        return .ok(.init(body: .json(try answer(forecast))))
    }

    /// Pipeline against target for a period: a rep's own row, a manager's team and its reps,
    /// everyone's for the other readers.
    func pipelineCoverage(_ input: Operations.PipelineCoverage.Input) async throws -> Operations.PipelineCoverage.Output
    {
        let principal = try caller
        let reps = try owners(principal, asked: nil, withUnassigned: false)
        let teams: [String]? =
            switch principal.role {
            case .manager: [principal.user?.teamID ?? ""]
            case .salesRep: []
            default: nil
            }
        let coverage = try await deals(at: try requestTime).coverage(
            period: input.query.period,
            reps: reps,
            teams: teams
        )
        return .ok(.init(body: .json(try answer(coverage))))
    }

    /// The opportunities read model, weighed by the pipeline in force at `time`.
    private func deals(at time: Date) async throws -> OpportunityQueries {
        OpportunityQueries(store: reads, pipeline: try await service.pipeline(at: time))
    }
}
