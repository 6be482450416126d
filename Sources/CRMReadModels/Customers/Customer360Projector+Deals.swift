import CRMDomain
import CRMSchema
import EventStore
import Projections

// MARK: - Opportunities, contracts and their money

extension Customer360Projector {
    func apply(_ opened: CRMOpportunityOpened, _ event: CRMEvent) {
        opportunityCustomer[opened.opportunityID] = opened.customerID
        change(opened.customerID, event) { view in
            view.opportunities.append(
                Customer360.Opportunity(
                    opportunityID: opened.opportunityID,
                    name: opened.name,
                    stage: opened.stageID,
                    status: .open,
                    amount: CustomerMoney(minorUnits: opened.amount.minorUnits, currency: opened.amount.currency),
                    owner: opened.ownerID,
                    openedAt: event.occurredAt.nanosecondsSinceEpoch,
                    closedAt: nil,
                    reason: ""
                )
            )
        }
    }

    func apply(_ moved: CRMOpportunityStageChanged, _ event: CRMEvent) {
        changeOpportunity(moved.opportunityID, event) { $0.stage = moved.toStageID }
    }

    func apply(_ won: CRMOpportunityWon, _ event: CRMEvent) {
        changeOpportunity(won.opportunityID, event) { opportunity in
            opportunity.status = .won
            if won.hasAmount {
                opportunity.amount = CustomerMoney(minorUnits: won.amount.minorUnits, currency: won.amount.currency)
            }
            opportunity.closedAt = event.occurredAt.nanosecondsSinceEpoch
            opportunity.reason = won.reason
        }
    }

    func apply(_ lost: CRMOpportunityLost, _ event: CRMEvent) {
        changeOpportunity(lost.opportunityID, event) { opportunity in
            opportunity.status = .lost
            if !lost.stageID.isEmpty { opportunity.stage = lost.stageID }
            opportunity.closedAt = event.occurredAt.nanosecondsSinceEpoch
            opportunity.reason = lost.reason
        }
    }

    func apply(_ reopened: CRMOpportunityReopened, _ event: CRMEvent) {
        changeOpportunity(reopened.opportunityID, event) { opportunity in
            opportunity.status = .open
            if !reopened.stageID.isEmpty { opportunity.stage = reopened.stageID }
            opportunity.closedAt = nil
            opportunity.reason = reopened.reason
        }
    }

    /// Changes an opportunity of the customer it belongs to, and records the event.
    private func changeOpportunity(_ id: String, _ event: CRMEvent, _ body: (inout Customer360.Opportunity) -> Void) {
        change(opportunityCustomer[id], event) { view in
            guard let index = view.opportunities.lastIndex(where: { $0.opportunityID == id }) else { return }
            body(&view.opportunities[index])
        }
    }

    func apply(_ drafted: CRMContractDrafted, _ event: CRMEvent) {
        contractCustomer[drafted.contractID] = drafted.customerID
        let at = event.occurredAt.nanosecondsSinceEpoch
        let binding = drafted.approvalChain.isEmpty
        change(drafted.customerID, event) { view in
            view.contracts.append(
                Customer360.Contract(
                    contractID: drafted.contractID,
                    opportunityID: drafted.opportunityID,
                    quoteID: drafted.quoteID,
                    owner: drafted.ownerID,
                    status: binding ? .binding : .pendingApproval,
                    amount: drafted.amount.minorUnits,
                    currency: drafted.amount.currency,
                    draftedAt: at,
                    signedAt: binding ? at : nil
                )
            )
            view.totalReceivables()
        }
    }

    func apply(_ approved: CRMContractApproved, _ event: CRMEvent) {
        changeContract(approved.contractID, event) { contract in
            guard approved.binding else { return }
            contract.status = .binding
            contract.signedAt = event.occurredAt.nanosecondsSinceEpoch
        }
    }

    func apply(_ rejected: CRMContractRejected, _ event: CRMEvent) {
        changeContract(rejected.contractID, event) { $0.status = .rejected }
    }

    func apply(_ plan: CRMInstalmentsScheduled, _ event: CRMEvent) {
        changeContract(plan.contractID, event) { contract in
            for instalment in plan.instalments {
                contract.scheduled.saturatingIncrement(by: instalment.amount.minorUnits)
            }
        }
    }

    func apply(_ payment: CRMPaymentReceived, _ event: CRMEvent) {
        changeContract(payment.contractID, event) { contract in
            for allocation in payment.allocations {
                contract.collected.saturatingIncrement(by: allocation.amount.minorUnits)
            }
            contract.credit.saturatingIncrement(by: payment.credit.minorUnits)
        }
    }

    func apply(_ invoice: CRMInvoiceRequested, _ event: CRMEvent) {
        changeContract(invoice.contractID, event) { $0.invoiced.saturatingIncrement(by: invoice.amount.minorUnits) }
    }

    func apply(_ refund: CRMRefundPaid, _ event: CRMEvent) {
        changeContract(refund.contractID, event) { $0.refunded.saturatingIncrement(by: refund.amount.minorUnits) }
    }

    /// Changes a contract of the customer it belongs to, and records the event.
    /// Money and status change the contract's outstanding amount and the customer's totals.
    private func changeContract(_ id: String, _ event: CRMEvent, _ body: (inout Customer360.Contract) -> Void) {
        change(contractCustomer[id], event) { view in
            guard let index = view.contracts.lastIndex(where: { $0.contractID == id }) else { return }
            body(&view.contracts[index])
            view.contracts[index].settle()
            view.totalReceivables()
        }
    }
}

// MARK: - Work orders and complaints

extension Customer360Projector {
    func apply(_ opened: CRMWorkOrderOpened, _ event: CRMEvent) {
        workOrderCustomer[opened.workOrderID] = opened.customerID
        change(opened.customerID, event) { view in
            view.workOrders.append(
                Customer360.WorkOrder(
                    workOrderID: opened.workOrderID,
                    contractID: opened.contractID,
                    title: opened.title,
                    assignee: "",
                    status: .open,
                    openedAt: event.occurredAt.nanosecondsSinceEpoch,
                    resolvedAt: nil,
                    closedAt: nil
                )
            )
            view.countWorkOrders()
        }
    }

    func apply(_ assigned: CRMWorkOrderAssigned, _ event: CRMEvent) {
        changeWorkOrder(assigned.workOrderID, event) { $0.assignee = assigned.toAssigneeID }
    }

    func apply(_ resolved: CRMWorkOrderResolved, _ event: CRMEvent) {
        changeWorkOrder(resolved.workOrderID, event) { order in
            order.status = .resolved
            order.resolvedAt = event.occurredAt.nanosecondsSinceEpoch
        }
    }

    func apply(_ closed: CRMWorkOrderClosed, _ event: CRMEvent) {
        changeWorkOrder(closed.workOrderID, event) { order in
            order.status = .closed
            order.closedAt = event.occurredAt.nanosecondsSinceEpoch
        }
    }

    private func changeWorkOrder(_ id: String, _ event: CRMEvent, _ body: (inout Customer360.WorkOrder) -> Void) {
        change(workOrderCustomer[id], event) { view in
            guard let index = view.workOrders.lastIndex(where: { $0.workOrderID == id }) else { return }
            body(&view.workOrders[index])
            view.countWorkOrders()
        }
    }

    func apply(_ filed: CRMComplaintFiled, _ event: CRMEvent) {
        complaintCustomer[filed.complaintID] = filed.customerID
        change(filed.customerID, event) { view in
            view.complaints.append(
                Customer360.Complaint(
                    complaintID: filed.complaintID,
                    category: filed.category,
                    filedAt: event.occurredAt.nanosecondsSinceEpoch,
                    resolvedAt: nil,
                    rootCause: ""
                )
            )
            view.countComplaints()
        }
    }

    func apply(_ resolved: CRMComplaintResolved, _ event: CRMEvent) {
        change(complaintCustomer[resolved.complaintID], event) { view in
            guard let index = view.complaints.lastIndex(where: { $0.complaintID == resolved.complaintID }) else {
                return
            }
            view.complaints[index].resolvedAt = event.occurredAt.nanosecondsSinceEpoch
            view.complaints[index].rootCause = resolved.rootCause
            view.countComplaints()
        }
    }
}
