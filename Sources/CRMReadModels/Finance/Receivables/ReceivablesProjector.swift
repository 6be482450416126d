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
/// - `unsettled`: `day|contract` → the contract, for one that settled on `day`, with the day
///   `Int64.max` for one still open: what an aging as of an earlier day reads one by one.
public final class ReceivablesProjector: Projector {
    /// The read model's name.
    public static let name = "receivables"
    /// Version 2: `settled` and `unsettled`.
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
    let unsettled = ReadModelTable<ReceivableLinkRow>("unsettled")

    /// An empty read model.
    public init() {}

    /// The projector's tables.
    public var tables: [any ReadModelTableProtocol] {
        [contracts, customerContracts, ownerContracts, settled, unsettled]
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
                file(drafted.contractID, currency: contract.currency, settlement: contract.settlement)
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
        case let invoice as CRMInvoiceRequested:
            updateIfPresent(invoice.contractID) {
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
            updateIfPresent(issued.contractID) { contract in
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

    /// Changes the contract `id` when there is one, and moves it in `settled` and `unsettled`
    /// when the change moves the day it settled; returns whether there was one.
    @discardableResult
    private func updateIfPresent(_ id: String, _ change: (inout ReceivableContractRow) -> Void) -> Bool {
        var moved: (from: ContractSettlement?, to: ContractSettlement?, currency: String)?
        let present = contracts.updateIfPresent(id) { contract in
            let before = contract.settlement
            change(&contract)
            let after = contract.settlement
            if after != before { moved = (before, after, contract.currency) }
        }
        if let moved {
            unfile(id, currency: moved.currency, settlement: moved.from)
            file(id, currency: moved.currency, settlement: moved.to)
        }
        return present
    }

    /// Lists a contract under the day it settled (or as open), and adds its figures to that
    /// day's sum.
    private func file(_ contractID: String, currency: String, settlement: ContractSettlement?) {
        unsettled[Self.unsettledKey(settlement, contractID)] = ReceivableLinkRow(contractID: contractID)
        guard let settlement, let figures = settlement.figures else { return }
        let key = Self.settledKey(currency, settlement.day)
        settled.update(key, default: SettledDayRow(day: settlement.day, figures: .init(currency: currency))) {
            $0.figures.add(figures)
        }
    }

    /// Undoes ``file(_:currency:settlement:)``.
    private func unfile(_ contractID: String, currency: String, settlement: ContractSettlement?) {
        unsettled[Self.unsettledKey(settlement, contractID)] = nil
        guard let settlement, let figures = settlement.figures else { return }
        let key = Self.settledKey(currency, settlement.day)
        settled.updateIfPresent(key) { $0.figures.subtract(figures) }
        if settled[key]?.figures.contracts == 0 { settled[key] = nil }
    }

    /// `currency|day`, the day as ``SortableKey/hex(_:)``.
    static func settledKey(_ currency: String, _ day: Int) -> String {
        FinanceKey.join(currency, SortableKey.hex(Int64(day)))
    }

    /// `day|contract`, the day it settled as ``SortableKey/hex(_:)``, `Int64.max` while open.
    static func unsettledKey(_ settlement: ContractSettlement?, _ contractID: String) -> String {
        SortableKey.hex(settlement.map { Int64($0.day) } ?? .max) + "|" + contractID
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
