import CRMReadModels
import Hummingbird

/// Why customers and deals were lost, and what came back: company-wide figures with no rep's
/// cut, for admins, managers, finance and auditors (reps may not: 403 `forbidden`).
extension QueryRoutes {
    func addChurn(to router: some RouterMethods<RapportRequestContext>) {
        let churn = ChurnQueries(store: store)
        // `?period=`: opportunities lost in a month, quarter or year by the stage they were lost
        // at, with the time from the customer's first follow-up to the loss.
        router.get("v1/churn/losses", use: periodReport { try churn.lossesByStage(period: $0) })
        // `?period=`: why opportunities were lost, ranked by count.
        router.get("v1/churn/reasons", use: periodReport { try churn.reasons(period: $0) })
        // `?period=`: customers reclaimed from the pool, lost opportunities reopened, and
        // contracts signed after a loss.
        router.get("v1/churn/win-backs", use: periodReport { try churn.winBacks(period: $0) })
        router.get("v1/churn/customer-flow", use: customerFlow)
    }

    /// `GET /v1/churn/customer-flow?from=yyyy-mm&to=yyyy-mm`: new, lost, won-back, total and
    /// owned customers month by month (at most 240 months).
    @Sendable func customerFlow(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        let query = QueryParameters(request)
        let flow = try ChurnQueries(store: store).customerFlow(
            from: try query.required("from", "yyyy-mm"),
            to: try query.required("to", "yyyy-mm")
        )
        return try .encoded(flow)
    }
}
