import CRMDomain
import CRMSchema
import EventStore
public import Projections

/// The service read model (`service`): work orders, complaints and satisfaction surveys per
/// month and per rep.
///
/// The rep is the customer's owner: when the work order was opened (its closing counts for the
/// same rep, so each rep's opened minus closed is what is open for them), when the complaint
/// was filed, when the survey was taken. Months are those of the business day of each event:
/// a work order opened in March and closed in April counts as opened in March and closed in
/// April, with its whole time to close in April.
///
/// Tables:
/// - `cells`: `month|rep` → ``ServiceCellRow``;
/// - `open-work-orders`, `open-complaints`: id → when it was opened and its rep, until it is
///   closed or resolved;
/// - `customer-owners`: customer id → its current owner.
public final class ServiceProjector: Projector {
    /// The read model's name.
    public static let name = "service"
    /// Version 1: the first layout.
    public static let version: UInt32 = 1
    /// Work orders, complaints, surveys, and who owns each customer.
    public static let eventTypes: Set<String> = [
        CRMWorkOrderOpened.protoMessageName, CRMWorkOrderClosed.protoMessageName,
        CRMComplaintFiled.protoMessageName, CRMComplaintResolved.protoMessageName,
        CRMSatisfactionSurveyed.protoMessageName,
        CRMCustomerCreated.protoMessageName, CRMCustomerOwnershipChanged.protoMessageName,
    ]

    let cells = ReadModelTable<ServiceCellRow>("cells")
    let openWorkOrders = ReadModelTable<ServiceOpenRow>("open-work-orders")
    let openComplaints = ReadModelTable<ServiceOpenRow>("open-complaints")
    let owners = ReadModelTable<ServiceOwnerRow>("customer-owners")

    /// An empty read model.
    public init() {}

    /// The projector's tables.
    public var tables: [any ReadModelTableProtocol] { [cells, openWorkOrders, openComplaints, owners] }

    /// Folds one event.
    public func apply(_ event: CRMEvent) throws {
        let time = event.occurredAt.nanosecondsSinceEpoch
        // Changes of owner are by far the most frequent events here: test for them first.
        switch event.payload {
        case let changed as CRMCustomerOwnershipChanged:
            owners[changed.customerID] = ServiceOwnerRow(ownerID: changed.toOwnerID)
        case let created as CRMCustomerCreated:
            owners[created.customerID] = ServiceOwnerRow(ownerID: created.ownerID)
        case let opened as CRMWorkOrderOpened:
            let rep = owners[opened.customerID]?.ownerID ?? ""
            openWorkOrders[opened.workOrderID] = ServiceOpenRow(openedAt: time, repID: rep)
            update(event, rep) { $0.workOrdersOpened += 1 }
        case let closed as CRMWorkOrderClosed:
            guard let open = openWorkOrders[closed.workOrderID] else { return }
            openWorkOrders[closed.workOrderID] = nil
            update(event, open.repID) {
                $0.workOrdersClosed += 1
                $0.closeMinutes.saturatingIncrement(by: Self.minutes(from: open.openedAt, to: time))
            }
        case let filed as CRMComplaintFiled:
            let rep = owners[filed.customerID]?.ownerID ?? ""
            openComplaints[filed.complaintID] = ServiceOpenRow(openedAt: time, repID: rep)
            update(event, rep) {
                $0.complaintsFiled += 1
                $0.filedByCategory[filed.category, default: 0] += 1
            }
        case let resolved as CRMComplaintResolved:
            guard let open = openComplaints[resolved.complaintID] else { return }
            openComplaints[resolved.complaintID] = nil
            update(event, open.repID) {
                $0.complaintsResolved += 1
                $0.resolutionMinutes.saturatingIncrement(by: Self.minutes(from: open.openedAt, to: time))
                $0.resolvedByRootCause[resolved.rootCause, default: 0] += 1
            }
        case let survey as CRMSatisfactionSurveyed where (1...5).contains(survey.score):
            update(event, owners[survey.customerID]?.ownerID ?? "") {
                $0.surveys += 1
                // A score outside 1-5 (an import) is counted in the sum and mean, not in the histogram.
                if $0.scores.indices.contains(Int(survey.score) - 1) { $0.scores[Int(survey.score) - 1] += 1 }
                $0.scoreSum.saturatingIncrement(by: Int(survey.score))
            }
        default:
            break
        }
    }

    private func update(_ event: CRMEvent, _ rep: String, _ change: (inout ServiceCellRow) -> Void) {
        let month = BusinessDay(event.occurredAt).month
        cells.update(FinanceKey.join(month, rep), default: ServiceCellRow(month: month, repID: rep), change)
    }

    /// Whole minutes between two times in nanoseconds, rounded down, never negative (a fact
    /// entered late with an earlier business time counts as no time).
    private static func minutes(from start: Int64, to end: Int64) -> Int64 {
        max(0, end.saturatingSubtract(start) / 60_000_000_000)
    }
}
