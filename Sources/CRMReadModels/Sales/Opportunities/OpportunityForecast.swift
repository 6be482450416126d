import CRMDomain
public import Projections

/// The open deals expected to close in a period, month by month, weighed by their stages' win
/// probabilities in the pipeline in force.
public struct OpportunityForecast: Codable, Sendable, Hashable {
    /// The period asked for: `2026-03`, `2026-Q1` or `2026`.
    public var period: String
    /// One row per month and currency, in order; months without open deals are left out.
    public var months: [ForecastRow]
    /// The months added up, one row per currency.
    public var totals: [ForecastRow]
}

/// The open deals of one month (empty in a total) and currency.
public struct ForecastRow: Codable, Sendable, Hashable {
    public var month: String
    public var currency: String
    public var deals: Int
    /// Their expected amounts, in minor units.
    public var amount: Int64
    /// Each amount × its stage's win probability, rounded half up, added up; a deal at a stage
    /// the pipeline no longer has counts for nothing.
    public var weightedAmount: Int64
}

/// How well each rep's and team's open pipeline covers what is left of their target.
public struct PipelineCoverage: Codable, Sendable, Hashable {
    public var period: String
    public var reps: [CoverageRow]
    public var teams: [CoverageRow]
}

/// One rep's or team's coverage in one currency.
public struct CoverageRow: Codable, Sendable, Hashable {
    public var holderID: String
    public var currency: String
    /// The target for exactly the period, as set; absent without one.
    public var target: Int64?
    /// Contracts signed in the period (the sales read model's attainment).
    public var achieved: Int64
    /// What is left of the target, never below 0; absent without a target.
    public var remaining: Int64?
    /// The open deals expected to close in the period: their amounts, and weighted.
    public var openAmount: Int64
    public var weightedAmount: Int64
    /// openAmount / remaining and weightedAmount / remaining; absent without a target or once
    /// it is met.
    public var coverage: Double?
    public var weightedCoverage: Double?
}

extension OpportunityQueries {
    /// The open deals expected to close in `period` (a month, quarter or year), of `owners`
    /// when given: a month's deals are one prefix read of the forecast index.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period;
    ///   ``ProjectionError`` when the store cannot be read.
    public func forecast(period: String, owners: [String]? = nil) throws -> OpportunityForecast {
        let period = try SalesPeriod(period)
        let wanted = owners.map(Set.init)
        var months: [ForecastRow] = []
        var totals: [String: ForecastRow] = [:]
        for month in period.months {
            var byCurrency: [String: ForecastRow] = [:]
            for (_, deal) in try openDeals(in: month) where wanted?.contains(deal.ownerID) ?? true {
                let weighted =
                    winProbability(status: "open", stageID: deal.stageID).map {
                        Self.weighted(deal.amount, percent: $0)
                    } ?? 0
                for (key, label) in [(month, month), ("", "")] {
                    func add(_ row: inout ForecastRow) {
                        row.deals += 1
                        row.amount.saturatingIncrement(by: deal.amount)
                        row.weightedAmount.saturatingIncrement(by: weighted)
                    }
                    let empty = ForecastRow(
                        month: label,
                        currency: deal.currency,
                        deals: 0,
                        amount: 0,
                        weightedAmount: 0
                    )
                    if key.isEmpty {
                        add(&totals[deal.currency, default: empty])
                    } else {
                        add(&byCurrency[deal.currency, default: empty])
                    }
                }
            }
            months += byCurrency.values.sorted { $0.currency < $1.currency }
        }
        return OpportunityForecast(
            period: period.text,
            months: months,
            totals: totals.values.sorted { $0.currency < $1.currency }
        )
    }

    /// Each rep's and team's open pipeline expected to close in `period` against what is left
    /// of their target for it (``SalesQueries/targets(period:)``); only `reps` and `teams`
    /// when given.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period;
    ///   ``ProjectionError`` when the store cannot be read.
    public func coverage(period: String, reps: [String]? = nil, teams: [String]? = nil) throws -> PipelineCoverage {
        let forecastPeriod = try SalesPeriod(period)
        let targets = try SalesQueries(store: store).targets(period: period)
        let teamOf = Dictionary(
            try store.rows(UserRow.self, projector: UsersProjector.name, table: "users").map {
                ($0.key, $0.row.teamID)
            },
            uniquingKeysWith: { _, last in last }
        )
        var open: [String: [String: (amount: Int64, weighted: Int64)]] = ["rep": [:], "team": [:]]
        for month in forecastPeriod.months {
            for (_, deal) in try openDeals(in: month) {
                let weighted =
                    winProbability(status: "open", stageID: deal.stageID).map {
                        Self.weighted(deal.amount, percent: $0)
                    } ?? 0
                var holders = [("rep", deal.ownerID)]
                if let team = teamOf[deal.ownerID], !team.isEmpty { holders.append(("team", team)) }
                for (kind, holder) in holders {
                    let key = holder + "|" + deal.currency
                    var figures = open[kind, default: [:]][key] ?? (0, 0)
                    figures.amount.saturatingIncrement(by: deal.amount)
                    figures.weighted.saturatingIncrement(by: weighted)
                    open[kind, default: [:]][key] = figures
                }
            }
        }
        func rows(_ kind: String, _ attained: [TargetAttainment], only: [String]?) -> [CoverageRow] {
            var byKey: [String: CoverageRow] = [:]
            for row in attained {
                byKey[row.holderID + "|" + row.currency] = CoverageRow(
                    holderID: row.holderID,
                    currency: row.currency,
                    target: row.target,
                    achieved: row.achieved,
                    remaining: row.target.map { max(0, $0.saturatingSubtract(row.achieved)) },
                    openAmount: 0,
                    weightedAmount: 0
                )
            }
            for (key, figures) in open[kind] ?? [:] {
                let parts = key.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                var row =
                    byKey[key]
                    ?? CoverageRow(
                        holderID: parts[0],
                        currency: parts.count > 1 ? parts[1] : "",
                        target: nil,
                        achieved: 0,
                        remaining: nil,
                        openAmount: 0,
                        weightedAmount: 0
                    )
                (row.openAmount, row.weightedAmount) = (figures.amount, figures.weighted)
                byKey[key] = row
            }
            let wanted = only.map(Set.init)
            return byKey.values
                .filter { wanted?.contains($0.holderID) ?? true }
                .map { row in
                    var row = row
                    if let remaining = row.remaining, remaining > 0 {
                        row.coverage = Double(row.openAmount) / Double(remaining)
                        row.weightedCoverage = Double(row.weightedAmount) / Double(remaining)
                    }
                    return row
                }
                .sorted { ($0.holderID, $0.currency) < ($1.holderID, $1.currency) }
        }
        return PipelineCoverage(
            period: forecastPeriod.text,
            reps: rows("rep", targets.reps, only: reps),
            teams: rows("team", targets.teams, only: teams)
        )
    }

    private func openDeals(in month: String) throws -> [(key: String, row: OpenDealRow)] {
        try store.rows(OpenDealRow.self, projector: OpportunitiesProjector.name, table: "open", prefix: month + "|")
    }
}
