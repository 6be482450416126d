import CRMDomain
import CRMSchema
import Foundation

/// A contract as its stream would fold: drafted for customer `c-1` of `owner`, one line worth
/// `amount` in `currency`, waiting for `chain`; binding at once when the chain is empty.
func drafted(
    _ id: String = "k-1",
    amount: Int64 = 100_000,
    currency: String = "CNY",
    owner: String = "rep-1",
    chain: [CRMRole] = []
) -> ContractState {
    var line = CRMPricedLine()
    (line.productID, line.productName, line.quantity, line.discountBasisPoints) = ("prod-1", "Widget", 1, 0)
    (line.unitPrice, line.lineTotal) = (money(amount, currency), money(amount, currency))
    var drafted = CRMContractDrafted()
    (drafted.contractID, drafted.customerID, drafted.ownerID, drafted.opportunityID) = (id, "c-1", owner, "o-1")
    (drafted.lines, drafted.listTotal, drafted.amount) = ([line], line.unitPrice, line.lineTotal)
    drafted.approvalChain = chain
    var state = ContractState(contractID: id)
    state.apply(drafted)
    return state
}

/// Instalments of `amount` in `currency`, due `days` after ``businessDay(_:)``.
func newInstalments(
    _ instalments: [(days: Double, amount: Int64)],
    currency: String = "CNY"
) -> [ReceivableDecisions
    .NewInstalment]
{
    instalments.map { .init(dueAt: businessDay($0.days), amount: money($0.amount, currency)) }
}

/// `contract` with `instalments` scheduled.
func scheduling(
    _ contract: ContractState,
    _ instalments: [(days: Double, amount: Int64)]
) throws(DomainError)
    -> ContractState
{
    var contract = contract
    contract.apply(try ReceivableDecisions.schedule(contract, newInstalments(instalments, currency: contract.currency)))
    return contract
}

/// `contract` after a bank transfer of `amount` at commission `rate`, and the payment decided.
func paying(
    _ contract: ContractState,
    _ amount: Int64,
    rate: Int32 = 0,
    id: String = "pay-1",
    bankReference: String = ""
) throws(DomainError) -> (ContractState, ReceivableDecisions.Payment) {
    let payment = try ReceivableDecisions.receivePayment(
        contract,
        paymentID: id,
        amount: money(amount, contract.currency),
        method: .bankTransfer,
        bankReference: bankReference,
        clerkID: "fin-1",
        commissionRateBasisPoints: rate
    )
    var contract = contract
    contract.apply(payment.received)
    if let commission = payment.commission { contract.apply(commission) }
    return (contract, payment)
}

/// An allocation as ``ReceivableDecisions/receivePayment`` records it, to compare with.
func allocation(_ number: Int32, _ amount: Int64, _ currency: String = "CNY") -> CRMPaymentAllocation {
    var allocation = CRMPaymentAllocation()
    (allocation.instalmentNumber, allocation.amount) = (number, money(amount, currency))
    return allocation
}
