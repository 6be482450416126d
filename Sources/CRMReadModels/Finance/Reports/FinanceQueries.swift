import CRMDomain
public import Projections

/// Questions to the finance read model: receipts, payables, expenses and commission. A period
/// is a month `yyyy-mm`, a quarter `yyyy-Qn` or a year `yyyy`.
public struct FinanceQueries: Sendable {
    /// The store the read model lives in.
    public let store: ReadModelStore

    /// Queries against `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    private var name: String { FinanceProjector.name }

    /// Customer payments received in `period` by method, by clerk and by month.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period.
    public func receipts(period: String) throws -> ReceiptsReport {
        let period = try FinancePeriod(period)
        var byMethod = FinanceAmounts()
        var byClerk = FinanceAmounts()
        var byMonth = FinanceAmounts()
        var totals = FinanceAmounts()
        for cell in try cells(ReceiptCellRow.self, "receipts", period) {
            byMethod.add(cell.method, cell.currency, cell.amount, cell.count)
            byClerk.add(cell.clerkID, cell.currency, cell.amount, cell.count)
            byMonth.add(cell.month, cell.currency, cell.amount, cell.count)
            totals.add("", cell.currency, cell.amount, cell.count)
        }
        return ReceiptsReport(
            period: period.name,
            byMethod: byMethod.sorted,
            byClerk: byClerk.sorted,
            byMonth: byMonth.sorted,
            totals: totals.sorted
        )
    }

    /// Expenses in `period` by category, by item, by month and by clerk.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period.
    public func expenses(period: String) throws -> ExpensesReport {
        let period = try FinancePeriod(period)
        var byCategory = FinanceAmounts()
        var byMonth = FinanceAmounts()
        var byClerk = FinanceAmounts()
        var totals = FinanceAmounts()
        var byItem: [String: ExpenseItemAmount] = [:]
        for cell in try cells(ExpenseCellRow.self, "expenses", period) {
            byCategory.add(cell.category, cell.currency, cell.amount, cell.count)
            byMonth.add(cell.month, cell.currency, cell.amount, cell.count)
            byClerk.add(cell.clerkID, cell.currency, cell.amount, cell.count)
            totals.add("", cell.currency, cell.amount, cell.count)
            byItem[
                FinanceKey.join(cell.category, cell.item, cell.currency),
                default: ExpenseItemAmount(
                    category: cell.category,
                    item: cell.item,
                    currency: cell.currency,
                    amount: 0,
                    count: 0
                )
            ]
            .add(cell.amount, cell.count)
        }
        return ExpensesReport(
            period: period.name,
            byCategory: byCategory.sorted,
            byItem: byItem.values.sorted { ($0.category, $0.item, $0.currency) < ($1.category, $1.item, $1.currency) },
            byMonth: byMonth.sorted,
            byClerk: byClerk.sorted,
            totals: totals.sorted
        )
    }

    /// What is owed to each supplier, per currency, by supplier id.
    public func payables() throws -> [SupplierPayables] {
        let names = try supplierNames()
        var totals: [String: SupplierPayables] = [:]
        for bill in try store.rows(SupplierBillRow.self, projector: name, table: "bills").map(\.row) {
            totals[
                FinanceKey.join(bill.supplierID, bill.currency),
                default: SupplierPayables(bill, name: names[bill.supplierID] ?? "")
            ].add(bill)
        }
        return totals.keys.sorted().map { totals[$0]! }
    }

    /// One supplier's payables and bills.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for an empty id; `not_found`
    ///   for a supplier the read model does not know.
    public func payables(supplier id: String) throws -> SupplierPayablesDetail {
        guard !id.isEmpty else { throw ReadModelQueryError.invalid("supplier", "a supplier id is required") }
        guard let supplier = try store.row(SupplierRow.self, projector: name, table: "suppliers", key: id) else {
            throw ReadModelQueryError(.notFound, "no supplier \(id)", parameter: "supplier")
        }
        let bills = try store.rows(SupplierBillRow.self, projector: name, table: "bills", prefix: FinanceKey.prefix(id))
            .map(\.row)
        var totals: [String: SupplierPayables] = [:]
        for bill in bills { totals[bill.currency, default: SupplierPayables(bill, name: supplier.name)].add(bill) }
        return SupplierPayablesDetail(
            supplierID: id,
            name: supplier.name,
            totals: totals.keys.sorted().map { totals[$0]! },
            bills: bills.map { bill in
                SupplierBill(
                    billID: bill.billID,
                    purchaseOrderID: bill.purchaseOrderID,
                    currency: bill.currency,
                    amount: bill.amount,
                    paid: bill.paid,
                    outstanding: bill.amount.saturatingSubtract(bill.paid),
                    receivedOn: BusinessDay(number: bill.receivedDay).description,
                    dueOn: BusinessDay(number: bill.dueDay).description,
                    lastPaidOn: bill.lastPaidDay.map { BusinessDay(number: $0).description }
                )
            }
        )
    }

    /// Commission per rep per month in `period`, optionally for one rep.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period or an
    ///   empty rep.
    public func commission(period: String, rep: String? = nil) throws -> CommissionReport {
        let period = try FinancePeriod(period)
        if let rep, rep.isEmpty {
            throw ReadModelQueryError.invalid("rep", "a rep is a user id; leave it out for every rep")
        }
        var lines: [CommissionLine] = []
        var byRep: [String: CommissionLine] = [:]
        var totals: [String: CommissionLine] = [:]
        for month in period.months {
            let prefix = rep.map { FinanceKey.prefix(month, $0) } ?? FinanceKey.prefix(month)
            for cell in try store.rows(CommissionCellRow.self, projector: name, table: "commission", prefix: prefix)
                .map(\.row)
            {
                let line = CommissionLine(
                    month: cell.month,
                    repID: cell.repID,
                    currency: cell.currency,
                    collected: cell.collected,
                    commission: cell.commission,
                    payments: cell.payments
                )
                lines.append(line)
                byRep[FinanceKey.join(cell.repID, cell.currency), default: line.emptied(month: "", rep: cell.repID)]
                    .add(line)
                totals[cell.currency, default: line.emptied(month: "", rep: "")].add(line)
            }
        }
        return CommissionReport(
            period: period.name,
            lines: lines,
            byRep: byRep.keys.sorted().map { byRep[$0]! },
            totals: totals.keys.sorted().map { totals[$0]! }
        )
    }

    private func cells<Row: Decodable>(_: Row.Type, _ table: String, _ period: FinancePeriod) throws -> [Row] {
        try period.months.flatMap { month in
            try store.rows(Row.self, projector: name, table: table, prefix: FinanceKey.prefix(month)).map(\.row)
        }
    }

    private func supplierNames() throws -> [String: String] {
        var names: [String: String] = [:]
        for supplier in try store.rows(SupplierRow.self, projector: name, table: "suppliers") {
            names[supplier.row.supplierID] = supplier.row.name
        }
        return names
    }
}

/// Sums by group and currency, listed by group then currency.
struct FinanceAmounts {
    private var sums: [String: FinanceAmount] = [:]

    mutating func add(_ key: String, _ currency: String, _ amount: Int64, _ count: Int) {
        sums[FinanceKey.join(key, currency), default: FinanceAmount(key: key, currency: currency, amount: 0, count: 0)]
            .amount.saturatingIncrement(by: amount)
        sums[FinanceKey.join(key, currency)]!.count.saturatingIncrement(by: count)
    }

    var sorted: [FinanceAmount] { sums.values.sorted { ($0.key, $0.currency) < ($1.key, $1.currency) } }
}

extension ExpenseItemAmount {
    fileprivate mutating func add(_ amount: Int64, _ count: Int) {
        self.amount.saturatingIncrement(by: amount)
        self.count.saturatingIncrement(by: count)
    }
}

extension SupplierPayables {
    fileprivate init(_ bill: SupplierBillRow, name: String) {
        self.init(
            supplierID: bill.supplierID,
            name: name,
            currency: bill.currency,
            bills: 0,
            billed: 0,
            paid: 0,
            payments: 0,
            outstanding: 0
        )
    }

    fileprivate mutating func add(_ bill: SupplierBillRow) {
        bills += 1
        billed.saturatingIncrement(by: bill.amount)
        paid.saturatingIncrement(by: bill.paid)
        payments.saturatingIncrement(by: bill.payments)
        outstanding.saturatingIncrement(by: bill.amount.saturatingSubtract(bill.paid))
    }
}

extension CommissionLine {
    fileprivate func emptied(month: String, rep: String) -> CommissionLine {
        CommissionLine(month: month, repID: rep, currency: currency, collected: 0, commission: 0, payments: 0)
    }

    fileprivate mutating func add(_ line: CommissionLine) {
        collected.saturatingIncrement(by: line.collected)
        commission.saturatingIncrement(by: line.commission)
        payments.saturatingIncrement(by: line.payments)
    }
}
