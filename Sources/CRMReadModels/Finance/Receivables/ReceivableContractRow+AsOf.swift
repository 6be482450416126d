import CRMDomain

extension ReceivableContractRow {
    /// The contract as it stood at the end of `day`, from the facts dated on or before it; `nil`
    /// when it was drafted later.
    ///
    /// Anything dated after `day` is left out: instalments scheduled later, allocations and
    /// payments received later, later invoices and refund steps. So the answer equals the one a
    /// log cut off at the end of `day` would give.
    func receivables(asOf day: BusinessDay) -> ContractReceivables? {
        let end = day.number
        guard let standing = standing(asOf: day) else { return nil }
        var instalmentViews: [InstalmentReceivable] = []
        for instalment in instalments.sorted(by: { $0.number < $1.number }) where instalment.scheduledDay <= end {
            let allocations = instalment.allocations.filter { $0.day <= end }
            let allocated = allocations.lazy.map(\.amount).saturatingSum()
            let outstanding = instalment.amount.saturatingSubtract(allocated)
            let daysOverdue = end.saturatingSubtract(instalment.dueDay)
            instalmentViews.append(
                InstalmentReceivable(
                    number: Int(instalment.number),
                    dueOn: BusinessDay(number: instalment.dueDay).description,
                    amount: instalment.amount,
                    allocated: allocated,
                    outstanding: outstanding,
                    daysOverdue: daysOverdue,
                    bucket: AgingBucket(daysOverdue: daysOverdue),
                    allocations: allocations.map {
                        AllocationRecord(
                            on: BusinessDay(number: $0.day).description,
                            amount: $0.amount,
                            paymentID: $0.paymentID
                        )
                    }
                )
            )
        }
        let paymentViews = payments.filter { $0.day <= end }.map { payment in
            PaymentRecord(
                paymentID: payment.paymentID,
                on: BusinessDay(number: payment.day).description,
                amount: payment.amount,
                method: payment.method,
                clerkID: payment.clerkID,
                allocations: payment.allocations.map {
                    PaymentShare(instalment: Int($0.instalment), amount: $0.amount)
                },
                credit: payment.credit
            )
        }
        let invoiceViews = invoices.filter { $0.requestedDay <= end }.map { invoice in
            let issued = invoice.issuedDay.map { $0 <= end } ?? false
            return InvoiceRecord(
                invoiceID: invoice.invoiceID,
                amount: invoice.amount,
                title: invoice.title,
                requestedOn: BusinessDay(number: invoice.requestedDay).description,
                issuedOn: issued ? invoice.issuedDay.map { BusinessDay(number: $0).description } : nil,
                number: issued ? invoice.number : nil
            )
        }
        let refundViews = refunds.filter { $0.requestedDay <= end }.map { refund in
            func by(_ day: Int?) -> Int? { day.flatMap { $0 <= end ? $0 : nil } }
            let (approved, rejected, goods, paid) = (
                by(refund.approvedDay), by(refund.rejectedDay), by(refund.goodsReceivedDay), by(refund.paidDay)
            )
            // The furthest step reached by then.
            let status: RefundStatus =
                switch (paid, goods, approved, rejected) {
                case (.some, _, _, _): .paid
                case (nil, .some, _, _): .goodsReceived
                case (nil, nil, .some, _): .approved
                case (nil, nil, nil, .some): .rejected
                case (nil, nil, nil, nil): .requested
                }
            return RefundRecord(
                refundID: refund.refundID,
                amount: refund.amount,
                reason: refund.reason,
                returnGoods: refund.returnGoods,
                status: status,
                requestedOn: BusinessDay(number: refund.requestedDay).description,
                decidedOn: (approved ?? rejected).map { BusinessDay(number: $0).description },
                paidOn: paid.map { BusinessDay(number: $0).description },
                method: paid != nil ? refund.method : nil
            )
        }

        return ContractReceivables(
            contractID: contractID,
            customerID: customerID,
            ownerID: ownerID,
            asOf: day.description,
            status: standing.status,
            amount: amount,
            draftedOn: BusinessDay(number: draftedDay).description,
            boundOn: boundDay.flatMap { $0 <= end ? BusinessDay(number: $0).description : nil },
            figures: standing.figures,
            instalments: instalmentViews,
            payments: paymentViews,
            invoices: invoiceViews,
            refunds: refundViews
        )
    }

    /// The contract's approval status and figures at the end of `day`, and the most days an
    /// instalment with money outstanding was then past due (`nil` when none had money
    /// outstanding); `nil` when it was drafted later. What a report over every contract needs,
    /// without the views of ``receivables(asOf:)``, which takes its figures from here.
    func standing(asOf day: BusinessDay) -> ContractStanding? {
        let end = day.number
        guard draftedDay <= end else { return nil }
        let status = approvalStatus(by: end)
        var figures = ReceivablesFigures(currency: currency)
        // Only a binding contract is scheduled or paid; a pending or rejected one owes nothing.
        guard status == .binding else { return ContractStanding(status: status, figures: figures) }
        var mostDaysOverdue: Int?
        for instalment in instalments where instalment.scheduledDay <= end {
            let allocated = instalment.allocations.lazy.filter { $0.day <= end }.map(\.amount).saturatingSum()
            let outstanding = instalment.amount.saturatingSubtract(allocated)
            let daysOverdue = end.saturatingSubtract(instalment.dueDay)
            figures.scheduled.saturatingIncrement(by: instalment.amount)
            figures.collected.saturatingIncrement(by: allocated)
            figures.buckets[AgingBucket(daysOverdue: daysOverdue)].saturatingIncrement(by: outstanding)
            if outstanding > 0 { mostDaysOverdue = max(mostDaysOverdue ?? .min, daysOverdue) }
        }
        for payment in payments where payment.day <= end {
            figures.credit.saturatingIncrement(by: payment.credit)
            figures.received.saturatingIncrement(by: payment.amount)
        }
        for refund in refunds where refund.requestedDay <= end {
            if let paid = refund.paidDay, paid <= end {
                figures.refunded.saturatingIncrement(by: refund.paidAmount ?? refund.amount)
            }
        }
        figures.contracts = 1
        figures.amount = amount
        figures.unscheduled = amount.saturatingSubtract(figures.scheduled)
        figures.outstanding = figures.buckets.total
        figures.overdue = figures.buckets.overdue
        figures.balance = figures.outstanding.saturatingAdd(figures.unscheduled).saturatingSubtract(figures.credit)
        return ContractStanding(status: status, figures: figures, mostDaysOverdue: mostDaysOverdue)
    }

    /// Where the contract stood in its approval at the end of day number `end`.
    private func approvalStatus(by end: Int) -> ContractApprovalStatus {
        if let boundDay, boundDay <= end { return .binding }
        if let rejectedDay, rejectedDay <= end { return .rejected }
        return .pendingApproval
    }
}

/// A contract's approval status and figures on a day: see ``ReceivableContractRow/standing(asOf:)``.
struct ContractStanding {
    var status: ContractApprovalStatus
    var figures: ReceivablesFigures
    var mostDaysOverdue: Int?
}
