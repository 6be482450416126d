import CRMReadModels
import RapportAPI

/// Service work: work orders, complaints and satisfaction. The company's figures are for
/// admins, managers, finance and auditors; the per-rep ones are cut by rep (a rep sees their
/// own row, a manager their team's reps').
extension APIHandler {
    private var serviceWork: ServiceQueries { ServiceQueries(store: reads) }

    /// Work orders opened and closed, complaints by category and root cause, satisfaction
    /// scores, over a period.
    func serviceStatistics(
        _ input: Operations.ServiceStatistics.Input
    ) async throws -> Operations.ServiceStatistics.Output {
        .ok(.init(body: .json(try answer(serviceWork.statistics(period: input.query.period)))))
    }

    /// The same figures for each month of the period that has any.
    func serviceMonths(_ input: Operations.ServiceMonths.Input) async throws -> Operations.ServiceMonths.Output {
        let period = input.query.period
        return .ok(.init(body: .json(.init(period: period, months: try answer(serviceWork.months(period: period))))))
    }

    /// The figures of each rep with any in the period, by rep id, cut to the caller's scope.
    func serviceReps(_ input: Operations.ServiceReps.Input) async throws -> Operations.ServiceReps.Output {
        let period = input.query.period
        let reps = try scope.visible(try serviceWork.reps(period: period), to: try caller, rep: \.repID)
        return .ok(.init(body: .json(.init(period: period, reps: try answer(reps)))))
    }

    /// The work orders and complaints open now, per rep, cut to the caller's scope, with the
    /// totals of the reps shown.
    func serviceOpen(_ input: Operations.ServiceOpen.Input) async throws -> Operations.ServiceOpen.Output {
        let principal = try caller
        var open = try serviceWork.openNow()
        if !scope.seesEveryone(principal) {
            open.byRep = try scope.visible(open.byRep, to: principal, rep: \.repID)
            open.workOrders = open.byRep.reduce(0) { $0 + $1.workOrders }
            open.complaints = open.byRep.reduce(0) { $0 + $1.complaints }
        }
        return .ok(.init(body: .json(try answer(open))))
    }
}
