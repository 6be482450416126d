import CRMDomain
import CRMSchema
import EventStore
import Projections

// MARK: - Contracts and their approval

extension DealsProjector {
    func apply(_ drafted: CRMContractDrafted, at: Int64) {
        if let old = contracts[drafted.contractID] {
            // An id drafted twice is not something the domain does; the later draft wins whole.
            unindex(old.listing)
            for step in old.chain.indices { removePending(old, step: step) }
        }
        let chain = drafted.approvalChain.map { ContractRow.Step(role: UsersProjector.roleName($0)) }
        var row = ContractRow(
            listing: ContractListingRow(
                contractID: drafted.contractID,
                customerID: drafted.customerID,
                ownerID: drafted.ownerID,
                quoteID: drafted.quoteID,
                opportunityID: drafted.opportunityID,
                draftedAt: at,
                status: chain.isEmpty ? .binding : .pendingApproval,
                currency: drafted.amount.currency,
                listTotal: drafted.listTotal.minorUnits,
                amount: drafted.amount.minorUnits,
                discountBasisPoints: drafted.discountBasisPoints,
                boundAt: chain.isEmpty ? at : nil
            ),
            lines: drafted.lines.map(Self.line),
            chain: chain
        )
        if !chain.isEmpty { becomePending(&row, step: 0, since: at) }
        contracts[drafted.contractID] = row
        index(row.listing)
        quoteContracted(drafted.quoteID, contractID: drafted.contractID)
    }

    func apply(_ approved: CRMContractApproved, at: Int64) {
        decideStep(approved.contractID, Int(approved.step), at: at) { row, step in
            row.chain[step].decision = .approved
            (row.chain[step].approverID, row.chain[step].comment) = (approved.approverID, approved.comment)
            if approved.binding || step + 1 == row.chain.count {
                row.listing.status = .binding
                row.listing.boundAt = at
            } else {
                becomePending(&row, step: step + 1, since: at)
            }
        }
    }

    func apply(_ rejected: CRMContractRejected, at: Int64) {
        decideStep(rejected.contractID, Int(rejected.step), at: at) { row, step in
            row.chain[step].decision = .rejected
            (row.chain[step].approverID, row.chain[step].comment) = (rejected.approverID, rejected.comment)
            row.listing.status = .rejected
            row.listing.rejectedAt = at
        }
    }

    /// Decides the pending step `step`: takes it out of the pending items, counts its duration,
    /// then lets `decide` record the decision and what follows.
    private func decideStep(
        _ contractID: String,
        _ step: Int,
        at: Int64,
        _ decide: (inout ContractRow, Int) -> Void
    ) {
        guard var row = contracts[contractID], row.listing.status == .pendingApproval,
            row.listing.pendingStep == step, row.chain.indices.contains(step)
        else { return }
        removePending(row, step: step)
        unindex(row.listing)
        let since = row.chain[step].pendingSince ?? at
        row.chain[step].decidedAt = at
        (row.listing.pendingStep, row.listing.pendingRole) = (nil, nil)
        decide(&row, step)
        recordTiming(
            .contractStep,
            step: step,
            role: row.chain[step].role,
            since: since,
            decidedAt: at,
            approved: row.chain[step].decision == .approved
        )
        contracts[contractID] = row
        index(row.listing)
    }

    /// Makes `step` the one waiting since `since`, and puts it among the pending items.
    private func becomePending(_ row: inout ContractRow, step: Int, since: Int64) {
        row.chain[step].pendingSince = since
        (row.listing.pendingStep, row.listing.pendingRole) = (step, row.chain[step].role)
        let listing = row.listing
        pending[DealKey.pendingStep(since, contract: listing.contractID, step: step)] = PendingApprovalRow(
            kind: .contractStep,
            contractID: listing.contractID,
            refundID: "",
            customerID: listing.customerID,
            ownerID: listing.ownerID,
            currency: listing.currency,
            amount: listing.amount,
            step: step,
            role: row.chain[step].role,
            earlierApprovers: row.chain[..<step].compactMap { $0.decision == .approved ? $0.approverID : nil },
            reason: "",
            waitingSince: since
        )
    }

    private func removePending(_ row: ContractRow, step: Int) {
        guard let since = row.chain[step].pendingSince else { return }
        pending[DealKey.pendingStep(since, contract: row.listing.contractID, step: step)] = nil
    }

    /// Counts a decision that took from `since` to `decidedAt` on the business day it was made.
    private func recordTiming(
        _ kind: ApprovalKind,
        step: Int,
        role: String,
        since: Int64,
        decidedAt: Int64,
        approved: Bool
    ) {
        let day = BusinessDay(Timestamp(nanosecondsSinceEpoch: decidedAt))
        timings.update(
            DealKey.timing(day: day, kind: kind, step: step, role: role),
            default: ApprovalTimingRow(kind: kind, step: step, role: role)
        ) { $0.add(DealTime.seconds(from: since, to: decidedAt), approved: approved) }
    }

    func index(_ listing: ContractListingRow) {
        let suffix = DealKey.listingSuffix(listing.draftedAt, listing.contractID)
        contractsByCustomer[FinanceKey.prefix(listing.customerID) + suffix] = listing
        contractsByOwner[FinanceKey.prefix(listing.ownerID) + suffix] = listing
        contractsByStatus[FinanceKey.prefix(listing.status.rawValue) + suffix] = listing
    }

    func unindex(_ listing: ContractListingRow) {
        let suffix = DealKey.listingSuffix(listing.draftedAt, listing.contractID)
        contractsByCustomer[FinanceKey.prefix(listing.customerID) + suffix] = nil
        contractsByOwner[FinanceKey.prefix(listing.ownerID) + suffix] = nil
        contractsByStatus[FinanceKey.prefix(listing.status.rawValue) + suffix] = nil
    }
}

// MARK: - Plan, payments, invoices, shipments

extension DealsProjector {
    func apply(_ plan: CRMInstalmentsScheduled, at: Int64) {
        contracts.updateIfPresent(plan.contractID) { row in
            for instalment in plan.instalments {
                row.instalments.append(
                    ContractRow.Instalment(
                        number: instalment.number,
                        dueAt: DealTime.nanoseconds(instalment.dueAt),
                        amount: instalment.amount.minorUnits,
                        scheduledAt: at
                    )
                )
            }
        }
    }

    func apply(_ payment: CRMPaymentReceived, at: Int64) {
        contracts.updateIfPresent(payment.contractID) { row in
            for allocation in payment.allocations {
                guard let index = row.instalments.firstIndex(where: { $0.number == allocation.instalmentNumber })
                else { continue }
                row.instalments[index].paid.saturatingIncrement(by: allocation.amount.minorUnits)
            }
            row.payments.append(
                ContractRow.Payment(
                    paymentID: payment.paymentID,
                    receivedAt: at,
                    amount: payment.amount.minorUnits,
                    method: FinancePaymentMethod.name(payment.method),
                    clerkID: payment.clerkID,
                    bankReference: payment.bankReference,
                    allocations: payment.allocations.map {
                        ContractRow.Payment.Allocation(instalment: $0.instalmentNumber, amount: $0.amount.minorUnits)
                    },
                    credit: payment.credit.minorUnits
                )
            )
        }
    }

    func apply(_ invoice: CRMInvoiceRequested, at: Int64) {
        contracts.updateIfPresent(invoice.contractID) { row in
            row.invoices.append(
                ContractRow.Invoice(
                    invoiceID: invoice.invoiceID,
                    amount: invoice.amount.minorUnits,
                    title: invoice.title,
                    requestedAt: at
                )
            )
        }
    }

    func apply(_ issued: CRMInvoiceIssued, at: Int64) {
        contracts.updateIfPresent(issued.contractID) { row in
            guard let index = row.invoices.firstIndex(where: { $0.invoiceID == issued.invoiceID }) else { return }
            (row.invoices[index].issuedAt, row.invoices[index].number) = (at, issued.invoiceNumber)
        }
    }

    func apply(_ shipment: CRMShipmentDispatched, at: Int64) {
        contracts.updateIfPresent(shipment.contractID) { row in
            row.shipments.append(
                ContractRow.Shipment(
                    shipmentID: shipment.shipmentID,
                    dispatchedAt: at,
                    lines: shipment.lines.map { .init(productID: $0.productID, quantity: $0.quantity) }
                )
            )
        }
    }
}

// MARK: - Refunds

extension DealsProjector {
    func apply(_ request: CRMRefundRequested, at: Int64) {
        guard var row = contracts[request.contractID],
            !row.refunds.contains(where: { $0.refundID == request.refundID })
        else { return }
        row.refunds.append(
            ContractRow.Refund(
                refundID: request.refundID,
                amount: request.amount.minorUnits,
                reason: request.reason,
                returnGoods: request.returnGoods,
                requestedAt: at
            )
        )
        contracts[request.contractID] = row
        let listing = row.listing
        pending[DealKey.pendingRefund(at, contract: listing.contractID, refund: request.refundID)] =
            PendingApprovalRow(
                kind: .refund,
                contractID: listing.contractID,
                refundID: request.refundID,
                customerID: listing.customerID,
                ownerID: listing.ownerID,
                currency: request.amount.currency,
                amount: request.amount.minorUnits,
                step: 0,
                role: "",
                earlierApprovers: [],
                reason: request.reason,
                waitingSince: at
            )
    }

    /// A refund approved or rejected (with `reason`): out of the pending items, into the
    /// timings.
    func refundDecided(
        _ contractID: String,
        _ refundID: String,
        approved: Bool,
        by approver: String,
        reason: String,
        at: Int64
    ) {
        changeRefund(contractID, refundID) { refund in
            guard refund.decision == nil else { return }
            pending[DealKey.pendingRefund(refund.requestedAt, contract: contractID, refund: refundID)] = nil
            refund.decision = approved ? .approved : .rejected
            (refund.decidedBy, refund.decidedAt, refund.rejectionReason) = (approver, at, reason)
            recordTiming(.refund, step: 0, role: "", since: refund.requestedAt, decidedAt: at, approved: approved)
        }
    }

    func changeRefund(_ contractID: String, _ refundID: String, _ change: (inout ContractRow.Refund) -> Void) {
        contracts.updateIfPresent(contractID) { row in
            guard let index = row.refunds.firstIndex(where: { $0.refundID == refundID }) else { return }
            change(&row.refunds[index])
        }
    }
}
