/// Payments received in one month, by one method, recorded by one clerk, in one currency.
struct ReceiptCellRow: Codable, Sendable {
    var month: String
    var method: String
    var clerkID: String
    var currency: String
    var amount: Int64 = 0
    var count: Int = 0
}

/// Expenses of one month, category, item and clerk, in one currency.
struct ExpenseCellRow: Codable, Sendable {
    var month: String
    var category: String
    var item: String
    var clerkID: String
    var currency: String
    var amount: Int64 = 0
    var count: Int = 0
}

/// One rep's commission in one month and currency.
struct CommissionCellRow: Codable, Sendable {
    var month: String
    var repID: String
    var currency: String
    /// The collected amounts the commission was earned on.
    var collected: Int64 = 0
    var commission: Int64 = 0
    var payments: Int = 0
}

/// A supplier.
struct SupplierRow: Codable, Sendable {
    var supplierID: String
    var name: String
}

/// A supplier's bill and what has been paid on it.
struct SupplierBillRow: Codable, Sendable {
    var billID: String
    var supplierID: String
    var purchaseOrderID: String
    var currency: String
    var amount: Int64
    var receivedDay: Int
    var dueDay: Int
    var paid: Int64 = 0
    var payments: Int = 0
    var lastPaidDay: Int?
}
