import CRMDomain
import CRMReadModels
import EventStore
import Foundation
import HTTPTypes
import RapportAPI

/// Quotes and contracts as the people who work them see them (cut to the caller like the
/// deals), and the approvals that wait for the caller.
extension APIHandler {
    /// The quotes the filters let through, newest first, a page at a time.
    func listQuotes(_ input: Operations.ListQuotes.Input) async throws -> Operations.ListQuotes.Output {
        let query = input.query
        let now = try requestTime
        let days = try dayRange(query.from, query.to, now: now)
        let page = try DealQueries(store: reads).quotes(
            customer: query.customer,
            owners: try owners(try caller, asked: query.owner, withUnassigned: false),
            status: query.status.flatMap { QuoteStatus(rawValue: $0.rawValue) },
            from: days.from,
            to: days.to,
            now: now,
            after: query.after,
            limit: query.limit ?? 100
        )
        return .ok(.init(body: .json(try answer(page))))
    }

    /// One quote (its customer's scope checked at the door).
    func quote(_ input: Operations.Quote.Input) async throws -> Operations.Quote.Output {
        let quote = try DealQueries(store: reads).quote(id: input.path.quote, now: try requestTime)
        return .ok(.init(body: .json(try answer(quote))))
    }

    /// The contracts the filters let through, newest first, a page at a time.
    func listContracts(_ input: Operations.ListContracts.Input) async throws -> Operations.ListContracts.Output {
        let query = input.query
        let days = try dayRange(query.from, query.to, now: try requestTime)
        let page = try DealQueries(store: reads).contracts(
            customer: query.customer,
            owners: try owners(try caller, asked: query.owner, withUnassigned: false),
            status: query.status.flatMap { ContractApprovalStatus(rawValue: $0.rawValue) },
            from: days.from,
            to: days.to,
            after: query.after,
            limit: query.limit ?? 100
        )
        return .ok(.init(body: .json(try answer(page))))
    }

    /// One contract with its approvals, money, invoices, refunds and shipments (its customer's
    /// scope checked at the door).
    func contract(_ input: Operations.Contract.Input) async throws -> Operations.Contract.Output {
        let contract = try DealQueries(store: reads).contract(id: input.path.contract)
        return .ok(.init(body: .json(try answer(contract))))
    }

    /// What waits for the caller's decision, oldest first.
    func approvals(_ input: Operations.Approvals.Input) async throws -> Operations.Approvals.Output {
        let principal = try caller
        guard let user = principal.user else {
            throw APIError(.forbidden, .outsideScope, "a service's token decides no approvals", facts: [:])
        }
        let manages =
            principal.role == .manager && !user.teamID.isEmpty
            ? try UserQueries.memberIDs(ofTeam: user.teamID, in: reads).filter { $0 != user.userID } : []
        let page = try DealQueries(store: reads).approvals(
            for: DealApprover(userID: user.userID, role: principal.role.rawValue, manages: manages),
            now: try requestTime,
            after: input.query.after,
            limit: input.query.limit ?? 100
        )
        return .ok(.init(body: .json(try answer(page))))
    }

    /// How long approvals take, per step, between two business days.
    func approvalTimings(_ input: Operations.ApprovalTimings.Input) async throws -> Operations.ApprovalTimings.Output {
        let report = try DealQueries(store: reads).approvalTimings(
            from: input.query.from,
            to: input.query.to,
            now: try requestTime
        )
        return .ok(.init(body: .json(try answer(report))))
    }

    /// The instants a `from`/`to` pair of business days spans, both days included.
    private func dayRange(_ from: String?, _ to: String?, now: Date) throws -> (from: Date?, to: Date?) {
        let first = try from.map { try QueryValues.day("from", $0, now: now) }
        let last = try to.map { try QueryValues.day("to", $0, now: now) }
        if let first, let last, last < first {
            throw APIError.badRequest(.invalidQueryParameter, "to comes before from", parameter: "to")
        }
        // The last instant of `to`: a microsecond before the next business day starts (a `Date`
        // this far from 1970 cannot hold a nanosecond less).
        let end = last.map { $0.adding(days: 1).start.date.addingTimeInterval(-0.000_001) }
        return (first?.start.date, end)
    }
}
