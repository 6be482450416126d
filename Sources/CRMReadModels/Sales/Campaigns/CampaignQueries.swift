import CRMDomain
import EventStore
public import Foundation
public import Projections

/// Reads campaign effect (``CampaignProjector``) from the read-model store.
public struct CampaignQueries: Sendable {
    /// The store the campaigns were built into.
    public let store: ReadModelStore

    /// Queries over `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    /// One campaign, its status judged at `date` (now by default).
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed id,
    ///   `not_found` for a campaign the read model does not know; ``ProjectionError``.
    public func campaign(id: String, at date: Date = Date()) throws -> CampaignEffect {
        try SalesQueryCheck.id(id, parameter: "id")
        guard let row = try store.row(CampaignRow.self, projector: CampaignProjector.name, table: "campaigns", key: id)
        else {
            throw ReadModelQueryError(.notFound, "no campaign \(id)", parameter: "id")
        }
        return Self.effect(id, row, at: date)
    }

    /// Every campaign, the latest launched first (never-launched ones last, by id), statuses
    /// judged at `date` (now by default).
    ///
    /// - Throws: ``ProjectionError`` when the store cannot be read.
    public func campaigns(at date: Date = Date()) throws -> [CampaignEffect] {
        try store.rows(CampaignRow.self, projector: CampaignProjector.name, table: "campaigns")
            .sorted { a, b in
                a.row.launched != b.row.launched
                    ? a.row.launched
                    : a.row.launchedAt != b.row.launchedAt ? a.row.launchedAt > b.row.launchedAt : a.key < b.key
            }
            .map { Self.effect($0.key, $0.row, at: date) }
    }

    static func effect(_ id: String, _ row: CampaignRow, at date: Date) -> CampaignEffect {
        let now = Timestamp(date).nanosecondsSinceEpoch
        let status: CampaignEffect.Status = !row.launched ? .notLaunched : now < row.endsAt ? .running : .ended
        let revenue = row.contracted[row.currency] ?? 0
        func day(_ ns: Int64) -> String {
            row.launched ? SalesCalendar.day(BusinessDay(Timestamp(nanosecondsSinceEpoch: ns))) : ""
        }
        func amounts(_ byCurrency: [String: Int64]) -> [CampaignAmount] {
            byCurrency.sorted { $0.key < $1.key }.map { CampaignAmount(currency: $0.key, minorUnits: $0.value) }
        }
        return CampaignEffect(
            campaignID: id,
            name: row.name,
            segment: row.segment,
            channel: row.channel,
            budget: row.budget,
            currency: row.currency,
            launchedOn: day(row.launchedAt),
            endsOn: day(row.endsAt),
            status: status,
            responses: row.responses,
            responsesByKind: row.responsesByKind
                .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { CampaignResponseCount(response: $0.key, count: $0.value) },
            leadResponses: row.leadResponses,
            customerResponses: row.customerResponses,
            leads: row.leads,
            conversions: row.conversions,
            conversionRate: SalesQueryCheck.ratio(row.conversions, row.leads),
            contracts: row.contracts,
            contracted: amounts(row.contracted),
            revenue: revenue,
            collected: amounts(row.collected),
            costPerResponse: SalesQueryCheck.share(row.budget, per: Int64(row.responses)),
            costPerConversion: SalesQueryCheck.share(row.budget, per: Int64(row.conversions)),
            returnOnBudgetBasisPoints: row.budget > 0
                ? SalesQueryCheck.share(
                    revenue.saturatingSubtract(row.budget).saturatingMultiply(10_000),
                    per: row.budget
                ) : nil
        )
    }
}
