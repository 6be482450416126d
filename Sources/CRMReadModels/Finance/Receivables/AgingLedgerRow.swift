import Projections

/// What ``ReceivableContractRow/standing(asOf:)`` reads of a contract, packed into arrays of
/// integers: the `aging` table's row, which an aging report decodes for every contract open on
/// the day asked about. Decoding a ``ReceivableContractRow`` through its nested `Codable` structs
/// was nine tenths of such a report; arrays of `Int64` are read in one pass.
struct AgingLedgerRow: Codable, Sendable {
    var customerID: String
    var currency: String
    var amount: Int64
    var draftedDay: Int
    var boundDay: Int?
    var rejectedDay: Int?
    /// Per instalment: scheduled day, due day, amount, the number of allocations, then day and
    /// amount of each allocation.
    var instalments: [Int64] = []
    /// Per payment: day, amount, credit.
    var payments: [Int64] = []
    /// Per refund paid: the day requested, the day paid and the amount paid.
    var refundsPaid: [Int64] = []

    /// The ledger of `contract`.
    init(_ contract: ReceivableContractRow) {
        (customerID, currency, amount) = (contract.customerID, contract.currency, contract.amount)
        (draftedDay, boundDay, rejectedDay) = (contract.draftedDay, contract.boundDay, contract.rejectedDay)
        for instalment in contract.instalments {
            instalments += [
                Int64(instalment.scheduledDay), Int64(instalment.dueDay), instalment.amount,
                Int64(instalment.allocations.count),
            ]
            for allocation in instalment.allocations { instalments += [Int64(allocation.day), allocation.amount] }
        }
        for payment in contract.payments { payments += [Int64(payment.day), payment.amount, payment.credit] }
        for refund in contract.refunds {
            guard let paidDay = refund.paidDay else { continue }
            refundsPaid += [Int64(refund.requestedDay), Int64(paidDay), refund.paidAmount ?? refund.amount]
        }
    }

    /// The contract as far as its standing goes (no ids, names or invoices).
    ///
    /// - Throws: ``ProjectionError`` `undecodable_row` when the arrays do not hold whole
    ///   entries: the row is damaged, and a report that skipped it would be wrong.
    func contract(key: String) throws(ProjectionError) -> ReceivableContractRow {
        func damaged(_ what: String) -> ProjectionError {
            ProjectionError(.undecodableRow, "row \"\(key)\" of table aging has \(what)")
        }
        var contract = ReceivableContractRow(
            contractID: "",
            customerID: customerID,
            ownerID: "",
            currency: currency,
            amount: amount,
            draftedDay: draftedDay,
            boundDay: boundDay,
            rejectedDay: rejectedDay
        )
        var index = 0
        while index < instalments.count {
            guard instalments.count - index >= 4, case let allocations = instalments[index + 3],
                allocations >= 0, allocations <= (instalments.count - index - 4) / 2
            else { throw damaged("a partial instalment at \(index)") }
            var instalment = ReceivableContractRow.Instalment(
                number: 0,
                scheduledDay: Int(instalments[index]),
                dueDay: Int(instalments[index + 1]),
                amount: instalments[index + 2]
            )
            index += 4
            for _ in 0..<allocations {
                instalment.allocations.append(
                    .init(day: Int(instalments[index]), amount: instalments[index + 1], paymentID: "")
                )
                index += 2
            }
            contract.instalments.append(instalment)
        }
        guard payments.count % 3 == 0 else { throw damaged("a partial payment") }
        for index in stride(from: 0, to: payments.count, by: 3) {
            contract.payments.append(
                .init(
                    paymentID: "",
                    day: Int(payments[index]),
                    amount: payments[index + 1],
                    method: "",
                    clerkID: "",
                    allocations: [],
                    credit: payments[index + 2]
                )
            )
        }
        guard refundsPaid.count % 3 == 0 else { throw damaged("a partial refund") }
        for index in stride(from: 0, to: refundsPaid.count, by: 3) {
            contract.refunds.append(
                .init(
                    refundID: "",
                    amount: refundsPaid[index + 2],
                    reason: "",
                    returnGoods: false,
                    requestedDay: Int(refundsPaid[index]),
                    paidDay: Int(refundsPaid[index + 1]),
                    paidAmount: refundsPaid[index + 2]
                )
            )
        }
        return contract
    }
}
