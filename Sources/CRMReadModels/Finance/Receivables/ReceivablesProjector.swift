import CRMSchema
public import Projections

/// The receivables read model (`receivables`): each contract's payment plan and every
/// allocation, payment, invoice and refund with its business day, indexed by customer and by
/// owner. Balances and aging are not stored: ``ReceivablesQueries`` works them out for any day
/// from this history, so "as of" is a query parameter rather than a rebuild.
///
/// What the answers mean: ``AgingBucket`` gives the bucket edges (both ends inclusive: 30 days
/// overdue is in 0-30, 31 in 31-60, 180 in 91-180, 181 in 180+), and ``ReceivablesFigures`` how
/// balance, credit and refunds relate (a refund does not reopen an instalment).
///
/// Tables:
/// - `contracts`: contract id → its history (``ReceivableContractRow``);
/// - `customer-contracts`: `customer|contract` → the contract, for a customer's receivables;
/// - `owner-contracts`: `owner|contract` → the contract, for one rep's aging.
public final class ReceivablesProjector: Projector {
    /// The read model's name.
    public static let name = "receivables"
    /// Version 1: the first layout.
    public static let version: UInt32 = 1
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

    /// An empty read model.
    public init() {}

    /// The projector's tables.
    public var tables: [any ReadModelTableProtocol] { [contracts, customerContracts, ownerContracts] }

    /// Records one contract event against its contract.
    public func apply(_ event: CRMEvent) throws {
        let day = BusinessDay(event.occurredAt).number
        switch event.payload {
        case let drafted as CRMContractDrafted:
            contracts[drafted.contractID] = ReceivableContractRow(
                contractID: drafted.contractID,
                customerID: drafted.customerID,
                ownerID: drafted.ownerID,
                currency: drafted.amount.currency,
                amount: drafted.amount.minorUnits,
                draftedDay: day,
                boundDay: drafted.approvalChain.isEmpty ? day : nil
            )
            customerContracts[FinanceKey.join(drafted.customerID, drafted.contractID)] = ReceivableLinkRow(
                contractID: drafted.contractID
            )
            ownerContracts[FinanceKey.join(drafted.ownerID, drafted.contractID)] = ReceivableLinkRow(
                contractID: drafted.contractID
            )
        case let approved as CRMContractApproved where approved.binding:
            contracts.updateIfPresent(approved.contractID) { $0.boundDay = day }
        case let rejected as CRMContractRejected:
            contracts.updateIfPresent(rejected.contractID) { $0.rejectedDay = day }
        case let scheduled as CRMInstalmentsScheduled:
            contracts.updateIfPresent(scheduled.contractID) { contract in
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
            contracts.updateIfPresent(payment.contractID) { contract in
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
            contracts.updateIfPresent(refund.contractID) {
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

    private func updateRefund(
        _ contractID: String,
        _ refundID: String,
        _ change: (inout ReceivableContractRow.Refund) -> Void
    ) {
        contracts.updateIfPresent(contractID) { contract in
            guard let index = contract.refunds.firstIndex(where: { $0.refundID == refundID }) else { return }
            change(&contract.refunds[index])
        }
    }
}
