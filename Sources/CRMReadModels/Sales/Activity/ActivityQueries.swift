public import Projections

/// Reads the activity reports (``ActivityProjector``) from the read-model store.
public struct ActivityQueries: Sendable {
    /// The store the reports were built into.
    public let store: ReadModelStore

    /// Queries over `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    // MARK: - One rep

    /// A rep's daily report, for `day` (`yyyy-mm-dd`).
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed day or rep,
    ///   `not_found` for a rep the read model has never seen; ``ProjectionError``.
    public func report(rep: String, day: String) throws -> ActivityReport {
        try report(rep: rep, period: day, range: try SalesDayRange(day: day))
    }

    /// A rep's weekly report, for an ISO week (`2026-W48`, Monday to Sunday).
    ///
    /// - Throws: as ``report(rep:day:)``, for a malformed week.
    public func report(rep: String, week: String) throws -> ActivityReport {
        try report(rep: rep, period: week, range: try SalesDayRange(week: week))
    }

    /// A rep's monthly report, for `month` (`2026-11`).
    ///
    /// - Throws: as ``report(rep:day:)``, for a malformed month.
    public func report(rep: String, month: String) throws -> ActivityReport {
        try report(rep: rep, period: month, range: try SalesDayRange(month: month))
    }

    // MARK: - The team

    /// Every rep's daily report for `day`, or the reps of `team`.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed day or
    ///   team; ``ProjectionError``.
    public func teamReport(day: String, team: String? = nil) throws -> TeamActivityReport {
        try teamReport(period: day, range: try SalesDayRange(day: day), team: team)
    }

    /// Every rep's weekly report for an ISO week, or the reps of `team`.
    public func teamReport(week: String, team: String? = nil) throws -> TeamActivityReport {
        try teamReport(period: week, range: try SalesDayRange(week: week), team: team)
    }

    /// Every rep's monthly report for `month`, or the reps of `team`.
    public func teamReport(month: String, team: String? = nil) throws -> TeamActivityReport {
        try teamReport(period: month, range: try SalesDayRange(month: month), team: team)
    }

    // MARK: - Reading

    private func report(rep: String, period: String, range: SalesDayRange) throws -> ActivityReport {
        try SalesQueryCheck.id(rep, parameter: "rep")
        guard let known = try store.row(ActivityRep.self, projector: ActivityProjector.name, table: "reps", key: rep)
        else {
            throw ReadModelQueryError(.notFound, "no activity or user \(rep) in the activity reports", parameter: "rep")
        }
        let days = try self.days(of: rep, in: range)
        var totals = ActivityCounts()
        for day in days { totals.add(day.counts) }
        return ActivityReport(
            rep: rep,
            name: known.name,
            period: period,
            from: SalesCalendar.day(range.from),
            to: SalesCalendar.day(range.to),
            totals: totals,
            days: days
        )
    }

    private func teamReport(period: String, range: SalesDayRange, team: String?) throws -> TeamActivityReport {
        if let team { try SalesQueryCheck.id(team, parameter: "team") }
        var rows: [TeamActivityRow] = []
        var totals = ActivityCounts()
        for (rep, known) in try store.rows(ActivityRep.self, projector: ActivityProjector.name, table: "reps") {
            if let team, known.team != team { continue }
            var counts = ActivityCounts()
            for day in try days(of: rep, in: range) { counts.add(day.counts) }
            guard known.salesRep || !counts.isEmpty else { continue }
            totals.add(counts)
            rows.append(TeamActivityRow(rep: rep, name: known.name, team: known.team, totals: counts))
        }
        rows.sort { ($0.name, $0.rep) < ($1.name, $1.rep) }
        return TeamActivityReport(
            period: period,
            from: SalesCalendar.day(range.from),
            to: SalesCalendar.day(range.to),
            team: team,
            reps: rows,
            totals: totals
        )
    }

    /// The rep's days with activity in `range`: one range of keys, `rep|first` to `rep|last`.
    private func days(of rep: String, in range: SalesDayRange) throws -> [ActivityDay] {
        let first = SalesCalendar.day(range.from)
        let last = SalesCalendar.day(range.to)
        let before = rep + "|" + SalesCalendar.day(range.from.adding(days: -1))
        return try store.rows(
            ActivityCounts.self,
            projector: ActivityProjector.name,
            table: "days",
            prefix: rep + "|",
            after: before,
            limit: range.count
        )
        .compactMap { key, counts in
            let day = String(key.dropFirst(rep.count + 1))
            return day >= first && day <= last ? ActivityDay(day: day, counts: counts) : nil
        }
    }
}
