import CRMDomain
public import Projections

/// Reads the churn timeline (``ChurnProjector``) from the read-model store.
public struct ChurnQueries: Sendable {
    /// The most months ``customerFlow(from:to:)`` answers at once.
    public static let maxFlowMonths = 240

    /// The store the timeline was built into.
    public let store: ReadModelStore

    /// Queries over `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    /// Opportunities lost in a month, quarter or year, by the stage they were lost at, with
    /// the time from the customer's first follow-up to the loss.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period;
    ///   ``ProjectionError`` when the store cannot be read.
    public func lossesByStage(period: String) throws -> ChurnLossesByStage {
        let period = try SalesPeriod(period)
        var byStage: [String: ChurnLossCell] = [:]
        for (key, cell) in try rows(ChurnLossCell.self, table: "losses", months: period.months) {
            byStage[key, default: ChurnLossCell()].add(cell)
        }
        let pipeline =
            try store.row(SalesPipeline.self, projector: ChurnProjector.name, table: "pipeline", key: SalesPipeline.key)
            ?? .defaults
        var total = ChurnLossCell()
        for cell in byStage.values { total.add(cell) }
        let stages = pipeline.displayOrder(byStage.keys).map { stage in
            let cell = byStage[stage]!
            return ChurnStageLosses(
                stageID: stage,
                name: pipeline.name(of: stage),
                lost: cell.lost,
                share: SalesQueryCheck.ratio(cell.lost, total.lost) ?? 0,
                timeToLoss: Self.timeToLoss(cell)
            )
        }
        return ChurnLossesByStage(
            period: period.text,
            months: period.months,
            lost: total.lost,
            timeToLoss: Self.timeToLoss(total),
            stages: stages
        )
    }

    /// Why opportunities were lost in a month, quarter or year, ranked by count.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period;
    ///   ``ProjectionError`` when the store cannot be read.
    public func reasons(period: String) throws -> ChurnReasons {
        let period = try SalesPeriod(period)
        var counts: [String: Int] = [:]
        for (reason, row) in try rows(ChurnCount.self, table: "reasons", months: period.months) {
            counts[reason, default: 0].saturatingIncrement(by: row.count)
        }
        let total = counts.values.reduce(0, +)
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var ranked: [ChurnReason] = []
        for (index, (reason, count)) in sorted.enumerated() {
            // Equal counts share the rank of the first of them.
            let rank = index > 0 && sorted[index - 1].value == count ? ranked[index - 1].rank : index + 1
            ranked.append(
                ChurnReason(rank: rank, reason: reason, count: count, share: SalesQueryCheck.ratio(count, total) ?? 0)
            )
        }
        return ChurnReasons(period: period.text, months: period.months, lost: total, reasons: ranked)
    }

    /// The win-backs of a month, quarter or year.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period;
    ///   ``ProjectionError`` when the store cannot be read.
    public func winBacks(period: String) throws -> ChurnWinBacks {
        let period = try SalesPeriod(period)
        var sum = ChurnMonth()
        for month in period.months {
            guard let row = try store.row(ChurnMonth.self, projector: ChurnProjector.name, table: "months", key: month)
            else { continue }
            sum.reclaimedCustomers.saturatingIncrement(by: row.reclaimedCustomers)
            sum.reopenedOpportunities.saturatingIncrement(by: row.reopenedOpportunities)
            sum.contractsAfterLoss.saturatingIncrement(by: row.contractsAfterLoss)
        }
        return ChurnWinBacks(
            period: period.text,
            months: period.months,
            reclaimedCustomers: sum.reclaimedCustomers,
            reopenedOpportunities: sum.reopenedOpportunities,
            contractsAfterLoss: sum.contractsAfterLoss,
            total: sum.reclaimedCustomers + sum.reopenedOpportunities + sum.contractsAfterLoss
        )
    }

    /// New, lost, won-back, total and owned customers for each month from `from` to `to`
    /// (`yyyy-mm`, both included).
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed month, `to`
    ///   before `from`, or more than ``maxFlowMonths`` months; ``ProjectionError`` when the
    ///   store cannot be read.
    public func customerFlow(from: String, to: String) throws -> ChurnCustomerFlow {
        let first = try SalesPeriod.month(from, parameter: "from")
        let last = try SalesPeriod.month(to, parameter: "to")
        guard first <= last else { throw ReadModelQueryError.invalid("to", "to (\(to)) is before from (\(from))") }
        let months = SalesCalendar.months(from: Self.yearMonth(first), through: Self.yearMonth(last))
        guard months.count <= Self.maxFlowMonths else {
            throw ReadModelQueryError.invalid(
                "to",
                "\(months.count) months asked for; at most \(Self.maxFlowMonths) at once"
            )
        }
        // Totals run from the first month on record: read every month row up to `to` (one per
        // month of history, a few dozen).
        var total = 0
        var owned = 0
        var stored: [String: ChurnMonth] = [:]
        for (month, row) in try store.rows(ChurnMonth.self, projector: ChurnProjector.name, table: "months")
        where month <= last {
            if month < first {
                total.saturatingIncrement(by: row.newCustomers)
                owned.saturatingIncrement(
                    by: row.createdOwned.saturatingAdd(row.claimed).saturatingSubtract(row.released)
                )
            } else {
                stored[month] = row
            }
        }
        let flows = months.map { month in
            let row = stored[month] ?? ChurnMonth()
            total.saturatingIncrement(by: row.newCustomers)
            owned.saturatingIncrement(by: row.createdOwned.saturatingAdd(row.claimed).saturatingSubtract(row.released))
            return ChurnMonthFlow(
                month: month,
                newCustomers: row.newCustomers,
                lostCustomers: row.lostCustomers,
                wonBackCustomers: row.reclaimedCustomers,
                totalCustomers: total,
                ownedCustomers: owned,
                released: row.released,
                claimed: row.claimed,
                lostOpportunities: row.lostOpportunities,
                reopenedOpportunities: row.reopenedOpportunities,
                contractsAfterLoss: row.contractsAfterLoss
            )
        }
        return ChurnCustomerFlow(from: first, to: last, months: flows)
    }

    // MARK: - Helpers

    /// The rows of `table` under the `months`, keyed by what follows `yyyy-mm|`.
    private func rows<Row: Decodable>(_: Row.Type, table: String, months: [String]) throws -> [(key: String, row: Row)]
    {
        var found: [(key: String, row: Row)] = []
        for month in months {
            for (key, row) in try store.rows(
                Row.self,
                projector: ChurnProjector.name,
                table: table,
                prefix: month + "|"
            ) {
                found.append((String(key.dropFirst(month.count + 1)), row))
            }
        }
        return found
    }

    private static func timeToLoss(_ cell: ChurnLossCell) -> ChurnTimeToLoss {
        ChurnTimeToLoss(
            timed: cell.timed,
            totalDays: cell.days,
            averageDays: cell.timed > 0 ? Double(cell.days) / Double(cell.timed) : nil,
            buckets: ChurnDaysBucket.all.enumerated().map { index, bucket in
                ChurnBucketCount(bucket: bucket, count: index < cell.buckets.count ? cell.buckets[index] : 0)
            }
        )
    }

    private static func yearMonth(_ month: String) -> (year: Int, month: Int) {
        let bytes = Array(month.utf8)
        return (SalesPeriod.number(bytes[0..<4]) ?? 1, SalesPeriod.number(bytes[5..<7]) ?? 1)
    }
}
