import CRMReadModels
import Hummingbird

/// Service work: work orders, complaints and satisfaction. The company's figures are for
/// admins, managers, finance and auditors; the per-rep ones are cut by rep (a rep sees their
/// own row, a manager their team's reps').
extension QueryRoutes {
    func addService(to router: some RouterMethods<RapportRequestContext>) {
        let service = ServiceQueries(store: store)
        // `?period=`: work orders opened and closed, complaints by category and root cause,
        // satisfaction scores, over a month, quarter or year.
        router.get("v1/service/statistics", use: periodReport { try service.statistics(period: $0) })
        router.get("v1/service/months", use: serviceMonths)
        router.get("v1/service/reps", use: serviceReps)
        router.get("v1/service/open", use: serviceOpen)
    }

    /// `GET /v1/service/months?period=`: the same figures for each month of the period that
    /// has any.
    @Sendable func serviceMonths(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        let period = try QueryParameters(request).period()
        return try .encoded(
            ServicePeriodRows(period: period, months: try ServiceQueries(store: store).months(period: period))
        )
    }

    /// `GET /v1/service/reps?period=`: the figures of each rep with any in the period, by rep
    /// id, cut to the caller's scope.
    @Sendable func serviceReps(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let period = try QueryParameters(request).period()
        let reps = try scope.visible(try ServiceQueries(store: store).reps(period: period), to: principal, rep: \.repID)
        return try .encoded(ServicePeriodRows(period: period, reps: reps))
    }

    /// `GET /v1/service/open`: the work orders and complaints open now, per rep, cut to the
    /// caller's scope, with the totals of the reps shown.
    @Sendable func serviceOpen(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        var open = try ServiceQueries(store: store).openNow()
        guard !scope.seesEveryone(principal) else { return try .encoded(open) }
        open.byRep = try scope.visible(open.byRep, to: principal, rep: \.repID)
        open.workOrders = open.byRep.reduce(0) { $0 + $1.workOrders }
        open.complaints = open.byRep.reduce(0) { $0 + $1.complaints }
        return try .encoded(open)
    }
}

/// A period's service figures per month or per rep.
private struct ServicePeriodRows: Encodable {
    var period: String
    var months: [ServiceMonth]?
    var reps: [ServiceRep]?
}
