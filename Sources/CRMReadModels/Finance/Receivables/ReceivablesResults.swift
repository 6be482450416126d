import CRMDomain

/// What is owed and paid on a day, in minor units of one currency, for one contract or
/// added up over several.
///
/// How the figures relate (all "as of" the end of the day asked about):
/// - `scheduled` = the instalments added to payment plans by then; `unscheduled` = the binding
///   amount not yet in a plan (`amount - scheduled`);
/// - `collected` = what payments allocated to instalments; `credit` = what payments brought
///   beyond the instalments (kept as the customer's credit); `received` = `collected + credit`;
/// - `outstanding` = `scheduled - collected` = the sum of ``buckets``; `overdue` = the buckets
///   past due;
/// - `balance` = `outstanding + unscheduled - credit`: what the customer still owes on binding
///   contracts, less the credit it holds (negative when it is in credit);
/// - `refunded` = refunds paid out. A refund gives collected money back by agreement (goods
///   returned, a concession), so it lowers what was finally received but does not make an
///   instalment owed again: it changes neither `outstanding`, `balance` nor the aging. The
///   domain keeps every allocation and never lets refunds pass what was collected.
///
/// Only binding contracts count: one still awaiting approval, or rejected, owes nothing.
public struct ReceivablesFigures: Codable, Sendable, Hashable {
    /// The currency of every amount.
    public var currency: String
    /// Binding contracts counted.
    public var contracts: Int = 0
    /// Their amounts.
    public var amount: Int64 = 0
    /// Instalments in their payment plans.
    public var scheduled: Int64 = 0
    /// Binding amounts not yet in a payment plan.
    public var unscheduled: Int64 = 0
    /// Allocated to instalments.
    public var collected: Int64 = 0
    /// Received beyond the instalments.
    public var credit: Int64 = 0
    /// All payments received: `collected + credit`.
    public var received: Int64 = 0
    /// Refunds paid out.
    public var refunded: Int64 = 0
    /// Instalments not yet paid: the sum of ``buckets``.
    public var outstanding: Int64 = 0
    /// Outstanding and past due.
    public var overdue: Int64 = 0
    /// `outstanding + unscheduled - credit`.
    public var balance: Int64 = 0
    /// ``outstanding`` by how long it has been due.
    public var buckets = AgingBuckets()

    /// Nothing yet, in `currency`.
    public init(currency: String) {
        self.currency = currency
    }

    /// Adds another contract's or group's figures (in the same currency).
    public mutating func add(_ other: ReceivablesFigures) {
        contracts.saturatingIncrement(by: other.contracts)
        amount.saturatingIncrement(by: other.amount)
        scheduled.saturatingIncrement(by: other.scheduled)
        unscheduled.saturatingIncrement(by: other.unscheduled)
        collected.saturatingIncrement(by: other.collected)
        credit.saturatingIncrement(by: other.credit)
        received.saturatingIncrement(by: other.received)
        refunded.saturatingIncrement(by: other.refunded)
        outstanding.saturatingIncrement(by: other.outstanding)
        overdue.saturatingIncrement(by: other.overdue)
        balance.saturatingIncrement(by: other.balance)
        buckets.add(other.buckets)
    }
}

/// Where a contract stands in its approval on the day asked about.
public enum ContractApprovalStatus: String, Codable, Sendable, Hashable {
    /// Drafted, waiting for an approval.
    case pendingApproval = "pending_approval"
    /// Binding: fully approved, or needed no approval.
    case binding
    /// An approver refused it.
    case rejected
}

/// One contract's receivables as of a day: its plan, payments, invoices and refunds up to
/// that day, and its figures.
public struct ContractReceivables: Codable, Sendable, Hashable {
    /// The contract.
    public var contractID: String
    /// Its customer.
    public var customerID: String
    /// The rep who owns it.
    public var ownerID: String
    /// The day asked about, `yyyy-mm-dd`.
    public var asOf: String
    /// Its approval status on that day.
    public var status: ContractApprovalStatus
    /// The contract amount, in minor units of `figures.currency`.
    public var amount: Int64
    /// The day it was drafted.
    public var draftedOn: String
    /// The day it became binding, if it had by then.
    public var boundOn: String?
    /// Its figures (all zero unless binding).
    public var figures: ReceivablesFigures
    /// Its instalments scheduled by then, by number.
    public var instalments: [InstalmentReceivable]
    /// Payments received by then, in order.
    public var payments: [PaymentRecord]
    /// Invoices requested by then.
    public var invoices: [InvoiceRecord]
    /// Refunds requested by then.
    public var refunds: [RefundRecord]
}

/// One instalment as of a day.
public struct InstalmentReceivable: Codable, Sendable, Hashable {
    /// Its number in the plan, from 1.
    public var number: Int
    /// Its due day.
    public var dueOn: String
    /// The amount due.
    public var amount: Int64
    /// Allocated to it by then.
    public var allocated: Int64
    /// `amount - allocated`.
    public var outstanding: Int64
    /// Days from its due day to the day asked about; negative when not yet due.
    public var daysOverdue: Int
    /// The bucket of its outstanding amount.
    public var bucket: AgingBucket
    /// The allocations to it by then, each with its business day.
    public var allocations: [AllocationRecord]
}

/// Part of a payment allocated to an instalment.
public struct AllocationRecord: Codable, Sendable, Hashable {
    /// The business day of the payment.
    public var on: String
    /// The amount allocated.
    public var amount: Int64
    /// The payment.
    public var paymentID: String
}

/// A payment received.
public struct PaymentRecord: Codable, Sendable, Hashable {
    /// The payment.
    public var paymentID: String
    /// Its business day.
    public var on: String
    /// The amount received.
    public var amount: Int64
    /// How it was paid: `bank_transfer`, `cash`, `card`, `cheque`, `alipay` or `wechat_pay`.
    public var method: String
    /// The clerk who recorded it.
    public var clerkID: String
    /// How it was allocated to instalments.
    public var allocations: [PaymentShare]
    /// What was left over, kept as the customer's credit.
    public var credit: Int64
}

/// The part of a payment that went to one instalment.
public struct PaymentShare: Codable, Sendable, Hashable {
    /// The instalment's number.
    public var instalment: Int
    /// The amount.
    public var amount: Int64
}

/// An invoice of a contract.
public struct InvoiceRecord: Codable, Sendable, Hashable {
    /// The invoice.
    public var invoiceID: String
    /// Its amount.
    public var amount: Int64
    /// The buyer's name on it.
    public var title: String
    /// The day it was requested.
    public var requestedOn: String
    /// The day it was issued, if it had been by then.
    public var issuedOn: String?
    /// Its number, once issued.
    public var number: String?
}

/// Where a refund stands on the day asked about.
public enum RefundStatus: String, Codable, Sendable, Hashable {
    /// Waiting for a decision.
    case requested
    /// Approved; waiting for goods or for the money to go out.
    case approved
    /// Refused.
    case rejected
    /// Approved and the goods are back; waiting for the money to go out.
    case goodsReceived = "goods_received"
    /// The money went out.
    case paid
}

/// A refund of a contract.
public struct RefundRecord: Codable, Sendable, Hashable {
    /// The refund.
    public var refundID: String
    /// The amount requested.
    public var amount: Int64
    /// Why.
    public var reason: String
    /// Whether the goods must come back first.
    public var returnGoods: Bool
    /// Where it stands.
    public var status: RefundStatus
    /// The day it was requested.
    public var requestedOn: String
    /// The day it was approved or rejected, if it had been.
    public var decidedOn: String?
    /// The day it was paid, if it had been.
    public var paidOn: String?
    /// How it was paid, once paid.
    public var method: String?
}

/// One customer's receivables as of a day: figures per currency and per contract.
public struct CustomerReceivables: Codable, Sendable, Hashable {
    /// The customer.
    public var customerID: String
    /// The day asked about, `yyyy-mm-dd`.
    public var asOf: String
    /// Its figures per currency (binding contracts only), by currency code.
    public var currencies: [ReceivablesFigures]
    /// Each contract drafted by then: its status and figures.
    public var contracts: [ContractReceivablesSummary]
}

/// A contract's status and figures, without its detail.
public struct ContractReceivablesSummary: Codable, Sendable, Hashable {
    /// The contract.
    public var contractID: String
    /// The rep who owns it.
    public var ownerID: String
    /// Its approval status on the day asked about.
    public var status: ContractApprovalStatus
    /// The contract amount.
    public var amount: Int64
    /// Its figures.
    public var figures: ReceivablesFigures
}

/// The aging of every contract (or one rep's) as of a day, per currency.
public struct AgingReport: Codable, Sendable, Hashable {
    /// The day asked about, `yyyy-mm-dd`.
    public var asOf: String
    /// The owner the report is limited to, if any.
    public var owner: String?
    /// Per currency, by currency code.
    public var currencies: [CurrencyAging]
}

/// The aging of one currency's contracts, with the customers most overdue.
public struct CurrencyAging: Codable, Sendable, Hashable {
    /// The figures of every binding contract in the currency.
    public var figures: ReceivablesFigures
    /// Customers with something overdue, most overdue first (ties by id), at most the number
    /// asked for.
    public var topOverdueCustomers: [OverdueCustomer]
}

/// A customer with overdue instalments.
public struct OverdueCustomer: Codable, Sendable, Hashable {
    /// The customer.
    public var customerID: String
    /// What it owes past due.
    public var overdue: Int64
    /// All it owes on its instalments.
    public var outstanding: Int64
    /// Days overdue of its oldest unpaid instalment.
    public var oldestDaysOverdue: Int
    /// Its outstanding amount by bucket.
    public var buckets: AgingBuckets
}
