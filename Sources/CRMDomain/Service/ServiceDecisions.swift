public import CRMSchema
public import SwiftProtobuf

/// One work order, folded from its stream (`workorder-<id>`).
public struct WorkOrderState: Sendable, Hashable {
    /// Where a work order is in its life.
    public enum Status: String, Sendable, Hashable {
        case absent, open, resolved, closed
    }

    public var workOrderID: String
    public var status = Status.absent
    public var customerID = ""
    /// The assigned user; empty when unassigned.
    public var assigneeID = ""

    /// A work order not seen yet.
    public init(workOrderID: String) {
        self.workOrderID = workOrderID
    }

    /// Folds one event of the work order's stream.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        switch event {
        case let opened as CRMWorkOrderOpened: (status, customerID) = (.open, opened.customerID)
        case let assigned as CRMWorkOrderAssigned: assigneeID = assigned.toAssigneeID
        case is CRMWorkOrderResolved: status = .resolved
        case is CRMWorkOrderClosed: status = .closed
        default: break
        }
    }
}

/// One complaint, folded from its stream (`complaint-<id>`).
public struct ComplaintState: Sendable, Hashable {
    public var complaintID: String
    public var exists = false
    public var resolved = false

    /// A complaint not seen yet.
    public init(complaintID: String) {
        self.complaintID = complaintID
    }

    /// Folds one event of the complaint's stream.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        if event is CRMComplaintFiled { exists = true }
        if event is CRMComplaintResolved { resolved = true }
    }
}

/// After-sales service: work orders (open, assign, resolve, close), complaints (filed with a
/// category, resolved with root cause and resolution) and satisfaction surveys (1-5).
public enum ServiceDecisions {
    /// A work order for an existing customer.
    ///
    /// - Throws: `customer_not_found`; `field_required` without a title.
    public static func openWorkOrder(
        id: String,
        customer: CustomerState,
        contractID: String,
        title: String,
        description: String
    ) throws(DomainError)
        -> CRMWorkOrderOpened
    {
        try CustomerDecisions.requireExists(customer)
        var event = CRMWorkOrderOpened()
        (event.workOrderID, event.customerID, event.contractID) = (id, customer.customerID, contractID)
        (event.title, event.description_p) = (try required(title, "title"), description)
        return event
    }

    /// Assigns an open work order to an active user.
    ///
    /// - Throws: `work_order_not_found`; `work_order_not_ready` once resolved; `user_not_found`,
    ///   `user_inactive`; `no_change` for the current assignee.
    public static func assign(
        _ workOrder: WorkOrderState,
        to user: UserState
    ) throws(DomainError) -> CRMWorkOrderAssigned {
        try require(workOrder, in: .open, "assigned")
        try UserDecisions.requireActive(user)
        guard user.userID != workOrder.assigneeID else {
            throw DomainError(.noChange, "work order \(workOrder.workOrderID) is assigned to \(user.userID) already")
        }
        var event = CRMWorkOrderAssigned()
        (event.workOrderID, event.fromAssigneeID, event.toAssigneeID) = (
            workOrder.workOrderID, workOrder.assigneeID, user.userID
        )
        return event
    }

    /// Resolves an open work order, saying how.
    ///
    /// - Throws: `work_order_not_found`; `work_order_not_ready`; `field_required`.
    public static func resolve(
        _ workOrder: WorkOrderState,
        resolution: String
    ) throws(DomainError) -> CRMWorkOrderResolved {
        try require(workOrder, in: .open, "resolved")
        var event = CRMWorkOrderResolved()
        (event.workOrderID, event.resolution) = (workOrder.workOrderID, try required(resolution, "resolution"))
        return event
    }

    /// Closes a resolved work order once the customer confirms.
    ///
    /// - Throws: `work_order_not_found`; `work_order_not_ready`.
    public static func close(_ workOrder: WorkOrderState) throws(DomainError) -> CRMWorkOrderClosed {
        try require(workOrder, in: .resolved, "closed")
        var event = CRMWorkOrderClosed()
        event.workOrderID = workOrder.workOrderID
        return event
    }

    /// A complaint from an existing customer, with its category.
    ///
    /// - Throws: `customer_not_found`; `field_required` without a category.
    public static func fileComplaint(
        id: String,
        customer: CustomerState,
        category: String,
        description: String
    ) throws(DomainError) -> CRMComplaintFiled {
        try CustomerDecisions.requireExists(customer)
        var event = CRMComplaintFiled()
        (event.complaintID, event.customerID) = (id, customer.customerID)
        (event.category, event.description_p) = (try required(category, "category").lowercased(), description)
        return event
    }

    /// Resolves a complaint with its root cause and resolution.
    ///
    /// - Throws: `complaint_not_found`; `complaint_resolved`; `field_required`.
    public static func resolveComplaint(
        _ complaint: ComplaintState,
        rootCause: String,
        resolution: String
    ) throws(DomainError) -> CRMComplaintResolved {
        guard complaint.exists else {
            throw DomainError(
                .complaintNotFound,
                "no complaint \(complaint.complaintID)",
                facts: ["complaint": complaint.complaintID]
            )
        }
        guard !complaint.resolved else {
            throw DomainError(.complaintResolved, "complaint \(complaint.complaintID) is resolved already")
        }
        var event = CRMComplaintResolved()
        event.complaintID = complaint.complaintID
        (event.rootCause, event.resolution) = (
            try required(rootCause, "root_cause"), try required(resolution, "resolution")
        )
        return event
    }

    /// A satisfaction survey answer from an existing customer.
    ///
    /// - Throws: `customer_not_found`; `invalid_value` for a score outside 1-5.
    public static func survey(
        id: String,
        customer: CustomerState,
        workOrderID: String,
        score: Int32,
        comment: String
    ) throws(DomainError)
        -> CRMSatisfactionSurveyed
    {
        try CustomerDecisions.requireExists(customer)
        guard (1...5).contains(score) else {
            throw DomainError(.invalidValue, "a satisfaction score is 1 to 5, not \(score)", facts: ["field": "score"])
        }
        var event = CRMSatisfactionSurveyed()
        (event.surveyID, event.customerID, event.workOrderID, event.score, event.comment) = (
            id, customer.customerID, workOrderID, score, comment
        )
        return event
    }

    private static func require(
        _ workOrder: WorkOrderState,
        in status: WorkOrderState.Status,
        _ action: String
    ) throws(DomainError) {
        guard workOrder.status != .absent else {
            throw DomainError(
                .workOrderNotFound,
                "no work order \(workOrder.workOrderID)",
                facts: ["work_order": workOrder.workOrderID]
            )
        }
        guard workOrder.status == status else {
            throw DomainError(
                .workOrderNotReady,
                "work order \(workOrder.workOrderID) is \(workOrder.status.rawValue); only a \(status.rawValue) one can be \(action)",
                facts: ["status": workOrder.status.rawValue]
            )
        }
    }
}
