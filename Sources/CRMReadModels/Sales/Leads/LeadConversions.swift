public import Projections

/// How the leads created in a period went on, per source, campaign or rep.
public struct LeadConversionReport: Codable, Sendable, Hashable {
    /// The period asked for: `2026-03`, `2026-Q1` or `2026`.
    public var period: String
    /// The months summed, `yyyy-mm`.
    public var months: [String]
    /// What the rows are cut by: `source`, `campaign` or `rep`.
    public var by: String
    /// One row per value (empty: no source, no campaign, unassigned), by value.
    public var rows: [LeadConversionRow]
    /// The rows added up.
    public var total: LeadConversionRow
}

/// The leads of one source, campaign or rep created in a report's period.
public struct LeadConversionRow: Codable, Sendable, Hashable {
    /// The source, campaign id or rep id; empty for none.
    public var value: String
    /// Leads created.
    public var leads: Int
    /// Of those, qualified at some point.
    public var qualified: Int
    /// Of those, converted into a customer.
    public var converted: Int
    /// Of those, whose opportunity is won now.
    public var won: Int
    /// converted / leads; absent without leads.
    public var customerRate: Double?
    /// won / converted; absent without conversions.
    public var winRate: Double?
    /// won / leads; absent without leads.
    public var leadToWonRate: Double?

    init(value: String, _ cell: LeadCohortCell) {
        self.value = value
        (leads, qualified, converted, won) = (cell.leads, cell.qualified, cell.converted, cell.won)
        customerRate = SalesQueryCheck.ratio(converted, leads)
        winRate = SalesQueryCheck.ratio(won, converted)
        leadToWonRate = SalesQueryCheck.ratio(won, leads)
    }
}

/// What a lead conversion report cuts its rows by.
public enum LeadConversionCut: String, Sendable, Hashable, CaseIterable {
    case source
    case campaign
    case rep
}

extension LeadQueries {
    /// Lead → customer → won for the leads created in `period` (a month, quarter or year),
    /// cut by `cut`; only the leads held by `reps` when given (a manager's team).
    ///
    /// A lead counts in the month it was created and with its current owner; its conversion
    /// and win count whenever they happened, so a month's rates keep rising as its leads
    /// mature.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period;
    ///   ``ProjectionError`` when the store cannot be read.
    public func conversions(
        period: String,
        by cut: LeadConversionCut,
        reps: [String]? = nil
    ) throws -> LeadConversionReport {
        let period = try SalesPeriod(period)
        let wanted = reps.map(Set.init)
        var byValue: [String: LeadCohortCell] = [:]
        var total = LeadCohortCell()
        for month in period.months {
            for (_, cell) in try store.rows(
                LeadCohortCell.self,
                projector: LeadsProjector.name,
                table: "cohorts",
                prefix: month + "|"
            ) where wanted?.contains(cell.rep) ?? true {
                let value =
                    switch cut {
                    case .source: cell.source
                    case .campaign: cell.campaignID
                    case .rep: cell.rep
                    }
                byValue[value, default: LeadCohortCell()].add(cell)
                total.add(cell)
            }
        }
        return LeadConversionReport(
            period: period.text,
            months: period.months,
            by: cut.rawValue,
            rows: byValue.sorted { $0.key < $1.key }.map { LeadConversionRow(value: $0.key, $0.value) },
            total: LeadConversionRow(value: "", total)
        )
    }
}

extension LeadCohortCell {
    mutating func add(_ other: LeadCohortCell) {
        leads += other.leads
        qualified += other.qualified
        converted += other.converted
        won += other.won
    }
}
