import CRMSchema
public import Projections

/// Folds the log into each customer's orders and payments by day, and the distribution of the
/// current recency, frequency and monetary values across customers (see ``RFMHistogram``).
///
/// An order is a contract that became binding (at once when drafted without approvals, or at
/// its last approval), on that business day, for its amount; a rejected contract is none.
/// Recency counts from the later of the last order and the last payment. Refunds do not
/// change the monetary value: it measures what the customer ordered.
///
/// Tables:
/// - `customers`: customer id → ``RFMCustomerRow``;
/// - `pendingContracts`: contract id → ``RFMPendingContract`` while it awaits approval;
/// - `histogram`: `R`, `F`, `M|<currency>` → bucket counts, and `<dimension>|<bucket>` →
///   value counts, of the customers with at least one order;
/// - `latest`: `day` → the last day of any order or payment (day number), which tells the
///   queries whether the distribution is that of a given day.
public final class RFMProjector: Projector {
    public static let name = "rfm"
    public static let version: UInt32 = 1
    public static let eventTypes: Set<String> = [
        CRMCustomerCreated.protoMessageName, CRMContractDrafted.protoMessageName,
        CRMContractApproved.protoMessageName, CRMContractRejected.protoMessageName,
        CRMPaymentReceived.protoMessageName,
    ]

    let customers = ReadModelTable<RFMCustomerRow>("customers")
    let pendingContracts = ReadModelTable<RFMPendingContract>("pendingContracts")
    let histogram = ReadModelTable<[Int: Int]>("histogram")
    let latest = ReadModelTable<Int>("latest")

    public init() {}

    public var tables: [any ReadModelTableProtocol] { [customers, pendingContracts, histogram, latest] }

    public func apply(_ event: CRMEvent) throws {
        let day = BusinessDay(event.occurredAt).number
        switch event.payload {
        case let created as CRMCustomerCreated:
            customers.update(created.customerID, default: RFMCustomerRow()) { $0.createdDay = day }
        case let drafted as CRMContractDrafted:
            let contract = RFMPendingContract(
                customerID: drafted.customerID,
                minorUnits: drafted.amount.minorUnits,
                currency: drafted.amount.currency
            )
            if drafted.approvalChain.isEmpty {
                order(drafted.contractID, contract, on: day)
            } else {
                pendingContracts[drafted.contractID] = contract
            }
        case let approved as CRMContractApproved where approved.binding:
            if let contract = pendingContracts[approved.contractID] {
                pendingContracts[approved.contractID] = nil
                order(approved.contractID, contract, on: day)
            }
        case let rejected as CRMContractRejected:
            pendingContracts[rejected.contractID] = nil
        case let payment as CRMPaymentReceived where !payment.customerID.isEmpty:
            change(payment.customerID, on: day) { row in
                let index = row.paymentDays.lastIndex { $0 <= day }.map { $0 + 1 } ?? 0
                if index == 0 || row.paymentDays[index - 1] != day { row.paymentDays.insert(day, at: index) }
            }
        default:
            break
        }
    }

    /// A contract became binding: an order of its customer.
    private func order(_ contractID: String, _ contract: RFMPendingContract, on day: Int) {
        change(contract.customerID, on: day) { row in
            row.orders.append(
                RFMOrder(contractID: contractID, day: day, minorUnits: contract.minorUnits, currency: contract.currency)
            )
        }
    }

    /// Changes a customer's row and moves it in the distribution from its old values to its new.
    private func change(_ customerID: String, on day: Int, _ body: (inout RFMCustomerRow) -> Void) {
        var before: RFMValues?
        var after: RFMValues?
        customers.update(customerID, default: RFMCustomerRow()) { row in
            before = row.values()
            body(&row)
            after = row.values()
        }
        if before != after {
            if let before { count(before, -1) }
            if let after { count(after, 1) }
        }
        if after != nil, (latest["day"] ?? .min) < day { latest["day"] = day }
    }

    private func count(_ values: RFMValues, _ delta: Int) {
        count(RFMHistogram.recency, values.lastDay, delta)
        count(RFMHistogram.frequency, values.orders, delta)
        for money in values.monetary { count(RFMHistogram.monetary(money.currency), Int(money.minorUnits), delta) }
    }

    /// Adds `delta` customers at `value` of `dimension`, dropping counts that reach zero so a
    /// read model built live and one rebuilt hold the same rows.
    private func count(_ dimension: String, _ value: Int, _ delta: Int) {
        let bucket = RFMHistogram.bucket(dimension, value)
        for (key, slot) in [(dimension, bucket), (RFMHistogram.bucketKey(dimension, bucket), value)] {
            var emptied = false
            histogram.update(key, default: [:]) { counts in
                let total = counts[slot, default: 0] + delta
                counts[slot] = total == 0 ? nil : total
                emptied = counts.isEmpty
            }
            if emptied { histogram[key] = nil }
        }
    }
}
