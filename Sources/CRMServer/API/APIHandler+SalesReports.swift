import CRMDomain
import CRMReadModels
import HTTPTypes
import RapportAPI

/// The sales force's reports: funnel, activity, sales and targets, cut by rep and team.
extension APIHandler {
    /// Opportunities per stage in a month, quarter or year: counts, stage-to-stage conversion,
    /// time in stage, win rate. Every rep's together for admins, finance and auditors (or the
    /// `rep` named); a rep's own; a manager names a rep of their team.
    func funnel(_ input: Operations.Funnel.Input) async throws -> Operations.Funnel.Output {
        let rep = try scope.repOrEveryone(try caller, asked: input.query.rep, parameter: "rep")
        return .ok(
            .init(body: .json(try answer(FunnelQueries(store: reads).funnel(period: input.query.period, rep: rep))))
        )
    }

    /// One rep's follow-ups, claims, leads, quotes and contracts over a day, an ISO week or a
    /// month, day by day; the caller's own unless `rep` names a rep within their scope.
    func repActivity(_ input: Operations.RepActivity.Input) async throws -> Operations.RepActivity.Output {
        let query = input.query
        let rep = try scope.rep(try caller, asked: query.rep, parameter: "rep")
        let activity = ActivityQueries(store: reads)
        let report =
            switch try ActivityPeriod(day: query.day, week: query.week, month: query.month) {
            case .day(let day): try activity.report(rep: rep, day: day)
            case .week(let week): try activity.report(rep: rep, week: week)
            case .month(let month): try activity.report(rep: rep, month: month)
            }
        return .ok(.init(body: .json(try answer(report))))
    }

    /// Each rep's activity totals over the period. A manager sees their own team; admins,
    /// finance and auditors every team or the `team` named; reps use their own activity.
    func teamActivity(_ input: Operations.TeamActivity.Input) async throws -> Operations.TeamActivity.Output {
        let query = input.query
        let team = try scope.team(try caller, asked: query.team)
        let activity = ActivityQueries(store: reads)
        let report =
            switch try ActivityPeriod(day: query.day, week: query.week, month: query.month) {
            case .day(let day): try activity.teamReport(day: day, team: team)
            case .week(let week): try activity.teamReport(week: week, team: team)
            case .month(let month): try activity.teamReport(month: month, team: team)
            }
        return .ok(.init(body: .json(try answer(report))))
    }

    /// Amounts signed and collected in a period, per rep (the default), team, region or
    /// product, with totals per currency.
    ///
    /// By rep a rep sees their own row and a manager their team's reps, the totals being those
    /// rows'; by team a manager sees their own team (reps may not); by region or product the
    /// breakdown is the company's: admins, finance and auditors only (403 `outside_scope`).
    func sales(_ input: Operations.Sales.Input) async throws -> Operations.Sales.Output {
        let principal = try caller
        // The gate admits only the values the spec lists, which are the dimensions'.
        let dimension = input.query.by.flatMap { SalesDimension(rawValue: $0.rawValue) } ?? .rep
        var report = try SalesQueries(store: reads).sales(period: input.query.period, by: dimension)
        if !scope.seesEveryone(principal) {
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
        }
        return .ok(.init(body: .json(try answer(report))))
    }

    /// Each rep's and team's target for exactly that period, what they signed and the
    /// attainment. A rep sees their own row (no team's), a manager their team's reps and their
    /// team; admins, finance and auditors everyone.
    func salesTargets(_ input: Operations.SalesTargets.Input) async throws -> Operations.SalesTargets.Output {
        let principal = try caller
        var report = try SalesQueries(store: reads).targets(period: input.query.period)
        if !scope.seesEveryone(principal) {
            report.reps = try scope.visible(report.reps, to: principal, rep: \.holderID)
            let team = principal.role == .manager ? try scope.team(principal, asked: nil) : nil
            report.teams = report.teams.filter { $0.holderID == team }
        }
        return .ok(.init(body: .json(try answer(report))))
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

/// The period of an activity report: exactly one of `day`, `week` and `month`.
enum ActivityPeriod {
    case day(String)
    case week(String)
    case month(String)

    init(day: String?, week: String?, month: String?) throws(APIError) {
        let given = [day.map(Self.day), week.map(Self.week), month.map(Self.month)].compactMap { $0 }
        guard given.count == 1 else {
            throw .badRequest(
                .invalidQueryParameter,
                "give exactly one of day=yyyy-mm-dd, week=yyyy-Www and month=yyyy-mm",
                parameter: "day"
            )
        }
        self = given[0]
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
