import CRMDomain
public import Projections

/// Questions to the sales read model. A period is a month `yyyy-mm`, a quarter `yyyy-Qn` or a
/// year `yyyy`; quarters and years are the sums of their months.
public struct SalesQueries: Sendable {
    /// The store the read model lives in.
    public let store: ReadModelStore

    /// Queries against `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    /// Signed and collected amounts in `period` by rep, region, product or team.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period.
    public func sales(period: String, by dimension: SalesDimension) throws -> SalesBreakdown {
        let period = try FinancePeriod(period)
        var rows: [String: SalesFigures] = [:]
        for cell in try cells(period, dimension) {
            rows[
                FinanceKey.join(cell.value, cell.currency),
                default: SalesFigures(cell, key: cell.value, label: cell.label)
            ].add(cell)
        }
        // Totals come from the rep cells, where each contract and payment counts once (a
        // product's cells count a contract once per product it sells).
        var totals: [String: SalesFigures] = [:]
        for cell in try cells(period, .rep) {
            totals[cell.currency, default: SalesFigures(cell, key: "", label: "")].add(cell)
        }
        return SalesBreakdown(
            period: period.name,
            by: dimension,
            rows: rows.values.sorted { ($1.signed, $0.key, $0.currency) < ($0.signed, $1.key, $1.currency) },
            totals: totals.keys.sorted().map { totals[$0]! }
        )
    }

    /// Each rep's and team's target for exactly `period` (a month, quarter or year target as
    /// set), what they signed in it, and the attainment.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period.
    public func targets(period: String) throws -> SalesTargetReport {
        let period = try FinancePeriod(period)
        var found: [String: [String: TargetAttainment]] = ["rep": [:], "team": [:]]
        for stored in try store.rows(
            SalesTargetRow.self,
            projector: SalesProjector.name,
            table: "targets",
            prefix: FinanceKey.prefix(period.name)
        ) {
            let target = stored.row
            found[target.holderKind, default: [:]][FinanceKey.join(target.holderID, target.currency)] =
                TargetAttainment(
                    holderID: target.holderID,
                    currency: target.currency,
                    target: target.amount,
                    achieved: 0,
                    attainmentBasisPoints: nil
                )
        }
        for (kind, dimension) in [("rep", SalesDimension.rep), ("team", .team)] {
            for cell in try cells(period, dimension) where cell.signed != 0 || cell.contracts > 0 {
                found[kind, default: [:]][
                    FinanceKey.join(cell.value, cell.currency),
                    default: TargetAttainment(
                        holderID: cell.value,
                        currency: cell.currency,
                        target: nil,
                        achieved: 0,
                        attainmentBasisPoints: nil
                    )
                ].achieved.saturatingIncrement(by: cell.signed)
            }
        }
        func ranked(_ kind: String) -> [TargetAttainment] {
            (found[kind] ?? [:]).values.map { row in
                var row = row
                if let target = row.target, target > 0 {
                    row.attainmentBasisPoints = FinanceMath.basisPoints(row.achieved, of: target)
                }
                return row
            }
            .sorted { ($0.holderID, $0.currency) < ($1.holderID, $1.currency) }
        }
        return SalesTargetReport(period: period.name, reps: ranked("rep"), teams: ranked("team"))
    }

    private func cells(_ period: FinancePeriod, _ dimension: SalesDimension) throws -> [SalesCellRow] {
        try period.months.flatMap { month in
            try store.rows(
                SalesCellRow.self,
                projector: SalesProjector.name,
                table: "cells",
                prefix: FinanceKey.prefix(month, dimension.rawValue)
            ).map(\.row)
        }
    }
}

extension SalesFigures {
    /// Zero figures for `key` in the cell's currency.
    fileprivate init(_ cell: SalesCellRow, key: String, label: String) {
        self.init(key: key, label: label, currency: cell.currency, signed: 0, contracts: 0, collected: 0, payments: 0)
    }

    fileprivate mutating func add(_ cell: SalesCellRow) {
        signed.saturatingIncrement(by: cell.signed)
        contracts.saturatingIncrement(by: cell.contracts)
        collected.saturatingIncrement(by: cell.collected)
        payments.saturatingIncrement(by: cell.payments)
    }
}
