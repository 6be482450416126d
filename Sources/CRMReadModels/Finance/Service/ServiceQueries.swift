import CRMDomain
public import Projections

/// Questions to the service read model. A period is a month `yyyy-mm`, a quarter `yyyy-Qn` or
/// a year `yyyy`.
public struct ServiceQueries: Sendable {
    /// The store the read model lives in.
    public let store: ReadModelStore

    /// Queries against `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    /// The figures of `period`, every rep together.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period.
    public func statistics(period: String) throws -> ServiceStatistics {
        var total = ServiceCellRow(month: "", repID: "")
        for cell in try cells(try FinancePeriod(period)) { total.add(cell) }
        return total.statistics
    }

    /// The figures of each month of `period` that has any.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period.
    public func months(period: String) throws -> [ServiceMonth] {
        var months: [String: ServiceCellRow] = [:]
        for cell in try cells(try FinancePeriod(period)) {
            months[cell.month, default: ServiceCellRow(month: cell.month, repID: "")].add(cell)
        }
        return months.keys.sorted().map { ServiceMonth(month: $0, statistics: months[$0]!.statistics) }
    }

    /// The figures of each rep with any in `period`, by rep.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period.
    public func reps(period: String) throws -> [ServiceRep] {
        var reps: [String: ServiceCellRow] = [:]
        for cell in try cells(try FinancePeriod(period)) {
            reps[cell.repID, default: ServiceCellRow(month: "", repID: cell.repID)].add(cell)
        }
        return reps.keys.sorted().map { ServiceRep(repID: $0, statistics: reps[$0]!.statistics) }
    }

    /// The work orders and complaints open now: everything opened minus everything closed,
    /// over the whole history.
    public func openNow() throws -> ServiceOpenItems {
        var byRep: [String: ServiceOpenByRep] = [:]
        for cell in try store.rows(ServiceCellRow.self, projector: ServiceProjector.name, table: "cells").map(\.row) {
            byRep[cell.repID, default: ServiceOpenByRep(repID: cell.repID, workOrders: 0, complaints: 0)].workOrders
                .saturatingIncrement(by: cell.workOrdersOpened.saturatingSubtract(cell.workOrdersClosed))
            byRep[cell.repID]!.complaints.saturatingIncrement(
                by: cell.complaintsFiled.saturatingSubtract(cell.complaintsResolved)
            )
        }
        let open = byRep.values.filter { $0.workOrders != 0 || $0.complaints != 0 }.sorted { $0.repID < $1.repID }
        return ServiceOpenItems(
            workOrders: open.lazy.map(\.workOrders).saturatingSum(),
            complaints: open.lazy.map(\.complaints).saturatingSum(),
            byRep: open
        )
    }

    private func cells(_ period: FinancePeriod) throws -> [ServiceCellRow] {
        try period.months.flatMap { month in
            try store.rows(
                ServiceCellRow.self,
                projector: ServiceProjector.name,
                table: "cells",
                prefix: FinanceKey.prefix(month)
            ).map(\.row)
        }
    }
}

extension ServiceCellRow {
    /// Adds another cell's figures.
    fileprivate mutating func add(_ other: ServiceCellRow) {
        workOrdersOpened.saturatingIncrement(by: other.workOrdersOpened)
        workOrdersClosed.saturatingIncrement(by: other.workOrdersClosed)
        closeMinutes.saturatingIncrement(by: other.closeMinutes)
        complaintsFiled.saturatingIncrement(by: other.complaintsFiled)
        complaintsResolved.saturatingIncrement(by: other.complaintsResolved)
        resolutionMinutes.saturatingIncrement(by: other.resolutionMinutes)
        filedByCategory.merge(other.filedByCategory, uniquingKeysWith: +)
        resolvedByRootCause.merge(other.resolvedByRootCause, uniquingKeysWith: +)
        surveys.saturatingIncrement(by: other.surveys)
        for index in scores.indices { scores[index].saturatingIncrement(by: other.scores[index]) }
        scoreSum.saturatingIncrement(by: other.scoreSum)
    }

    fileprivate var statistics: ServiceStatistics {
        func ranked(_ counts: [String: Int]) -> [KeyedCount] {
            counts.map { KeyedCount(key: $0.key, count: $0.value) }.sorted { ($1.count, $0.key) < ($0.count, $1.key) }
        }
        return ServiceStatistics(
            workOrders: WorkOrderStatistics(
                opened: workOrdersOpened,
                closed: workOrdersClosed,
                meanMinutesToClose: workOrdersClosed == 0 ? nil : closeMinutes / Int64(workOrdersClosed)
            ),
            complaints: ComplaintStatistics(
                filed: complaintsFiled,
                resolved: complaintsResolved,
                byCategory: ranked(filedByCategory),
                byRootCause: ranked(resolvedByRootCause),
                meanMinutesToResolve: complaintsResolved == 0 ? nil : resolutionMinutes / Int64(complaintsResolved)
            ),
            satisfaction: SatisfactionStatistics(
                surveys: surveys,
                scores: scores,
                averageHundredths: surveys == 0
                    ? nil : Int(FinanceMath.scale(Int64(scoreSum), by: 100, over: Int64(surveys), halfUp: true))
            )
        )
    }
}
