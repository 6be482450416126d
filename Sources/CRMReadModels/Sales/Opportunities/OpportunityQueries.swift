public import CRMDomain
import CRMSchema
import EventStore
public import Foundation
public import Projections

/// Which opportunities a list shows; every filter left `nil` lets all through.
public struct OpportunityFilter: Sendable, Hashable {
    /// Only those owned by these reps.
    public var owners: [String]?
    /// `open`, `won` or `lost`.
    public var status: String?
    public var stageID: String?
    public var customerID: String?
    /// Expected to close in this business month, `yyyy-mm`.
    public var expectedCloseMonth: String?

    /// No filter.
    public init() {}

    /// The statuses an opportunity can have.
    public static let statuses: Set<String> = ["open", "won", "lost"]
}

/// How an opportunity list is ordered.
public enum OpportunityOrder: String, Sendable, Hashable, CaseIterable {
    /// Soonest expected close first (those without a date last), then by id.
    case expectedClose = "expected_close"
    /// Newest first.
    case opened
    /// By id.
    case id
}

/// Reads the opportunities (``OpportunitiesProjector``) from the read-model store, weighed by
/// the pipeline in force.
public struct OpportunityQueries: Sendable {
    /// The store the opportunities were built into.
    public let store: ReadModelStore
    /// The pipeline in force, whose stages name the deals' stages and give their win
    /// probabilities.
    public let pipeline: Pipeline

    /// Queries over `store`, weighed by `pipeline`.
    public init(store: ReadModelStore, pipeline: Pipeline) {
        self.store = store
        self.pipeline = pipeline
    }

    /// The opportunities `filter` lets through, in `order`, their current stays measured up
    /// to `now`.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed id or month
    ///   or an unknown status; ``ProjectionError`` when the store cannot be read.
    public func opportunities(
        _ filter: OpportunityFilter,
        order: OpportunityOrder = .expectedClose,
        now: Date
    ) throws -> [OpportunitySummary] {
        try check(filter)
        var found: [(String, OpportunityRow)] = []
        if let owners = filter.owners {
            for owner in Set(owners).sorted() {
                for (key, _) in try store.rows(
                    Bool.self,
                    projector: OpportunitiesProjector.name,
                    table: "byOwner",
                    prefix: owner + "|"
                ) {
                    let id = String(key.dropFirst(owner.utf8.count + 1))
                    if let row = try row(id) { found.append((id, row)) }
                }
            }
        } else {
            found = try store.rows(OpportunityRow.self, projector: OpportunitiesProjector.name, table: "opportunities")
                .map { ($0.key, $0.row) }
        }
        let summaries = found.filter { matches($0.1, filter) }.map { summary($0.0, $0.1, now: now) }
        switch order {
        case .expectedClose:
            let never = Date.distantFuture
            return summaries.sorted {
                ($0.expectedCloseAt ?? never, $0.opportunityID) < ($1.expectedCloseAt ?? never, $1.opportunityID)
            }
        case .opened:
            return summaries.sorted { ($0.openedAt, $0.opportunityID) > ($1.openedAt, $1.opportunityID) }
        case .id:
            return summaries.sorted { $0.opportunityID < $1.opportunityID }
        }
    }

    /// Opportunity `id`, its current stay measured up to `now`.
    ///
    /// - Throws: ``ReadModelQueryError`` `not_found` for an opportunity the log does not know.
    public func opportunity(id: String, now: Date) throws -> OpportunitySummary {
        try CustomerQueryParameters.requireID(id, "opportunity")
        guard let row = try row(id) else {
            throw ReadModelQueryError(.notFound, "no opportunity \(id)", parameter: "opportunity")
        }
        return summary(id, row, now: now)
    }

    // MARK: - Reading

    private func row(_ id: String) throws -> OpportunityRow? {
        try store.row(OpportunityRow.self, projector: OpportunitiesProjector.name, table: "opportunities", key: id)
    }

    private func check(_ filter: OpportunityFilter) throws(ReadModelQueryError) {
        for owner in filter.owners ?? [] { try CustomerQueryParameters.requireID(owner, "owner") }
        if let customer = filter.customerID { try CustomerQueryParameters.requireID(customer, "customer") }
        if let stage = filter.stageID { try CustomerQueryParameters.requireID(stage, "stage") }
        if let month = filter.expectedCloseMonth { _ = try SalesPeriod.month(month, parameter: "closeMonth") }
        if let status = filter.status, !OpportunityFilter.statuses.contains(status) {
            throw .invalid("status", "status must be open, won or lost, not \"\(status)\"")
        }
    }

    private func matches(_ deal: OpportunityRow, _ filter: OpportunityFilter) -> Bool {
        if let status = filter.status, deal.status != status { return false }
        if let stage = filter.stageID, deal.stageID != stage { return false }
        if let customer = filter.customerID, deal.customerID != customer { return false }
        if let month = filter.expectedCloseMonth, deal.expectedCloseMonth != month { return false }
        return true
    }

    /// The win probability of a deal at `stageID` with `status`, in percent: the stage's in
    /// the pipeline in force while open.
    func winProbability(status: String, stageID: String) -> Int? {
        switch status {
        case "won": 100
        case "lost": 0
        default: pipeline.stage(stageID).map { Int($0.winProbabilityPercent) }
        }
    }

    private func summary(_ id: String, _ deal: OpportunityRow, now: Date) -> OpportunitySummary {
        let probability = winProbability(status: deal.status, stageID: deal.stageID)
        return OpportunitySummary(
            opportunityID: id,
            customerID: deal.customerID,
            name: deal.name,
            ownerID: deal.ownerID,
            status: deal.status,
            stageID: deal.stageID,
            stageName: pipeline.stage(deal.stageID)?.name ?? deal.stageID,
            amount: CustomerMoney(minorUnits: deal.amount, currency: deal.currency),
            winProbabilityPercent: probability,
            weightedAmount: probability.map { Self.weighted(deal.amount, percent: $0) },
            expectedCloseAt: deal.expectedCloseAt,
            expectedCloseMonth: deal.expectedCloseMonth,
            openedAt: deal.openedAt,
            closedAt: deal.closedAt,
            reason: deal.reason,
            stageHistory: deal.stays.map { stay in
                let end = stay.leftAt ?? max(now, stay.enteredAt)
                let seconds = end.timeIntervalSince(stay.enteredAt)
                return OpportunityStageStay(
                    stageID: stay.stageID,
                    enteredAt: stay.enteredAt,
                    leftAt: stay.leftAt,
                    // Times in the log are within a few centuries, so the conversion never traps.
                    seconds: Int64(max(0, min(seconds, 1e15)))
                )
            }
        )
    }

    /// `amount` × `percent` / 100, rounded half up (away from zero), saturating.
    static func weighted(_ amount: Int64, percent: Int) -> Int64 {
        SalesQueryCheck.share(amount.saturatingMultiply(Int64(percent)), per: 100) ?? 0
    }
}
