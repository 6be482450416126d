import CRMReadModels
import Hummingbird

/// The sales force's reports: funnel, activity, sales and targets, cut by rep and team.
extension QueryRoutes {
    func addSales(to router: some RouterMethods<RapportRequestContext>) {
        router.get("v1/funnel", use: funnel)
        router.get("v1/activity", use: repActivity)
        router.get("v1/activity/team", use: teamActivity)
        router.get("v1/sales", use: sales)
        router.get("v1/sales/targets", use: targets)
    }

    /// `GET /v1/funnel?period=&rep=`: opportunities per stage in a month, quarter or year:
    /// counts, stage-to-stage conversion, time in stage, win rate. Every rep's together for
    /// admins, finance and auditors (or the `rep` named); a rep's own; a manager names a rep of
    /// their team.
    @Sendable func funnel(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let query = QueryParameters(request)
        let rep = try scope.repOrEveryone(principal, asked: try query.optional("rep"), parameter: "rep")
        return try .encoded(try FunnelQueries(store: store).funnel(period: try query.period(), rep: rep))
    }

    /// `GET /v1/activity?rep=&day=|week=|month=`: one rep's follow-ups, claims, leads, quotes
    /// and contracts over a day, an ISO week (`2026-W48`) or a month, day by day; the caller's
    /// own unless `rep` names a rep within their scope.
    @Sendable func repActivity(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let query = QueryParameters(request)
        let rep = try scope.rep(principal, asked: try query.optional("rep"), parameter: "rep")
        let activity = ActivityQueries(store: store)
        return switch try Self.activityPeriod(query) {
        case .day(let day): try .encoded(try activity.report(rep: rep, day: day))
        case .week(let week): try .encoded(try activity.report(rep: rep, week: week))
        case .month(let month): try .encoded(try activity.report(rep: rep, month: month))
        }
    }

    /// `GET /v1/activity/team?day=|week=|month=&team=`: each rep's activity totals over the
    /// period. A manager sees their own team; admins, finance and auditors every team or the
    /// `team` named; reps use `/v1/activity`.
    @Sendable func teamActivity(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let query = QueryParameters(request)
        let team = try scope.team(principal, asked: try query.optional("team"))
        let activity = ActivityQueries(store: store)
        return switch try Self.activityPeriod(query) {
        case .day(let day): try .encoded(try activity.teamReport(day: day, team: team))
        case .week(let week): try .encoded(try activity.teamReport(week: week, team: team))
        case .month(let month): try .encoded(try activity.teamReport(month: month, team: team))
        }
    }

    /// `GET /v1/sales?period=&by=rep|team|region|product`: amounts signed and collected in a
    /// month, quarter or year, per rep (the default), team, region or product, with totals
    /// per currency.
    ///
    /// By rep a rep sees their own row and a manager their team's reps, the totals being those
    /// rows'; by team a manager sees their own team (reps may not); by region or product the
    /// breakdown is the company's: admins, finance and auditors only (403 `outside_scope`).
    @Sendable func sales(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let query = QueryParameters(request)
        let by = try query.optional("by", as: String.self) ?? SalesDimension.rep.rawValue
        guard let dimension = SalesDimension(rawValue: by) else {
            let known = SalesDimension.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.badRequest(.invalidQueryParameter, "by is one of \(known), not \"\(by)\"", parameter: "by")
        }
        var report = try SalesQueries(store: store).sales(period: try query.period(), by: dimension)
        guard !scope.seesEveryone(principal) else { return try .encoded(report) }
        switch dimension {
        case .rep:
            report.rows = try scope.visible(report.rows, to: principal, rep: \.key)
        case .team:
            guard principal.role == .manager else { throw Self.companyWide("a breakdown by team", principal) }
            let team = try scope.team(principal, asked: nil)
            report.rows = report.rows.filter { $0.key == team }
        case .region, .product:
            throw Self.companyWide("a breakdown by \(dimension.rawValue)", principal)
        }
        report.totals = Self.totals(of: report.rows)
        return try .encoded(report)
    }

    /// `GET /v1/sales/targets?period=`: each rep's and team's target for exactly that period,
    /// what they signed and the attainment. A rep sees their own row (no team's), a manager
    /// their team's reps and their team; admins, finance and auditors everyone.
    @Sendable func targets(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        var report = try SalesQueries(store: store).targets(period: try QueryParameters(request).period())
        guard !scope.seesEveryone(principal) else { return try .encoded(report) }
        report.reps = try scope.visible(report.reps, to: principal, rep: \.holderID)
        let team = principal.role == .manager ? try scope.team(principal, asked: nil) : nil
        report.teams = report.teams.filter { $0.holderID == team }
        return try .encoded(report)
    }

    // MARK: - Helpers

    /// The period of an activity report: exactly one of `day`, `week` and `month`.
    enum ActivityPeriod {
        case day(String)
        case week(String)
        case month(String)
    }

    static func activityPeriod(_ query: QueryParameters) throws -> ActivityPeriod {
        let given = [
            try query.optional("day").map(ActivityPeriod.day), try query.optional("week").map(ActivityPeriod.week),
            try query.optional("month").map(ActivityPeriod.month),
        ].compactMap { $0 }
        guard given.count == 1 else {
            throw APIError.badRequest(
                .invalidQueryParameter,
                "give exactly one of day=yyyy-mm-dd, week=yyyy-Www and month=yyyy-mm",
                parameter: "day"
            )
        }
        return given[0]
    }

    /// The refusal of a company-wide breakdown to someone who sees only part of the company.
    static func companyWide(_ what: String, _ principal: Principal) -> APIError {
        APIError(
            .forbidden,
            .outsideScope,
            "\(what) covers the whole company: admin, finance and auditor only",
            facts: ["role": principal.role.rawValue]
        )
    }

    /// Totals per currency of the rows a restricted caller sees.
    private static func totals(of rows: [SalesFigures]) -> [SalesFigures] {
        var totals: [String: SalesFigures] = [:]
        for row in rows { totals[row.currency, default: row.zeroed()].add(row) }
        return totals.keys.sorted().map { totals[$0]! }
    }
}

extension SalesFigures {
    /// The total row of the figures' currency, before anything is added.
    fileprivate func zeroed() -> SalesFigures {
        var zero = self
        (zero.key, zero.label, zero.signed, zero.contracts, zero.collected, zero.payments) = ("", "", 0, 0, 0, 0)
        return zero
    }

    fileprivate mutating func add(_ other: SalesFigures) {
        signed += other.signed
        contracts += other.contracts
        collected += other.collected
        payments += other.payments
    }
}
