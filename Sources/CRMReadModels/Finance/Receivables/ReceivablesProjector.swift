import CRMSchema
public import Projections

/// The receivables read model (`receivables`): each contract's payment plan and every
/// allocation, payment, invoice and refund with its business day, indexed by customer and by
/// owner. Balances and aging are worked out for any day from this history by
/// ``ReceivablesQueries``, so "as of" is a query parameter rather than a rebuild; only what a
/// settled contract adds to aging (see ``ReceivableContractRow/settlement``) is summed per day
/// ahead, so that aging reads the contracts still open on the day asked about, not all of them.
///
/// What the answers mean: ``AgingBucket`` gives the bucket edges (both ends inclusive: 30 days
/// overdue is in 0-30, 31 in 31-60, 180 in 91-180, 181 in 180+), and ``ReceivablesFigures`` how
/// balance, credit and refunds relate (a refund does not reopen an instalment).
///
/// Tables:
/// - `contracts`: contract id → its history (``ReceivableContractRow``);
/// - `customer-contracts`: `customer|contract` → the contract, for a customer's receivables;
/// - `owner-contracts`: `owner|contract` → the contract, for one rep's aging;
/// - `settled`: `currency|day` → the figures of the binding contracts that settled that day,
///   summed (``SettledDayRow``; the day as ``SortableKey/hex(_:)``);
/// - `aging`: `settled|drafted|contract` → what aging reads of the contract
///   (``AgingLedgerRow``), under the day it settled (`Int64.max` while it is open) and the day it
///   was drafted: an aging as of an earlier day reads these one by one, skipping by key those
///   drafted later.
public final class ReceivablesProjector: Projector {
    /// The read model's name.
    public static let name = "receivables"
    /// Version 2: `settled` and `aging`.
    public static let version: UInt32 = 2
    /// The contract events that move money or change what is owed.
    public static let eventTypes: Set<String> = [
        CRMContractDrafted.protoMessageName, CRMContractApproved.protoMessageName, CRMContractRejected.protoMessageName,
        CRMInstalmentsScheduled.protoMessageName, CRMPaymentReceived.protoMessageName,
        CRMInvoiceRequested.protoMessageName, CRMInvoiceIssued.protoMessageName,
        CRMRefundRequested.protoMessageName, CRMRefundApproved.protoMessageName, CRMRefundRejected.protoMessageName,
        CRMReturnedGoodsReceived.protoMessageName, CRMRefundPaid.protoMessageName,
    ]

    let contracts = ReadModelTable<ReceivableContractRow>("contracts")
    let customerContracts = ReadModelTable<ReceivableLinkRow>("customer-contracts")
    let ownerContracts = ReadModelTable<ReceivableLinkRow>("owner-contracts")
    let settled = ReadModelTable<SettledDayRow>("settled")
    let aging = ReadModelTable<AgingLedgerRow>("aging")

    /// An empty read model.
    public init() {}

    /// The projector's tables.
    public var tables: [any ReadModelTableProtocol] {
        [contracts, customerContracts, ownerContracts, settled, aging]
    }

    /// Records one contract event against its contract.
    public func apply(_ event: CRMEvent) throws {
        let day = BusinessDay(event.occurredAt).number
        switch event.payload {
        case let drafted as CRMContractDrafted:
            let contract = ReceivableContractRow(
                contractID: drafted.contractID,
                customerID: drafted.customerID,
                ownerID: drafted.ownerID,
                currency: drafted.amount.currency,
                amount: drafted.amount.minorUnits,
                draftedDay: day,
                boundDay: drafted.approvalChain.isEmpty ? day : nil
            )
            if !updateIfPresent(drafted.contractID, { $0 = contract }) {
                contracts[drafted.contractID] = contract
                file(contract)
            }
            customerContracts[FinanceKey.join(drafted.customerID, drafted.contractID)] = ReceivableLinkRow(
                contractID: drafted.contractID
            )
            ownerContracts[FinanceKey.join(drafted.ownerID, drafted.contractID)] = ReceivableLinkRow(
                contractID: drafted.contractID
            )
        case let approved as CRMContractApproved where approved.binding:
            updateIfPresent(approved.contractID) { $0.boundDay = day }
        case let rejected as CRMContractRejected:
            updateIfPresent(rejected.contractID) { $0.rejectedDay = day }
        case let scheduled as CRMInstalmentsScheduled:
            updateIfPresent(scheduled.contractID) { contract in
                for instalment in scheduled.instalments {
                    contract.instalments.append(
                        .init(
                            number: instalment.number,
                            scheduledDay: day,
                            dueDay: FinanceDay.of(instalment.dueAt).number,
                            amount: instalment.amount.minorUnits
                        )
                    )
                }
            }
        case let payment as CRMPaymentReceived:
            updateIfPresent(payment.contractID) { contract in
                for allocation in payment.allocations {
                    guard
                        let index = contract.instalments.firstIndex(where: { $0.number == allocation.instalmentNumber })
                    else { continue }
                    contract.instalments[index].allocations.append(
                        .init(day: day, amount: allocation.amount.minorUnits, paymentID: payment.paymentID)
                    )
                }
                contract.payments.append(
                    .init(
                        paymentID: payment.paymentID,
                        day: day,
                        amount: payment.amount.minorUnits,
                        method: FinancePaymentMethod.name(payment.method),
                        clerkID: payment.clerkID,
                        allocations: payment.allocations.map {
                            .init(instalment: $0.instalmentNumber, amount: $0.amount.minorUnits)
                        },
                        credit: payment.credit.minorUnits
                    )
                )
            }
        // Invoices change neither a contract's standing nor its aging ledger: no refiling.
        case let invoice as CRMInvoiceRequested:
            contracts.updateIfPresent(invoice.contractID) {
                $0.invoices.append(
                    .init(
                        invoiceID: invoice.invoiceID,
                        amount: invoice.amount.minorUnits,
                        title: invoice.title,
                        requestedDay: day
                    )
                )
            }
        case let issued as CRMInvoiceIssued:
            contracts.updateIfPresent(issued.contractID) { contract in
                guard let index = contract.invoices.firstIndex(where: { $0.invoiceID == issued.invoiceID }) else {
                    return
                }
                (contract.invoices[index].issuedDay, contract.invoices[index].number) = (day, issued.invoiceNumber)
            }
        case let refund as CRMRefundRequested:
            updateIfPresent(refund.contractID) {
                $0.refunds.append(
                    .init(
                        refundID: refund.refundID,
                        amount: refund.amount.minorUnits,
                        reason: refund.reason,
                        returnGoods: refund.returnGoods,
                        requestedDay: day
                    )
                )
            }
        case let approved as CRMRefundApproved:
            updateRefund(approved.contractID, approved.refundID) { $0.approvedDay = day }
        case let rejected as CRMRefundRejected:
            updateRefund(rejected.contractID, rejected.refundID) { $0.rejectedDay = day }
        case let goods as CRMReturnedGoodsReceived:
            updateRefund(goods.contractID, goods.refundID) { $0.goodsReceivedDay = day }
        case let paid as CRMRefundPaid:
            updateRefund(paid.contractID, paid.refundID) {
                ($0.paidDay, $0.paidAmount, $0.method) = (
                    day, paid.amount.minorUnits, FinancePaymentMethod.name(paid.method)
                )
            }
        default:
            break
        }
    }

    /// Changes the contract `id` when there is one and files the change in `aging` (and in
    /// `settled` when it moves the day the contract settled); returns whether there was one.
    @discardableResult
    private func updateIfPresent(_ id: String, _ change: (inout ReceivableContractRow) -> Void) -> Bool {
        var changed: (contract: ReceivableContractRow, settledBefore: ContractSettlement?, keyBefore: String)?
        contracts.updateIfPresent(id) { contract in
            let before = contract.settlement
            let keyBefore = Self.agingKey(before, contract)
            change(&contract)
            changed = (contract, before, keyBefore)
        }
        guard let changed else { return false }
        let after = changed.contract.settlement
        let key = Self.agingKey(after, changed.contract)
        if key != changed.keyBefore { aging[changed.keyBefore] = nil }
        aging[key] = AgingLedgerRow(changed.contract)
        if after != changed.settledBefore {
            sum(changed.settledBefore, removing: true)
            sum(after)
        }
        return true
    }

    /// Files a new contract in `aging`, and in `settled` when it is settled already.
    private func file(_ contract: ReceivableContractRow) {
        let settlement = contract.settlement
        aging[Self.agingKey(settlement, contract)] = AgingLedgerRow(contract)
        sum(settlement)
    }

    /// Adds what a settled contract adds to aging to the sum of the day it settled, or with
    /// `removing` takes it away again; nothing for an open or never binding one.
    private func sum(_ settlement: ContractSettlement?, removing: Bool = false) {
        guard let settlement, let figures = settlement.figures else { return }
        let key = Self.settledKey(figures.currency, settlement.day)
        if removing {
            settled.updateIfPresent(key) { $0.figures.subtract(figures) }
            if settled[key]?.figures.contracts == 0 { settled[key] = nil }
        } else {
            settled.update(key, default: SettledDayRow(day: settlement.day, figures: .init(currency: figures.currency)))
            {
                $0.figures.add(figures)
            }
        }
    }

    /// `currency|day`, the day as ``SortableKey/hex(_:)``.
    static func settledKey(_ currency: String, _ day: Int) -> String {
        FinanceKey.join(currency, SortableKey.hex(Int64(day)))
    }

    /// `settled|drafted|contract`: the day it settled (`Int64.max` while open) and the day it
    /// was drafted, each as ``SortableKey/hex(_:)``.
    static func agingKey(_ settlement: ContractSettlement?, _ contract: ReceivableContractRow) -> String {
        SortableKey.hex(settlement.map { Int64($0.day) } ?? .max) + "|" + SortableKey.hex(Int64(contract.draftedDay))
            + "|" + contract.contractID
    }

    /// The day drafted in an ``agingKey(_:_:)``; `nil` for another key.
    static func draftedDay(inAgingKey key: String) -> Int? {
        let parts = key.utf8.split(separator: UInt8(ascii: "|"), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let day = SortableKey.value(ofHex: Substring(parts[1])) else { return nil }
        return Int(day)
    }

    private func updateRefund(
        _ contractID: String,
        _ refundID: String,
        _ change: (inout ReceivableContractRow.Refund) -> Void
    ) {
        updateIfPresent(contractID) { contract in
            guard let index = contract.refunds.firstIndex(where: { $0.refundID == refundID }) else { return }
            change(&contract.refunds[index])
        }
    }
}
