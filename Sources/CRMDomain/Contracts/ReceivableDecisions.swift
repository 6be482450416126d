public import CRMSchema
public import Foundation
import SwiftProtobuf

/// What a binding contract's customer owes and pays: the payment plan, payments allocated
/// to it, commission on what is collected, invoices and refunds. Every amount is in the
/// contract's currency, and the totals never pass their limits: instalments and invoices
/// the contract amount, refunds what was collected.
public enum ReceivableDecisions {
    /// An instalment to schedule.
    public struct NewInstalment: Sendable, Hashable {
        public var dueAt: Date
        public var amount: CRMMoney

        /// `amount` due at `dueAt`.
        public init(dueAt: Date, amount: CRMMoney) {
            self.dueAt = dueAt
            self.amount = amount
        }
    }

    /// Adds instalments to the plan, numbered on from the last.
    ///
    /// - Throws: `contract_not_binding`; `field_required` without instalments;
    ///   `invalid_value` for an amount of zero or less; `currency_mismatch`;
    ///   `plan_exceeds_contract` (with `scheduled`, `adding` and `amount`).
    public static func schedule(
        _ contract: ContractState,
        _ instalments: [NewInstalment]
    ) throws(DomainError) -> CRMInstalmentsScheduled {
        try ContractDecisions.requireBinding(contract)
        guard !instalments.isEmpty else {
            throw DomainError(.fieldRequired, "at least one instalment is required", facts: ["field": "instalments"])
        }
        var event = CRMInstalmentsScheduled()
        event.contractID = contract.contractID
        var adding: Int64 = 0
        for (offset, new) in instalments.enumerated() {
            adding = try Pricing.add(adding, try positive(new.amount, in: contract, "amount"))
            var instalment = CRMInstalment()
            instalment.number = Int32(contract.instalments.count + offset + 1)
            (instalment.dueAt, instalment.amount) = (Google_Protobuf_Timestamp(date: new.dueAt), new.amount)
            event.instalments.append(instalment)
        }
        guard try Pricing.add(contract.scheduled, adding) <= contract.amount else {
            throw DomainError(
                .planExceedsContract,
                "the plan would hold \(contract.scheduled.saturatingAdd(adding)) of a contract of \(contract.amount) \(contract.currency)",
                facts: [
                    "scheduled": String(contract.scheduled), "adding": String(adding),
                    "amount": String(contract.amount),
                ]
            )
        }
        return event
    }

    /// A payment, and the owner's commission on it when a rate is in force.
    public struct Payment: Sendable, Hashable {
        public var received: CRMPaymentReceived
        public var commission: CRMCommissionEarned?
    }

    /// Money received on a binding contract, allocated to the instalments oldest due first
    /// (by due time, then number); what is left over is the customer's credit.
    ///
    /// The commission is `rate × collected` with fractions carried to the next payment, so
    /// a contract's commissions add up to exactly its collected amounts times their rates.
    ///
    /// A bank reference, given with a payment, makes a second recording of the same transfer
    /// a refusal rather than money counted twice, even when the clerk's retry carries no
    /// idempotency key.
    ///
    /// - Throws: `contract_not_binding`; `no_payment_plan`; `invalid_value` for an amount of
    ///   zero or less, no method, or a bank reference longer than
    ///   ``maxBankReferenceLength`` or holding control characters; `currency_mismatch`;
    ///   `duplicate_bank_reference` (with `existing`, the payment that carries it).
    public static func receivePayment(
        _ contract: ContractState,
        paymentID: String,
        amount: CRMMoney,
        method: CRMPaymentMethod,
        bankReference: String = "",
        clerkID: String,
        commissionRateBasisPoints: Int32
    ) throws(DomainError) -> Payment {
        try ContractDecisions.requireBinding(contract)
        let bankReference = try validBankReference(bankReference)
        if !bankReference.isEmpty, let existing = contract.paymentsByBankReference[bankReferenceKey(bankReference)] {
            throw DomainError(
                .duplicateBankReference,
                "payment \(existing) of contract \(contract.contractID) carries bank reference \(bankReference) already",
                facts: ["existing": existing, "bankReference": bankReference]
            )
        }
        guard !contract.instalments.isEmpty else {
            throw DomainError(
                .noPaymentPlan,
                "contract \(contract.contractID) has no instalments to pay; schedule them first"
            )
        }
        var remaining = try positive(amount, in: contract, "amount")
        try requireMethod(method)
        var received = CRMPaymentReceived()
        (received.paymentID, received.contractID, received.customerID) = (
            paymentID, contract.contractID, contract.drafted.customerID
        )
        (received.amount, received.method, received.clerkID) = (amount, method, clerkID)
        received.bankReference = bankReference
        let oldestFirst = contract.instalments.sorted { ($0.dueAt.date, $0.number) < ($1.dueAt.date, $1.number) }
        for instalment in oldestFirst where remaining > 0 {
            let outstanding = instalment.amount.minorUnits.saturatingSubtract(
                contract.allocated[instalment.number, default: 0]
            )
            guard outstanding > 0 else { continue }
            let share = min(outstanding, remaining)
            var allocation = CRMPaymentAllocation()
            (allocation.instalmentNumber, allocation.amount) = (
                instalment.number, CRMMoney(minorUnits: share, currency: contract.currency)
            )
            received.allocations.append(allocation)
            remaining -= share
        }
        received.credit = CRMMoney(minorUnits: remaining, currency: contract.currency)

        let collected = amount.minorUnits - remaining
        guard commissionRateBasisPoints > 0, collected > 0 else { return Payment(received: received, commission: nil) }
        let exact = try Pricing.add(
            try Pricing.multiply(collected, Int64(commissionRateBasisPoints)),
            contract.commissionCarry
        )
        var commission = CRMCommissionEarned()
        (commission.contractID, commission.paymentID, commission.repID) = (
            contract.contractID, paymentID, contract.drafted.ownerID
        )
        commission.collected = CRMMoney(minorUnits: collected, currency: contract.currency)
        commission.rateBasisPoints = commissionRateBasisPoints
        commission.commission = CRMMoney(minorUnits: exact / 10_000, currency: contract.currency)
        return Payment(received: received, commission: commission)
    }

    /// The longest bank reference taken, in characters; banks' own are 16 to 35.
    public static let maxBankReferenceLength = 64

    /// What two bank references are compared by: banks print the same reference in either
    /// case.
    public static func bankReferenceKey(_ reference: String) -> String {
        reference.uppercased()
    }

    /// The reference trimmed of surrounding white space; empty when none was given.
    static func validBankReference(_ reference: String) throws(DomainError) -> String {
        let trimmed = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= maxBankReferenceLength else {
            throw DomainError(
                .invalidValue,
                "a bank reference has at most \(maxBankReferenceLength) characters",
                facts: ["field": "bankReference"]
            )
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw DomainError(
                .invalidValue,
                "a bank reference holds no control characters",
                facts: ["field": "bankReference"]
            )
        }
        return trimmed
    }

    /// An invoice request; all invoices together never exceed the contract amount.
    ///
    /// - Throws: `contract_not_binding`; `invalid_value`; `currency_mismatch`;
    ///   `field_required` without a title; `invoice_exceeds_contract` (with `invoiced`).
    public static func requestInvoice(
        _ contract: ContractState,
        invoiceID: String,
        amount: CRMMoney,
        title: String
    ) throws(DomainError) -> CRMInvoiceRequested {
        try ContractDecisions.requireBinding(contract)
        let minorUnits = try positive(amount, in: contract, "amount")
        guard try Pricing.add(contract.invoiced, minorUnits) <= contract.amount else {
            throw DomainError(
                .invoiceExceedsContract,
                "invoices would total \(contract.invoiced.saturatingAdd(minorUnits)) of a contract of \(contract.amount) \(contract.currency)",
                facts: [
                    "invoiced": String(contract.invoiced), "requested": String(minorUnits),
                    "amount": String(contract.amount),
                ]
            )
        }
        var event = CRMInvoiceRequested()
        (event.invoiceID, event.contractID, event.amount) = (invoiceID, contract.contractID, amount)
        event.title = try required(title, "title")
        return event
    }

    /// Finance issues a requested invoice under its number.
    ///
    /// - Throws: `invoice_not_found`; `invoice_already_issued`; `field_required`.
    public static func issueInvoice(
        _ contract: ContractState,
        invoiceID: String,
        number: String
    ) throws(DomainError) -> CRMInvoiceIssued {
        guard let issued = contract.invoices[invoiceID] else {
            throw DomainError(
                .invoiceNotFound,
                "contract \(contract.contractID) has no invoice \(invoiceID)",
                facts: ["invoice": invoiceID]
            )
        }
        guard !issued else {
            throw DomainError(
                .invoiceAlreadyIssued,
                "invoice \(invoiceID) was issued already",
                facts: ["invoice": invoiceID]
            )
        }
        var event = CRMInvoiceIssued()
        (event.invoiceID, event.contractID, event.invoiceNumber) = (
            invoiceID, contract.contractID, try required(number, "invoice_number")
        )
        return event
    }

    /// A refund request; refunds not rejected never exceed what was collected.
    ///
    /// - Throws: `contract_not_binding`; `invalid_value`; `currency_mismatch`;
    ///   `reason_required`; `refund_exceeds_collected` (with `collected` and `committed`).
    public static func requestRefund(
        _ contract: ContractState,
        refundID: String,
        amount: CRMMoney,
        reason: String,
        returnGoods: Bool
    ) throws(DomainError) -> CRMRefundRequested {
        try ContractDecisions.requireBinding(contract)
        let minorUnits = try positive(amount, in: contract, "amount")
        guard try Pricing.add(contract.refundsCommitted, minorUnits) <= contract.collected else {
            throw DomainError(
                .refundExceedsCollected,
                "refunds would total \(contract.refundsCommitted.saturatingAdd(minorUnits)) but \(contract.collected) \(contract.currency) was collected",
                facts: [
                    "collected": String(contract.collected), "committed": String(contract.refundsCommitted),
                    "requested": String(minorUnits),
                ]
            )
        }
        var event = CRMRefundRequested()
        (event.refundID, event.contractID, event.amount, event.returnGoods) = (
            refundID, contract.contractID, amount, returnGoods
        )
        event.reason = try required(reason, "reason", code: .reasonRequired)
        return event
    }

    /// Finance, an admin, or a manager of the contract's owner approves a requested refund.
    ///
    /// - Throws: `refund_not_found`; `refund_not_ready`; `not_approver`.
    public static func approveRefund(
        _ contract: ContractState,
        refundID: String,
        by approver: UserState,
        owner: UserState
    ) throws(DomainError) -> CRMRefundApproved {
        _ = try pendingRefund(contract, refundID, by: approver, owner: owner)
        var event = CRMRefundApproved()
        (event.refundID, event.contractID, event.approverID) = (refundID, contract.contractID, approver.userID)
        return event
    }

    /// The same approvers refuse a requested refund, with the reason.
    ///
    /// - Throws: as ``approveRefund(_:refundID:by:owner:)``; `reason_required`.
    public static func rejectRefund(
        _ contract: ContractState,
        refundID: String,
        by approver: UserState,
        owner: UserState,
        reason: String
    ) throws(DomainError) -> CRMRefundRejected {
        _ = try pendingRefund(contract, refundID, by: approver, owner: owner)
        var event = CRMRefundRejected()
        (event.refundID, event.contractID, event.approverID) = (refundID, contract.contractID, approver.userID)
        event.reason = try required(reason, "reason", code: .reasonRequired)
        return event
    }

    /// The goods of an approved refund that asked for them came back.
    ///
    /// - Throws: `refund_not_found`; `refund_not_ready`.
    public static func receiveReturnedGoods(
        _ contract: ContractState,
        refundID: String
    ) throws(DomainError) -> CRMReturnedGoodsReceived {
        let refund = try existingRefund(contract, refundID)
        guard refund.approved, refund.request.returnGoods, !refund.goodsReceived else {
            throw notReady(
                refundID,
                refund.request.returnGoods
                    ? "it is not approved, or the goods are back already" : "it asked for no goods back"
            )
        }
        var event = CRMReturnedGoodsReceived()
        (event.refundID, event.contractID) = (refundID, contract.contractID)
        return event
    }

    /// The money of an approved refund goes out, after the goods came back if it asked for them.
    ///
    /// - Throws: `refund_not_found`; `refund_not_ready`; `invalid_value` without a method.
    public static func payRefund(
        _ contract: ContractState,
        refundID: String,
        method: CRMPaymentMethod
    ) throws(DomainError) -> CRMRefundPaid {
        let refund = try existingRefund(contract, refundID)
        guard refund.approved, !refund.paid else {
            throw notReady(refundID, refund.paid ? "it was paid already" : "it is not approved")
        }
        guard !refund.request.returnGoods || refund.goodsReceived else {
            throw notReady(refundID, "the goods are not back yet")
        }
        try requireMethod(method)
        var event = CRMRefundPaid()
        (event.refundID, event.contractID, event.amount, event.method) = (
            refundID, contract.contractID, refund.request.amount, method
        )
        return event
    }

    /// Checks a commission rate: 0-10000 basis points.
    ///
    /// - Throws: `invalid_value`.
    public static func validate(
        _ configured: CRMCommissionRateConfigured
    ) throws(DomainError) -> CRMCommissionRateConfigured {
        guard (0...10_000).contains(configured.rateBasisPoints) else {
            throw DomainError(
                .invalidValue,
                "a commission rate is 0 to 10000 basis points",
                facts: ["field": "rate_basis_points"]
            )
        }
        return configured
    }

    // MARK: - Shared checks

    /// The minor units of a positive amount in the contract's currency.
    private static func positive(
        _ money: CRMMoney,
        in contract: ContractState,
        _ field: String
    ) throws(DomainError) -> Int64 {
        let money = try money.validated(field)
        guard money.currency == contract.currency else {
            throw DomainError(
                .currencyMismatch,
                "contract \(contract.contractID) is in \(contract.currency), not \(money.currency)",
                facts: ["currency": contract.currency]
            )
        }
        guard money.minorUnits > 0 else {
            throw DomainError(.invalidValue, "\(field) must be more than zero", facts: ["field": field])
        }
        return money.minorUnits
    }

    private static func requireMethod(_ method: CRMPaymentMethod) throws(DomainError) {
        switch method {
        case .bankTransfer, .cash, .card, .cheque, .alipay, .wechatPay: return
        default:
            throw DomainError(
                .invalidValue,
                "money moves by bank transfer, cash, card, cheque, Alipay or WeChat Pay",
                facts: ["field": "method"]
            )
        }
    }

    private static func existingRefund(
        _ contract: ContractState,
        _ refundID: String
    ) throws(DomainError) -> ContractState.Refund {
        guard let refund = contract.refunds[refundID] else {
            throw DomainError(
                .refundNotFound,
                "contract \(contract.contractID) has no refund \(refundID)",
                facts: ["refund": refundID]
            )
        }
        guard !refund.rejected else { throw notReady(refundID, "it was rejected") }
        return refund
    }

    private static func pendingRefund(
        _ contract: ContractState,
        _ refundID: String,
        by approver: UserState,
        owner: UserState
    ) throws(DomainError) -> ContractState.Refund {
        let refund = try existingRefund(contract, refundID)
        guard !refund.approved else { throw notReady(refundID, "it is approved already") }
        try ContractDecisions.requireOwner(owner, of: contract)
        try UserDecisions.requireActive(approver)
        let allowed =
            approver.role == .finance || approver.role == .admin
            || (approver.role == .manager && approver.manages(owner))
        guard allowed, approver.userID != contract.drafted.ownerID else {
            throw DomainError(
                .notApprover,
                "\(approver.userID) may not decide refund \(refundID): finance, an admin or the owner's manager may",
                facts: ["refund": refundID]
            )
        }
        return refund
    }

    private static func notReady(_ refundID: String, _ why: String) -> DomainError {
        DomainError(.refundNotReady, "refund \(refundID) cannot take this step: \(why)", facts: ["refund": refundID])
    }
}
