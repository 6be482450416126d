import CRMDomain
import CRMSchema
import Foundation
import PropertyBased
import SwiftProtobuf
import Testing

/// Rules about every payment plan, payment, invoice and commission rate: whatever is
/// scheduled and paid, in any order and amount, money is neither lost nor counted twice.
@Suite("Receivable invariants")
struct ReceivablePropertyTests {
    /// 1-6 instalments due 0-120 days out, of 1-40,000 each: at most 240,000 in all.
    static let plan = zip(Gen.int(in: 0...120), Gen.int64(in: 1...40_000)).array(of: 1...6)
        .map { $0.map { (days: Double($0.0), amount: $0.1) } }
    /// Where to split the plan into two scheduling calls (past the end: one call).
    static let split = Gen.int(in: 1...7)
    /// The contract amount beyond the plan.
    static let slack = Gen.int64(in: 0...50_000)
    /// 1-10 payments, from a cent to more than the largest plan.
    static let payments = Gen.int64(in: 1...60_000).array(of: 1...10)

    /// A binding contract of the plan's total plus `slack`, the plan scheduled in one or two calls.
    private func scheduled(_ plan: [(days: Double, amount: Int64)], split: Int, slack: Int64) throws -> ContractState {
        let total = plan.reduce(0) { $0 + $1.amount }
        let cut = min(split, plan.count)
        var contract = try scheduling(drafted(amount: total + slack), Array(plan[..<cut]))
        if cut < plan.count { contract = try scheduling(contract, Array(plan[cut...])) }
        return contract
    }

    @Test("a payment is allocated oldest due first, never past an instalment; credit only once all is paid")
    func allocation() async {
        await propertyCheck(count: 300, input: Self.plan, Self.split, Self.slack, Self.payments) {
            plan,
            split,
            slack,
            payments in
            var contract = try scheduled(plan, split: split, slack: slack)
            #expect(contract.instalments.map(\.number) == Array(1...Int32(plan.count)))
            let oldestFirst = contract.instalments.sorted { ($0.dueAt.date, $0.number) < ($1.dueAt.date, $1.number) }
            let position = Dictionary(uniqueKeysWithValues: oldestFirst.enumerated().map { ($1.number, $0) })
            var received: Int64 = 0
            for (index, amount) in payments.enumerated() {
                let payment: ReceivableDecisions.Payment
                (contract, payment) = try paying(contract, amount, id: "pay-\(index)")
                received += amount
                let shares = payment.received.allocations.map(\.amount.minorUnits)
                let credit = payment.received.credit.minorUnits
                #expect(credit >= 0)
                #expect(shares.reduce(0, +) == amount - credit, "payment \(amount): \(shares) and credit \(credit)")
                #expect(shares.allSatisfy { $0 > 0 })
                let order = payment.received.allocations.map { position[$0.instalmentNumber]! }
                #expect(order == order.sorted() && Set(order).count == order.count, "allocated out of order: \(order)")

                let paid = oldestFirst.map { contract.allocated[$0.number, default: 0] }
                for (instalment, paid) in zip(oldestFirst, paid) {
                    #expect(paid <= instalment.amount.minorUnits, "instalment \(instalment.number) over-allocated")
                }
                let allPaid = zip(oldestFirst, paid).allSatisfy { $0.amount.minorUnits == $1 }
                if credit > 0 { #expect(allPaid, "credit of \(credit) while instalments are open") }
                // Oldest first: fully paid instalments, then at most one partly paid, then unpaid ones.
                let open = paid.indices.first { paid[$0] < oldestFirst[$0].amount.minorUnits } ?? paid.count
                #expect(
                    paid.dropFirst(open + 1).allSatisfy { $0 == 0 },
                    "paid \(paid) of \(oldestFirst.map(\.amount.minorUnits))"
                )
                #expect(contract.collected <= contract.scheduled)
                #expect(contract.collected + contract.credit == received, "every cent is collected or credit")
            }
        }
    }

    @Test("invoices accepted never pass the contract amount; a request is refused exactly when it would")
    func invoicesWithinAmount() async {
        // The contract amount is near what the first few requests add up to, so that requests
        // fill it exactly, or miss it by a cent, as often as not.
        let requests = Gen.int64(in: 1...40_000).array(of: 1...12)
        await propertyCheck(count: 300, input: requests, Gen.int(in: 1...12), Gen.int64(in: -2...2)) {
            requests,
            first,
            off in
            let amount = max(1, requests.prefix(first).reduce(0, +) + off)
            var contract = drafted(amount: amount)
            var accepted: Int64 = 0
            for (index, request) in requests.enumerated() {
                let wouldPass = accepted + request > amount
                do throws(DomainError) {
                    let event = try ReceivableDecisions.requestInvoice(
                        contract,
                        invoiceID: "inv-\(index)",
                        amount: money(request),
                        title: "Star Tech"
                    )
                    #expect(!wouldPass, "accepted \(request) over \(accepted) of \(amount)")
                    contract.apply(event)
                    accepted += request
                } catch {
                    #expect(wouldPass, "refused \(request) over \(accepted) of \(amount): \(error)")
                    #expect(error.code == .invoiceExceedsContract)
                    #expect(
                        error.facts == [
                            "invoiced": String(accepted), "requested": String(request), "amount": String(amount),
                        ]
                    )
                }
                #expect(contract.invoiced == accepted)
                #expect(accepted <= amount)
            }
        }
    }

    @Test("commissions × 10000 plus the carry are exactly Σ collected × rate, and 0 ≤ carry < 10000")
    func commissionIsExact() async {
        // Rates of 0-10000 basis points; one in five payments at no commission at all.
        let rate = zip(Gen.bool(0.2), Gen.int32(in: 0...10_000)).map { none, rate in none ? 0 : rate }
        let payments = zip(Gen.int64(in: 1...50_000), rate).array(of: 1...10)
        await propertyCheck(count: 300, input: Self.plan, payments) { plan, payments in
            var contract = try scheduled(plan, split: plan.count, slack: 0)
            var earned: Int64 = 0
            var owed: Int64 = 0
            for (index, (amount, rate)) in payments.enumerated() {
                let payment: ReceivableDecisions.Payment
                (contract, payment) = try paying(contract, amount, rate: rate, id: "pay-\(index)")
                let collected = amount - payment.received.credit.minorUnits
                owed += collected * Int64(rate)
                if let commission = payment.commission {
                    #expect(rate > 0 && collected > 0)
                    #expect(commission.collected == money(collected))
                    #expect(commission.rateBasisPoints == rate)
                    #expect(commission.commission.minorUnits >= 0)
                    earned += commission.commission.minorUnits
                } else {
                    #expect(rate == 0 || collected == 0, "no commission on \(collected) at \(rate)")
                }
                #expect((0..<10_000).contains(contract.commissionCarry), "carry \(contract.commissionCarry)")
                #expect(earned * 10_000 + contract.commissionCarry == owed)
            }
        }
    }
}
