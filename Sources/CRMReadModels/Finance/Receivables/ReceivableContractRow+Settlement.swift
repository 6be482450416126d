import CRMDomain
import CRMSchema

/// The day a contract stopped changing with the day it is asked about, and what it adds to
/// aging from then on: see ``ReceivableContractRow/settlement``.
struct ContractSettlement: Equatable {
    /// The latest day among the facts its standing reads.
    var day: Int
    /// Its figures on that day and every later one; `nil` when it is not binding then, so
    /// adds nothing to aging.
    var figures: ReceivablesFigures?
}

extension ReceivableContractRow {
    /// The day from which the contract stands the same on every later day, with its figures
    /// then; `nil` while it is open: an instalment still has money outstanding, whose bucket
    /// moves with the day asked about.
    ///
    /// Past the last fact dated in the row, a standing changes only through instalments' days
    /// overdue, which matter only for money outstanding. So a contract settled on day S adds
    /// the same figures to aging on S and every later day, and the aging report adds them from
    /// per-day sums instead of reading the contract. A later fact (a refund paid, another
    /// instalment) moves S or reopens it.
    ///
    /// A day's sum must come back exactly when a contract leaves it, so a contract whose
    /// figures pass the bound commands keep amounts under (only an old or imported event can
    /// carry more) stays open and is read one by one: no sum saturates on its account.
    var settlement: ContractSettlement? {
        let day = lastFactDay
        guard let standing = standing(asOf: BusinessDay(number: day)) else { return nil }
        guard standing.status == .binding else { return ContractSettlement(day: day, figures: nil) }
        let owesNothing = instalments.allSatisfy { instalment in
            instalment.allocations.lazy.map(\.amount).saturatingSum() == instalment.amount
        }
        guard owesNothing, standing.figures.withinCommandBounds else { return nil }
        return ContractSettlement(day: day, figures: standing.figures)
    }

    /// The latest business day among the facts ``standing(asOf:)`` reads.
    var lastFactDay: Int {
        var last = max(draftedDay, boundDay ?? .min, rejectedDay ?? .min)
        for instalment in instalments {
            last = max(last, instalment.scheduledDay)
            for allocation in instalment.allocations { last = max(last, allocation.day) }
        }
        for payment in payments { last = max(last, payment.day) }
        for refund in refunds { last = max(last, refund.requestedDay, refund.paidDay ?? .min) }
        return last
    }
}

extension ReceivablesFigures {
    /// Whether every amount is within ``CRMSchema/CRMMoney/maxMinorUnits`` either way, so that
    /// thousands of them add up without saturating.
    var withinCommandBounds: Bool {
        [amount, scheduled, unscheduled, collected, credit, received, refunded, outstanding, overdue, balance]
            .allSatisfy { $0.magnitude <= CRMMoney.maxMinorUnits.magnitude }
    }

    /// Takes away figures ``add(_:)`` added (in the same currency).
    mutating func subtract(_ other: ReceivablesFigures) {
        contracts.saturatingDecrement(by: other.contracts)
        amount.saturatingDecrement(by: other.amount)
        scheduled.saturatingDecrement(by: other.scheduled)
        unscheduled.saturatingDecrement(by: other.unscheduled)
        collected.saturatingDecrement(by: other.collected)
        credit.saturatingDecrement(by: other.credit)
        received.saturatingDecrement(by: other.received)
        refunded.saturatingDecrement(by: other.refunded)
        outstanding.saturatingDecrement(by: other.outstanding)
        overdue.saturatingDecrement(by: other.overdue)
        balance.saturatingDecrement(by: other.balance)
        for bucket in AgingBucket.allCases { buckets[bucket].saturatingDecrement(by: other.buckets[bucket]) }
    }
}
