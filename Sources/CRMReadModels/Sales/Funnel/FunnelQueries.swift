public import Projections

/// Reads the funnel (``FunnelProjector``) from the read-model store.
public struct FunnelQueries: Sendable {
    /// The store the funnel was built into.
    public let store: ReadModelStore

    /// Queries over `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    /// The funnel of a month (`2026-03`), a quarter (`2026-Q1`) or a year (`2026`), for every
    /// rep or for `rep`, summed from the month rows: a quarter reads three prefixes of a row
    /// per stage each.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period or an
    ///   empty rep; ``ProjectionError`` when the store cannot be read.
    public func funnel(period: String, rep: String? = nil) throws -> FunnelReport {
        let period = try SalesPeriod(period)
        if let rep { try SalesQueryCheck.id(rep, parameter: "rep") }
        var byStage: [String: FunnelCell] = [:]
        // A rep's cells are keyed `month|rep|stage`, the company's `month|stage`.
        let (table, stageField) = rep == nil ? ("companyCells", 1) : ("cells", 2)
        for month in period.months {
            let prefix = rep.map { FunnelProjector.key(month, $0, "") } ?? month + "|"
            for (key, cell) in try store.rows(
                FunnelCell.self,
                projector: FunnelProjector.name,
                table: table,
                prefix: prefix
            ) {
                let fields = key.split(separator: "|", maxSplits: stageField, omittingEmptySubsequences: false)
                guard fields.count > stageField else { continue }
                byStage[String(fields[stageField]), default: FunnelCell()].add(cell)
            }
        }
        let pipeline =
            try store.row(
                SalesPipeline.self,
                projector: FunnelProjector.name,
                table: "pipeline",
                key: SalesPipeline.key
            ) ?? .defaults
        let stageIDs = pipeline.displayOrder(pipeline.stages.map(\.id) + byStage.keys)
        var total = FunnelCell()
        let rows = stageIDs.map { stage in
            let cell = byStage[stage] ?? FunnelCell()
            total.add(cell)
            return FunnelStageRow(
                stageID: stage,
                name: pipeline.name(of: stage),
                opened: cell.opened,
                entered: cell.entered,
                advanced: cell.advanced,
                conversionRate: SalesQueryCheck.ratio(cell.advanced, cell.entered),
                stays: cell.stays,
                secondsInStage: cell.staySeconds,
                averageSecondsInStage: cell.stays > 0 ? cell.staySeconds / Int64(cell.stays) : nil,
                averageDaysInStage: cell.stays > 0 ? Double(cell.staySeconds) / Double(cell.stays) / 86_400 : nil,
                won: cell.won,
                lost: cell.lost,
                reopened: cell.reopened
            )
        }
        return FunnelReport(
            period: period.text,
            months: period.months,
            rep: rep,
            stages: rows,
            opened: total.opened,
            won: total.won,
            lost: total.lost,
            reopened: total.reopened,
            winRate: SalesQueryCheck.ratio(total.won, total.won + total.lost)
        )
    }
}
