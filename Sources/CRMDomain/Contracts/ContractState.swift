public import CRMSchema
public import SwiftProtobuf

/// One contract, folded from its stream (`contract-<id>`): its terms, approval, payment
/// plan, payments, invoices, refunds and commission.
public struct ContractState: Sendable, Hashable {
    /// Where a contract is in its approval.
    public enum Status: String, Sendable, Hashable {
        case absent
        /// Drafted; waiting for the next step of its approval chain.
        case pendingApproval
        /// Fully approved, or needed no approval: it binds both parties.
        case binding
        /// An approver refused it.
        case rejected
    }

    /// A refund's progress.
    public struct Refund: Sendable, Hashable {
        public var request: CRMRefundRequested
        public var approved = false
        public var rejected = false
        public var goodsReceived = false
        public var paid = false
    }

    /// The contract's id.
    public var contractID: String
    public var status = Status.absent
    /// The contract as drafted.
    public var drafted = CRMContractDrafted()
    /// The approvals given, in chain order.
    public var approvals: [CRMContractApproved] = []
    /// The payment plan, in the order scheduled.
    public var instalments: [CRMInstalment] = []
    /// Minor units allocated to each instalment, by number.
    public var allocated: [Int32: Int64] = [:]
    /// Minor units received beyond the instalments, kept as the customer's credit.
    public var credit: Int64 = 0
    /// The payment that carries each bank reference, by the reference's comparison key
    /// (``ReceivableDecisions/bankReferenceKey(_:)``).
    public var paymentsByBankReference: [String: String] = [:]
    /// Minor units of invoices requested, issued or not.
    public var invoiced: Int64 = 0
    /// Whether each invoice has been issued, by invoice id.
    public var invoices: [String: Bool] = [:]
    /// The refunds by id.
    public var refunds: [String: Refund] = [:]
    /// Fractions of a minor unit of commission (in 1/10000) carried to the next payment.
    public var commissionCarry: Int64 = 0
    /// Units shipped so far, by product id.
    public var shipped: [String: Int64] = [:]

    /// A contract not seen yet.
    public init(contractID: String) {
        self.contractID = contractID
    }

    /// The contract amount in minor units.
    public var amount: Int64 { drafted.amount.minorUnits }
    /// The contract's currency.
    public var currency: String { drafted.amount.currency }
    /// Minor units scheduled in instalments.
    public var scheduled: Int64 { instalments.lazy.map(\.amount.minorUnits).saturatingSum() }
    /// Minor units collected: allocated to instalments.
    public var collected: Int64 { allocated.values.saturatingSum() }
    /// Minor units of refunds requested and not rejected.
    public var refundsCommitted: Int64 {
        refunds.values.lazy.filter { !$0.rejected }.map(\.request.amount.minorUnits).saturatingSum()
    }
    /// Units ordered by the contract, by product id.
    public var ordered: [String: Int64] {
        drafted.lines.reduce(into: [:]) { $0[$1.productID, default: 0].saturatingIncrement(by: Int64($1.quantity)) }
    }
    /// The chain step waiting for approval, if any.
    public var pendingStep: Int? { status == .pendingApproval ? approvals.count : nil }

    /// Folds one event of the contract's stream.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        switch event {
        case let contract as CRMContractDrafted:
            drafted = contract
            status = contract.approvalChain.isEmpty ? .binding : .pendingApproval
        case let approved as CRMContractApproved:
            approvals.append(approved)
            if approved.binding { status = .binding }
        case is CRMContractRejected:
            status = .rejected
        case let scheduled as CRMInstalmentsScheduled:
            instalments += scheduled.instalments
        case let payment as CRMPaymentReceived:
            // Figures from the log saturate rather than trap (see `saturatingAdd`).
            for allocation in payment.allocations {
                allocated[allocation.instalmentNumber, default: 0].saturatingIncrement(by: allocation.amount.minorUnits)
            }
            credit.saturatingIncrement(by: payment.credit.minorUnits)
            if !payment.bankReference.isEmpty {
                paymentsByBankReference[ReceivableDecisions.bankReferenceKey(payment.bankReference)] = payment.paymentID
            }
        case let commission as CRMCommissionEarned:
            let exact = commission.collected.minorUnits.saturatingMultiply(Int64(commission.rateBasisPoints))
            commissionCarry.saturatingIncrement(
                by: exact.saturatingSubtract(commission.commission.minorUnits.saturatingMultiply(10_000))
            )
        case let invoice as CRMInvoiceRequested:
            invoiced.saturatingIncrement(by: invoice.amount.minorUnits)
            invoices[invoice.invoiceID] = false
        case let issued as CRMInvoiceIssued:
            invoices[issued.invoiceID] = true
        case let request as CRMRefundRequested:
            refunds[request.refundID] = Refund(request: request)
        case let approved as CRMRefundApproved:
            refunds[approved.refundID]?.approved = true
        case let rejected as CRMRefundRejected:
            refunds[rejected.refundID]?.rejected = true
        case let goods as CRMReturnedGoodsReceived:
            refunds[goods.refundID]?.goodsReceived = true
        case let paid as CRMRefundPaid:
            refunds[paid.refundID]?.paid = true
        case let shipment as CRMShipmentDispatched:
            for line in shipment.lines {
                shipped[line.productID, default: 0].saturatingIncrement(by: Int64(line.quantity))
            }
        default:
            break
        }
    }
}
