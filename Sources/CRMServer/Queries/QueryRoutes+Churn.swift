import CRMReadModels
import Hummingbird

/// Why customers and deals were lost, and what came back: company-wide figures with no rep's
/// cut, for admins, managers, finance and auditors (reps may not: 403 `forbidden`).
extension QueryRoutes {
    func addChurn(to router: some RouterMethods<RapportRequestContext>) {
        router.get("v1/churn/losses", use: churnLosses)
        router.get("v1/churn/reasons", use: churnReasons)
        router.get("v1/churn/win-backs", use: churnWinBacks)
        router.get("v1/churn/customer-flow", use: customerFlow)
    }

    /// `GET /v1/churn/losses?period=`: opportunities lost in a month, quarter or year by the
    /// stage they were lost at, with the time from the customer's first follow-up to the loss.
    @Sendable func churnLosses(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.require(Self.overseers)
        return try .encoded(try ChurnQueries(store: store).lossesByStage(period: try QueryParameters(request).period()))
    }

    /// `GET /v1/churn/reasons?period=`: why opportunities were lost, ranked by count.
    @Sendable func churnReasons(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.require(Self.overseers)
        return try .encoded(try ChurnQueries(store: store).reasons(period: try QueryParameters(request).period()))
    }

    /// `GET /v1/churn/win-backs?period=`: customers reclaimed from the pool, lost
    /// opportunities reopened, and contracts signed after a loss.
    @Sendable func churnWinBacks(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.require(Self.overseers)
        return try .encoded(try ChurnQueries(store: store).winBacks(period: try QueryParameters(request).period()))
    }

    /// `GET /v1/churn/customer-flow?from=yyyy-mm&to=yyyy-mm`: new, lost, won-back, total and
    /// owned customers month by month (at most 240 months).
    @Sendable func customerFlow(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.require(Self.overseers)
        let query = QueryParameters(request)
        return try .encoded(try ChurnQueries(store: store).customerFlow(from: try query.required("from", "yyyy-mm"), to: try query.required("to", "yyyy-mm")))
    }
}
