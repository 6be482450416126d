import CRMDomain
import CRMSchema
public import Projections

/// The finance read model (`finance`): receipts, payables, expenses and commission.
///
/// - Receipts are payments received from customers (the whole amount, credit included), by the
///   month of their business day, their method and the clerk who recorded them.
/// - Payables are supplier bills and the payments on them, per supplier.
/// - Expenses are by month, category, item and the clerk who paid them.
/// - Commission is what each rep earned (``CRMCommissionEarned``) per month.
///
/// Tables:
/// - `receipts`: `month|method|clerk|currency` → ``ReceiptCellRow``;
/// - `expenses`: `month|category|item|clerk|currency` → ``ExpenseCellRow``;
/// - `commission`: `month|rep|currency` → ``CommissionCellRow``;
/// - `suppliers`: supplier id → its name; `bills`: `supplier|bill` → ``SupplierBillRow``.
public final class FinanceProjector: Projector {
    /// The read model's name.
    public static let name = "finance"
    /// Version 1: the first layout.
    public static let version: UInt32 = 1
    /// Payments, commission, suppliers and their bills, and expenses.
    public static let eventTypes: Set<String> = [
        CRMPaymentReceived.protoMessageName, CRMCommissionEarned.protoMessageName,
        CRMSupplierAdded.protoMessageName, CRMSupplierBillReceived.protoMessageName, CRMSupplierPaid.protoMessageName,
        CRMExpenseRecorded.protoMessageName,
    ]

    let receipts = ReadModelTable<ReceiptCellRow>("receipts")
    let expenses = ReadModelTable<ExpenseCellRow>("expenses")
    let commission = ReadModelTable<CommissionCellRow>("commission")
    let suppliers = ReadModelTable<SupplierRow>("suppliers")
    let bills = ReadModelTable<SupplierBillRow>("bills")

    /// An empty read model.
    public init() {}

    /// The projector's tables.
    public var tables: [any ReadModelTableProtocol] { [receipts, expenses, commission, suppliers, bills] }

    /// Folds one event. Amounts come from the log, which may hold events written before
    /// ``CRMSchema/CRMMoney/maxMinorUnits`` or by an import, so sums saturate instead of trapping.
    public func apply(_ event: CRMEvent) throws {
        switch event.payload {
        case let payment as CRMPaymentReceived:
            let month = BusinessDay(event.occurredAt).month
            let method = FinancePaymentMethod.name(payment.method)
            let currency = payment.amount.currency
            receipts.update(
                FinanceKey.join(month, method, payment.clerkID, currency),
                default: ReceiptCellRow(month: month, method: method, clerkID: payment.clerkID, currency: currency)
            ) {
                $0.amount.saturatingIncrement(by: payment.amount.minorUnits)
                $0.count += 1
            }
        case let earned as CRMCommissionEarned:
            let month = BusinessDay(event.occurredAt).month
            let currency = earned.commission.currency
            commission.update(
                FinanceKey.join(month, earned.repID, currency),
                default: CommissionCellRow(month: month, repID: earned.repID, currency: currency)
            ) {
                $0.collected.saturatingIncrement(by: earned.collected.minorUnits)
                $0.commission.saturatingIncrement(by: earned.commission.minorUnits)
                $0.payments += 1
            }
        case let expense as CRMExpenseRecorded:
            let month = BusinessDay(event.occurredAt).month
            let currency = expense.amount.currency
            expenses.update(
                FinanceKey.join(month, expense.category, expense.item, expense.clerkID, currency),
                default: ExpenseCellRow(
                    month: month,
                    category: expense.category,
                    item: expense.item,
                    clerkID: expense.clerkID,
                    currency: currency
                )
            ) {
                $0.amount.saturatingIncrement(by: expense.amount.minorUnits)
                $0.count += 1
            }
        case let added as CRMSupplierAdded:
            suppliers[added.supplierID] = SupplierRow(supplierID: added.supplierID, name: added.name)
        case let bill as CRMSupplierBillReceived:
            bills[FinanceKey.join(bill.supplierID, bill.billID)] = SupplierBillRow(
                billID: bill.billID,
                supplierID: bill.supplierID,
                purchaseOrderID: bill.purchaseOrderID,
                currency: bill.amount.currency,
                amount: bill.amount.minorUnits,
                receivedDay: BusinessDay(event.occurredAt).number,
                dueDay: FinanceDay.of(bill.dueAt).number
            )
        case let paid as CRMSupplierPaid:
            bills.updateIfPresent(FinanceKey.join(paid.supplierID, paid.billID)) {
                $0.paid.saturatingIncrement(by: paid.amount.minorUnits)
                $0.payments += 1
                $0.lastPaidDay = BusinessDay(event.occurredAt).number
            }
        default:
            break
        }
    }
}
