public import Foundation

// MARK: - Shared

/// A priced product line of a quote or a contract.
public struct DealLine: Codable, Sendable, Hashable {
    public var productID: String
    /// The product's name when it was priced.
    public var productName: String
    public var quantity: Int
    /// The list price per unit when it was priced.
    public var unitPrice: CustomerMoney
    /// 0-10000; one basis point is 0.01%.
    public var discountBasisPoints: Int
    /// Quantity × unit price less the discount, rounded half up.
    public var lineTotal: CustomerMoney
}

// MARK: - Quotes

/// Where a quote stands at the moment asked about.
public enum QuoteStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Neither accepted nor rejected, and still valid.
    case open
    /// The customer accepted it.
    case accepted
    /// The customer rejected it (the reason is on the quote).
    case rejected
    /// Neither accepted nor rejected, and past its validity.
    case expired
}

/// A quote as lists show it.
public struct QuoteSummary: Codable, Sendable, Hashable {
    public var quoteID: String
    public var customerID: String
    /// Empty when quoted without an opportunity.
    public var opportunityID: String
    /// The customer's owner when it was quoted.
    public var ownerID: String
    /// When it was made (business time).
    public var createdAt: Date
    /// The last moment it can be accepted.
    public var validUntil: Date
    /// As of the `now` of the query.
    public var status: QuoteStatus
    /// Before discounts.
    public var listTotal: CustomerMoney
    /// The sum of the line totals.
    public var total: CustomerMoney
    /// The overall discount, 1 - total / list total, in basis points rounded down.
    public var discountBasisPoints: Int
    /// The contract drafted from it, if one was.
    public var contractID: String?
}

/// A quote with its lines and how it was decided.
public struct QuoteDetail: Codable, Sendable, Hashable {
    public var quoteID: String
    public var customerID: String
    /// Empty when quoted without an opportunity.
    public var opportunityID: String
    /// The customer's owner when it was quoted.
    public var ownerID: String
    /// When it was made (business time).
    public var createdAt: Date
    /// The last moment it can be accepted.
    public var validUntil: Date
    /// As of the `now` of the query.
    public var status: QuoteStatus
    public var lines: [DealLine]
    /// Before discounts.
    public var listTotal: CustomerMoney
    /// The sum of the line totals.
    public var total: CustomerMoney
    /// The overall discount, 1 - total / list total, in basis points rounded down.
    public var discountBasisPoints: Int
    /// When it was accepted or rejected.
    public var decidedAt: Date?
    /// Why the customer rejected it.
    public var rejectionReason: String?
    /// The contract drafted from it, if one was.
    public var contractID: String?
}

/// One page of quotes, newest first.
public struct QuotePage: Codable, Sendable, Hashable {
    public var quotes: [QuoteSummary]
    /// The id to pass as `after` for the next page; `nil` on the last page.
    public var next: String?
}

// MARK: - Contracts

/// A contract as lists show it.
public struct ContractSummary: Codable, Sendable, Hashable {
    public var contractID: String
    public var customerID: String
    /// The rep who earns the commission; set when drafted, never changed.
    public var ownerID: String
    /// Empty when drafted directly from lines.
    public var quoteID: String
    public var opportunityID: String
    /// When it was drafted (business time).
    public var draftedAt: Date
    /// `pending_approval`, `binding` (fully approved, or needing no approval) or `rejected`.
    public var status: ContractApprovalStatus
    /// Before discounts.
    public var listTotal: CustomerMoney
    /// The contract amount.
    public var amount: CustomerMoney
    /// The overall discount, 1 - amount / list total, in basis points rounded down.
    public var discountBasisPoints: Int
    /// When it became binding: the last approval, or the drafting when it needed none.
    public var boundAt: Date?
    /// When an approver refused it.
    public var rejectedAt: Date?
    /// The step waiting for a decision (an index into the chain, from 0) and its role, while
    /// pending.
    public var pendingStep: Int?
    public var pendingRole: String?
}

/// How one step of a contract's approval chain stands.
public enum ApprovalStepStatus: String, Codable, Sendable, Hashable {
    /// An earlier step has not decided yet.
    case waiting
    /// This step decides next.
    case pending
    case approved
    case rejected
    /// An earlier step rejected the contract: this one will never decide.
    case closed
}

/// One step of a contract's approval chain.
public struct ContractApprovalStep: Codable, Sendable, Hashable {
    /// The step's index in the chain, from 0, as the events number it.
    public var step: Int
    /// The role that decides it: `manager`, `finance` or `admin`.
    public var role: String
    public var status: ApprovalStepStatus
    /// When it became the step waiting (the drafting, or the previous step's approval).
    public var pendingSince: Date?
    /// Who approved or rejected it, when, and what they wrote.
    public var decidedBy: String?
    public var decidedAt: Date?
    public var comment: String?
}

/// One instalment of a contract's payment plan.
public struct ContractInstalment: Codable, Sendable, Hashable {
    /// From 1, in the order scheduled.
    public var number: Int
    public var dueAt: Date
    public var amount: CustomerMoney
    /// What payments allocated to it.
    public var paid: CustomerMoney
    /// `amount - paid`.
    public var outstanding: CustomerMoney
    /// When it was added to the plan.
    public var scheduledAt: Date
}

/// The share of a payment allocated to one instalment.
public struct ContractPaymentAllocation: Codable, Sendable, Hashable {
    public var instalment: Int
    public var amount: CustomerMoney
}

/// Money received on a contract.
public struct ContractPayment: Codable, Sendable, Hashable {
    public var paymentID: String
    public var receivedAt: Date
    public var amount: CustomerMoney
    /// `bank_transfer`, `cash`, `card`, `cheque`, `alipay` or `wechat_pay`.
    public var method: String
    /// The clerk who recorded it.
    public var clerkID: String
    /// The bank's reference for the transfer; empty when none was given.
    public var bankReference: String
    /// Its allocation to instalments, oldest due first.
    public var allocations: [ContractPaymentAllocation]
    /// What it brought beyond the instalments, kept as the customer's credit.
    public var credit: CustomerMoney
}

/// An invoice of a contract.
public struct ContractInvoice: Codable, Sendable, Hashable {
    public var invoiceID: String
    public var amount: CustomerMoney
    /// The buyer's name as it must appear on the invoice.
    public var title: String
    public var requestedAt: Date
    /// When finance issued it, and its number; `nil` while only requested.
    public var issuedAt: Date?
    public var number: String?
}

/// A refund of a contract.
public struct ContractRefund: Codable, Sendable, Hashable {
    public var refundID: String
    public var amount: CustomerMoney
    public var reason: String
    /// Whether the goods must come back before the money goes out.
    public var returnGoods: Bool
    /// The furthest step reached.
    public var status: RefundStatus
    public var requestedAt: Date
    /// Who approved or rejected it, and when.
    public var decidedBy: String?
    public var decidedAt: Date?
    /// Why it was rejected.
    public var rejectionReason: String?
    public var goodsReturnedAt: Date?
    /// When the money went out, how much and how.
    public var paidAt: Date?
    public var paidAmount: CustomerMoney?
    public var method: String?
}

/// A product line of a shipment.
public struct ContractShipmentLine: Codable, Sendable, Hashable {
    public var productID: String
    /// The name the contract's line gives it; empty when the contract has no such line.
    public var productName: String
    public var quantity: Int
}

/// Goods dispatched to the customer against a contract.
public struct ContractShipment: Codable, Sendable, Hashable {
    public var shipmentID: String
    public var dispatchedAt: Date
    public var lines: [ContractShipmentLine]
}

/// A contract's money figures, in minor units of its currency.
public struct ContractTotals: Codable, Sendable, Hashable {
    public var currency: String
    /// Instalments in the payment plan.
    public var scheduled: Int64
    /// Allocated to instalments.
    public var collected: Int64
    /// `scheduled - collected`.
    public var outstanding: Int64
    /// Received beyond the instalments.
    public var credit: Int64
    /// Invoices requested, issued or not.
    public var invoiced: Int64
    /// Refunds paid out.
    public var refunded: Int64
}

/// A contract with its lines, approval chain, payment plan, payments, invoices, refunds and
/// shipments.
public struct ContractDetail: Codable, Sendable, Hashable {
    public var contractID: String
    public var customerID: String
    /// The rep who earns the commission; set when drafted, never changed.
    public var ownerID: String
    /// Empty when drafted directly from lines.
    public var quoteID: String
    public var opportunityID: String
    /// When it was drafted (business time).
    public var draftedAt: Date
    public var status: ContractApprovalStatus
    public var lines: [DealLine]
    /// Before discounts.
    public var listTotal: CustomerMoney
    /// The contract amount.
    public var amount: CustomerMoney
    /// The overall discount, 1 - amount / list total, in basis points rounded down.
    public var discountBasisPoints: Int
    public var boundAt: Date?
    public var rejectedAt: Date?
    /// The chain the approval policy asked for when it was drafted; empty when none.
    public var approvals: [ContractApprovalStep]
    public var instalments: [ContractInstalment]
    public var payments: [ContractPayment]
    public var invoices: [ContractInvoice]
    public var refunds: [ContractRefund]
    public var shipments: [ContractShipment]
    public var totals: ContractTotals
}

/// One page of contracts, newest first.
public struct ContractPage: Codable, Sendable, Hashable {
    public var contracts: [ContractSummary]
    /// The id to pass as `after` for the next page; `nil` on the last page.
    public var next: String?
}
