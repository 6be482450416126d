/// An amount of one group (a method, clerk, month, category, ...) in one currency.
public struct FinanceAmount: Codable, Sendable, Hashable {
    /// The group: a payment method, a user id, a month `yyyy-mm`, a category; empty in totals.
    public var key: String
    /// The currency.
    public var currency: String
    /// The sum, in minor units.
    public var amount: Int64
    /// How many payments or expenses it adds up.
    public var count: Int
}

/// Customer payments received in a period, three ways; each way adds up to the totals.
public struct ReceiptsReport: Codable, Sendable, Hashable {
    /// The period asked about.
    public var period: String
    /// By payment method (`bank_transfer`, `cash`, `card`, `cheque`, `alipay`, `wechat_pay`).
    public var byMethod: [FinanceAmount]
    /// By the clerk who recorded them.
    public var byClerk: [FinanceAmount]
    /// By month.
    public var byMonth: [FinanceAmount]
    /// Per currency.
    public var totals: [FinanceAmount]
}

/// Expenses in a period by category, item, month and clerk; each way adds up to the totals.
public struct ExpensesReport: Codable, Sendable, Hashable {
    /// The period asked about.
    public var period: String
    /// By category.
    public var byCategory: [FinanceAmount]
    /// By category and item.
    public var byItem: [ExpenseItemAmount]
    /// By month.
    public var byMonth: [FinanceAmount]
    /// By the clerk who paid them.
    public var byClerk: [FinanceAmount]
    /// Per currency.
    public var totals: [FinanceAmount]
}

/// Expenses on one item of a category.
public struct ExpenseItemAmount: Codable, Sendable, Hashable {
    /// The category.
    public var category: String
    /// The item.
    public var item: String
    /// The currency.
    public var currency: String
    /// The sum, in minor units.
    public var amount: Int64
    /// How many expenses.
    public var count: Int
}

/// What is owed to one supplier in one currency.
public struct SupplierPayables: Codable, Sendable, Hashable {
    /// The supplier.
    public var supplierID: String
    /// Its name.
    public var name: String
    /// The currency.
    public var currency: String
    /// Bills received.
    public var bills: Int
    /// Their amounts.
    public var billed: Int64
    /// Paid on them.
    public var paid: Int64
    /// Payments made.
    public var payments: Int
    /// `billed - paid`.
    public var outstanding: Int64
}

/// One supplier bill.
public struct SupplierBill: Codable, Sendable, Hashable {
    /// The bill.
    public var billID: String
    /// The purchase order it is for, if any.
    public var purchaseOrderID: String
    /// The currency.
    public var currency: String
    /// Its amount.
    public var amount: Int64
    /// Paid on it.
    public var paid: Int64
    /// `amount - paid`.
    public var outstanding: Int64
    /// The day it was received.
    public var receivedOn: String
    /// Its due day.
    public var dueOn: String
    /// The day of its last payment, if any.
    public var lastPaidOn: String?
}

/// A supplier's payables with its bills.
public struct SupplierPayablesDetail: Codable, Sendable, Hashable {
    /// The supplier.
    public var supplierID: String
    /// Its name.
    public var name: String
    /// Per currency.
    public var totals: [SupplierPayables]
    /// Its bills, by id.
    public var bills: [SupplierBill]
}

/// One rep's commission in one month and currency.
public struct CommissionLine: Codable, Sendable, Hashable {
    /// The month, `yyyy-mm`; empty in a rep's or the period's total.
    public var month: String
    /// The rep; empty in the period's total.
    public var repID: String
    /// The currency.
    public var currency: String
    /// The collected amounts it was earned on.
    public var collected: Int64
    /// The commission.
    public var commission: Int64
    /// The payments it was earned on.
    public var payments: Int
}

/// Commission per rep per month in a period.
public struct CommissionReport: Codable, Sendable, Hashable {
    /// The period asked about.
    public var period: String
    /// Per month and rep, by month then rep.
    public var lines: [CommissionLine]
    /// Per rep over the period, by rep.
    public var byRep: [CommissionLine]
    /// Per currency over the period.
    public var totals: [CommissionLine]
}
