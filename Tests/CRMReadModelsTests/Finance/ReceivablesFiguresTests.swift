import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import Projections
import SwiftProtobuf
import Testing

@Suite("Receivables: balances, credit, refunds, approvals, owners and as-of")
struct ReceivablesFiguresTests {
    typealias F = FinanceFixtures

    struct History {
        let world: CRMWorld
        let customer: String, k1: String, k2: String, k3: String
    }

    /// One customer, three contracts, every kind of money event.
    ///
    /// - K1 5 seats = 5,000 (binding at once, 03-02): #1 2,000 due 03-10 and #2 2,000 due 04-10
    ///   scheduled, 1,000 left unscheduled; invoice of 5,000 requested 03-05, issued 03-09;
    ///   P1 03-05 2,500 → #1 2,000, #2 500; P2 04-15 2,000 → #2 1,500 and 500 credit; refund of
    ///   300 requested 04-16, approved 04-17, paid 04-18.
    /// - K2 20 seats = 20,000 (above the 10,000 threshold) drafted 03-03, approved 03-06.
    /// - K3 12 seats = 12,000 drafted 03-04, rejected 03-05.
    static func history(_ name: String) async throws -> History {
        let world = try CRMWorld.finance(name)
        let crm = world.crm
        let team = try await world.team("East")
        let rep = try await world.user("rep", team: team)
        let manager = try await world.user("manager", role: .manager, team: team)
        let clerk = try await world.user("clerk", role: .finance)
        var policy = CRMApprovalPolicyConfigured()
        (policy.discountThresholdPercent, policy.amountThreshold) = (20, F.cny(10_000))
        policy.chain = [CRMApprovalStep.with { $0.approverRole = .manager }]
        try await crm.configureApprovalPolicy(policy, actor: "admin", occurredAt: F.at("2026-01-01"))
        let seat = try await world.product("SEAT", price: 1_000, cost: 400)
        let customer = try await world.ownedCustomer("甲公司", owner: rep)

        let k1 = try await world.contract(customer, rep: rep, [.init(productID: seat, quantity: 5)], on: "2026-03-02")
        try await crm.scheduleInstalments(
            k1,
            [
                .init(dueAt: F.at("2026-03-10"), amount: F.cny(2_000)),
                .init(dueAt: F.at("2026-04-10"), amount: F.cny(2_000)),
            ],
            actor: rep,
            occurredAt: F.at("2026-03-02", 11)
        )
        let k2 = try await world.contract(customer, rep: rep, [.init(productID: seat, quantity: 20)], on: "2026-03-03")
        let k3 = try await world.contract(customer, rep: rep, [.init(productID: seat, quantity: 12)], on: "2026-03-04")
        let invoice = try await crm.requestInvoice(
            k1,
            amount: F.cny(5_000),
            title: "甲公司",
            actor: rep,
            occurredAt: F.at("2026-03-05", 9)
        )
        _ = try await crm.recordPayment(
            k1,
            amount: F.cny(2_500),
            method: .bankTransfer,
            actor: clerk,
            occurredAt: F.at("2026-03-05")
        )
        try await crm.rejectContract(k3, comment: "too big a step", actor: manager, occurredAt: F.at("2026-03-05", 15))
        try await crm.approveContract(k2, actor: manager, occurredAt: F.at("2026-03-06"))
        try await crm.issueInvoice(invoice, of: k1, number: "INV-1", actor: clerk, occurredAt: F.at("2026-03-09"))
        _ = try await crm.recordPayment(
            k1,
            amount: F.cny(2_000),
            method: .wechatPay,
            actor: clerk,
            occurredAt: F.at("2026-04-15")
        )
        let refund = try await crm.requestRefund(
            k1,
            amount: F.cny(300),
            reason: "one seat unused",
            returnGoods: false,
            actor: rep,
            occurredAt: F.at("2026-04-16")
        )
        try await crm.approveRefund(refund, of: k1, actor: manager, occurredAt: F.at("2026-04-17"))
        try await crm.payRefund(refund, of: k1, method: .bankTransfer, actor: clerk, occurredAt: F.at("2026-04-18"))
        return History(world: world, customer: customer, k1: k1, k2: k2, k3: k3)
    }

    @Test("Credit, unscheduled amounts, refunds, invoices and approval status, day by day")
    func figures() async throws {
        let h = try await Self.history("receivables-figures")
        let queries = ReceivablesQueries(store: try await h.world.readModels([ReceivablesProjector.self]))

        // 03-05: K1 has collected 2,500 (#1 in full, 500 of #2); #2's 1,500 is due 04-10. K2 awaits
        // approval, K3 was rejected that afternoon: neither owes anything.
        let march5 = try queries.customer(id: h.customer, asOf: "2026-03-05")
        var expected = ReceivablesFigures(currency: "CNY")
        (expected.contracts, expected.amount, expected.scheduled, expected.unscheduled) = (
            1, 5_000_00, 4_000_00, 1_000_00
        )
        (expected.collected, expected.received, expected.outstanding, expected.balance) = (
            2_500_00, 2_500_00, 1_500_00, 2_500_00
        )
        expected.buckets.notYetDue = 1_500_00
        #expect(march5.currencies == [expected])
        let statuses = Dictionary(uniqueKeysWithValues: march5.contracts.map { ($0.contractID, $0.status) })
        #expect(statuses == [h.k1: .binding, h.k2: .pendingApproval, h.k3: .rejected])
        let k1March5 = try queries.contract(id: h.k1, asOf: "2026-03-05")
        #expect(k1March5.invoices.map(\.issuedOn) == [nil] && k1March5.invoices.map(\.number) == [nil])
        #expect(try queries.contract(id: h.k3, asOf: "2026-03-04").status == .pendingApproval)
        #expect(try queries.contract(id: h.k2, asOf: "2026-03-05").figures == ReceivablesFigures(currency: "CNY"))

        // 04-12: #2's 1,500 is 2 days overdue (0-30). K2 is binding since 03-06 with nothing
        // scheduled: its 20,000 is unscheduled. Balance = 1,500 + 1,000 + 20,000 = 22,500.
        let april12 = try queries.customer(id: h.customer, asOf: "2026-04-12")
        expected = ReceivablesFigures(currency: "CNY")
        (expected.contracts, expected.amount, expected.scheduled, expected.unscheduled) = (
            2, 25_000_00, 4_000_00, 21_000_00
        )
        (expected.collected, expected.received, expected.outstanding, expected.overdue) = (
            2_500_00, 2_500_00, 1_500_00, 1_500_00
        )
        (expected.balance, expected.buckets.days0to30) = (22_500_00, 1_500_00)
        #expect(april12.currencies == [expected])
        #expect(try queries.contract(id: h.k1, asOf: "2026-04-12").invoices.map(\.number) == ["INV-1"])
        #expect(try queries.contract(id: h.k2, asOf: "2026-04-12").boundOn == "2026-03-06")

        // 04-17: P2 paid #2's 1,500 and left 500 credit; the refund is approved, not yet paid.
        let k1April17 = try queries.contract(id: h.k1, asOf: "2026-04-17")
        #expect(k1April17.refunds.map(\.status) == [.approved] && k1April17.figures.refunded == 0)
        #expect(k1April17.payments.map(\.credit) == [0, 500_00])
        #expect(k1April17.payments.map(\.method) == ["bank_transfer", "wechat_pay"])

        // 04-20: the refund of 300 was paid on 04-18. It does not reopen an instalment: K1's
        // outstanding stays 0 and its balance is 0 + 1,000 unscheduled - 500 credit = 500.
        let k1April20 = try queries.contract(id: h.k1, asOf: "2026-04-20")
        #expect(
            (k1April20.figures.collected, k1April20.figures.credit, k1April20.figures.received) == (
                4_000_00, 500_00, 4_500_00
            )
        )
        #expect(
            (k1April20.figures.refunded, k1April20.figures.outstanding, k1April20.figures.balance) == (
                300_00, 0, 500_00
            )
        )
        let refund = try #require(k1April20.refunds.first)
        #expect(
            (refund.status, refund.decidedOn, refund.paidOn, refund.method) == (
                .paid, "2026-04-17", "2026-04-18", "bank_transfer"
            )
        )
        #expect(try queries.customer(id: h.customer, asOf: "2026-04-20").currencies.map(\.balance) == [20_500_00])
        await h.world.close()
    }

    @Test("Everyone's aging per currency, one owner's, and the customers most overdue")
    func owners() async throws {
        let world = try CRMWorld.finance("receivables-owners")
        let (r1, r2) = (try await world.user("r1"), try await world.user("r2"))
        let clerk = try await world.user("clerk", role: .finance)
        let seat = try await world.product("SEAT", price: 1_000, cost: 400)
        let export = try await world.crm.addProduct(
            NewProduct(
                sku: "EXPORT",
                name: "Export kit",
                price: CRMMoney(minorUnits: 100_00, currency: "USD"),
                cost: CRMMoney(minorUnits: 40_00, currency: "USD")
            ),
            actor: "admin",
            occurredAt: F.at("2026-01-02")
        )
        let a = try await world.ownedCustomer("A 公司", owner: r1)
        let b = try await world.ownedCustomer("B 公司", owner: r1)
        let c = try await world.ownedCustomer("C 公司", owner: r2)
        func sign(
            _ customer: String,
            _ rep: String,
            _ product: String,
            _ quantity: Int32,
            due: String,
            _ amount: CRMMoney
        ) async throws -> String {
            let id = try await world.contract(
                customer,
                rep: rep,
                [.init(productID: product, quantity: quantity)],
                on: "2026-01-10"
            )
            try await world.crm.scheduleInstalments(
                id,
                [.init(dueAt: F.at(due), amount: amount)],
                actor: rep,
                occurredAt: F.at("2026-01-10", 11)
            )
            return id
        }
        _ = try await sign(a, r1, seat, 3, due: "2026-05-01", F.cny(3_000))
        let kb = try await sign(b, r1, seat, 2, due: "2026-06-20", F.cny(2_000))
        _ = try await sign(c, r2, seat, 4, due: "2026-01-31", F.cny(4_000))
        _ = try await sign(c, r2, export, 5, due: "2026-06-01", CRMMoney(minorUnits: 500_00, currency: "USD"))
        _ = try await world.crm.recordPayment(
            kb,
            amount: F.cny(500),
            method: .cash,
            actor: clerk,
            occurredAt: F.at("2026-06-25")
        )
        let queries = ReceivablesQueries(store: try await world.readModels([ReceivablesProjector.self]))

        // On 06-30: A's 3,000 is 60 days overdue (31-60), B's 1,500 left 10 days (0-30), C's
        // 4,000 150 days (91-180); C's 500 USD 29 days (0-30), in its own currency.
        let everyone = try queries.aging(asOf: "2026-06-30")
        #expect(everyone.currencies.map(\.figures.currency) == ["CNY", "USD"])
        let cnyAging = everyone.currencies[0]
        let usdAging = everyone.currencies[1]
        #expect(cnyAging.figures.buckets.days0to30 == 1_500_00 && cnyAging.figures.buckets.days31to60 == 3_000_00)
        #expect(cnyAging.figures.buckets.days91to180 == 4_000_00 && cnyAging.figures.outstanding == 8_500_00)
        #expect(cnyAging.figures.contracts == 3 && cnyAging.figures.collected == 500_00)
        #expect(cnyAging.topOverdueCustomers.map(\.customerID) == [c, a, b])
        #expect(cnyAging.topOverdueCustomers.map(\.oldestDaysOverdue) == [150, 60, 10])
        #expect(usdAging.figures.buckets.days0to30 == 500_00 && usdAging.topOverdueCustomers.map(\.customerID) == [c])

        let first = try queries.aging(asOf: "2026-06-30", owner: r1, top: 1)
        #expect(
            first.currencies.map(\.figures.currency) == ["CNY"] && first.currencies[0].figures.outstanding == 4_500_00
        )
        #expect(first.currencies[0].topOverdueCustomers.map(\.customerID) == [a], "top 1 of A (3,000) and B (1,500)")
        let second = try queries.aging(asOf: "2026-06-30", owner: r2)
        #expect(second.currencies.map(\.figures.outstanding) == [4_000_00, 500_00])
        #expect(try queries.aging(asOf: "2026-06-30", owner: "nobody").currencies.isEmpty)
        await world.close()
    }

    @Test("A customer's receivables as of a past day equal those of a log cut off at the end of that day")
    func asOfEqualsTruncatedLog() async throws {
        let h = try await Self.history("receivables-as-of")
        let full = ReceivablesQueries(store: try await h.world.readModels([ReceivablesProjector.self]))
        for day in [
            "2026-03-02", "2026-03-04", "2026-03-05", "2026-03-06", "2026-04-12", "2026-04-15", "2026-04-17",
            "2026-04-20",
        ] {
            let cut = ReceivablesQueries(
                store: try await h.world.readModels([ReceivablesProjector.self], asOf: .occurredTime(F.endOf(day)))
            )
            let fromFull = try full.customer(id: h.customer, asOf: day)
            #expect(fromFull == (try cut.customer(id: h.customer, asOf: day)), "customer as of \(day)")
            #expect(try full.aging(asOf: day) == (try cut.aging(asOf: day)), "aging as of \(day)")
            for contract in fromFull.contracts.map(\.contractID) {
                #expect(
                    try full.contract(id: contract, asOf: day) == (try cut.contract(id: contract, asOf: day)),
                    "\(contract) as of \(day)"
                )
            }
        }
        // The cut-off log really is shorter: on 03-04 K3 was still pending and K1 had no payment.
        let early = try full.customer(id: h.customer, asOf: "2026-03-04")
        #expect(early.contracts.count == 3 && early.currencies.map(\.collected) == [0])
        await h.world.close()
    }
}
