import CRMReadModels
import RapportAPI

/// Why customers and deals were lost, and what came back: company-wide figures with no rep's
/// cut, for admins, managers, finance and auditors (the access table keeps reps out).
extension APIHandler {
    private var churn: ChurnQueries { ChurnQueries(store: reads) }

    /// Opportunities lost in a period by the stage they were lost at, with the time from the
    /// customer's first follow-up to the loss.
    func churnLosses(_ input: Operations.ChurnLosses.Input) async throws -> Operations.ChurnLosses.Output {
        .ok(.init(body: .json(try answer(churn.lossesByStage(period: input.query.period)))))
    }

    /// Why opportunities were lost in a period, ranked by count.
    func churnReasons(_ input: Operations.ChurnReasons.Input) async throws -> Operations.ChurnReasons.Output {
        .ok(.init(body: .json(try answer(churn.reasons(period: input.query.period)))))
    }

    /// Customers reclaimed from the pool, lost opportunities reopened, and contracts signed
    /// after a loss, in a period.
    func churnWinBacks(_ input: Operations.ChurnWinBacks.Input) async throws -> Operations.ChurnWinBacks.Output {
        .ok(.init(body: .json(try answer(churn.winBacks(period: input.query.period)))))
    }

    /// New, lost, won-back, total and owned customers month by month, `from` to `to`
    /// (at most 240 months).
    func customerFlow(_ input: Operations.CustomerFlow.Input) async throws -> Operations.CustomerFlow.Output {
        .ok(.init(body: .json(try answer(churn.customerFlow(from: input.query.from, to: input.query.to)))))
    }
}
