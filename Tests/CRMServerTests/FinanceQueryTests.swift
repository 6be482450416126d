import CRMDomain
import CRMSchema
import CRMService
import Foundation
import RapportAPI
import SwiftProtobuf
import Testing

/// Receivables, receipts, expenses, payables and commission over HTTP.
@Suite("Finance over HTTP")
struct FinanceQueryTests {
    /// `rep`'s contract `k1` (2,000 yuan: 1,000 due 31 March and 1,000 due 30 April, 600 paid
    /// on 5 April) and `other`'s `k2` (1,000 yuan, paid in full on 20 March), at 2.5%
    /// commission; 800 yuan of travel expenses; bills of 100, 200 and 300 yuan from three
    /// suppliers, the first paid.
    static func booksServer(_ name: String) async throws -> (RunningServer, Staff) {
        try await RunningServer.staffed(name) { crm, staff in
            try await crm.configureCommissionRate(
                .with { $0.rateBasisPoints = 250 },
                actor: staff["admin"],
                occurredAt: ReportTime.at("2026-01-02")
            )
            let seat = try await crm.addProduct(
                NewProduct(sku: "seat", name: "Seat", price: yuan(1_000), cost: yuan(400)),
                actor: "setup",
                occurredAt: ReportTime.at("2026-01-02")
            )
            for (key, owner, seats, plan) in [
                ("1", "rep", 2, [("2026-03-31", 1_000), ("2026-04-30", 1_000)]),
                ("2", "other", 1, [("2026-03-31", 1_000)]),
            ] {
                var customer = NewCustomer(name: "Customer \(key)")
                customer.ownerID = staff[owner]
                staff.ids["c" + key] = try await crm.createCustomer(
                    customer,
                    actor: "setup",
                    occurredAt: ReportTime.at("2026-03-02")
                )
                let contract = try await crm.draftContract(
                    for: staff["c" + key],
                    lines: [.init(productID: seat, quantity: Int32(seats))],
                    actor: staff[owner],
                    occurredAt: ReportTime.at("2026-03-10")
                )
                staff.ids["k" + key] = contract
                try await crm.scheduleInstalments(
                    contract,
                    plan.map { .init(dueAt: ReportTime.at($0.0), amount: yuan(Int64($0.1))) },
                    actor: staff[owner],
                    occurredAt: ReportTime.at("2026-03-10")
                )
            }
            _ = try await crm.recordPayment(
                staff["k1"],
                amount: yuan(600),
                method: .bankTransfer,
                actor: staff["finance"],
                occurredAt: ReportTime.at("2026-04-05")
            )
            _ = try await crm.recordPayment(
                staff["k2"],
                amount: yuan(1_000),
                method: .alipay,
                actor: staff["finance"],
                occurredAt: ReportTime.at("2026-03-20")
            )
            for (item, amount) in [("train", 300), ("hotel", 500)] {
                _ = try await crm.recordExpense(
                    category: "travel",
                    item: item,
                    amount: yuan(Int64(amount)),
                    actor: staff["finance"],
                    occurredAt: ReportTime.at("2026-03-15")
                )
            }
            for (index, amount) in [100, 200, 300].enumerated() {
                let supplier = try await crm.addSupplier(
                    named: "Supplier \(index)",
                    actor: "setup",
                    occurredAt: ReportTime.at("2026-01-02")
                )
                staff.ids["s\(index)"] = supplier
                let bill = try await crm.receiveSupplierBill(
                    from: supplier,
                    amount: yuan(Int64(amount)),
                    dueAt: ReportTime.at("2026-04-30"),
                    actor: staff["finance"],
                    occurredAt: ReportTime.at("2026-03-01")
                )
                if index == 0 {
                    try await crm.paySupplier(
                        supplier,
                        billID: bill,
                        amount: yuan(100),
                        method: .bankTransfer,
                        actor: staff["finance"],
                        occurredAt: ReportTime.at("2026-03-05")
                    )
                }
            }
        }
    }

    @Test("a contract's and a customer's receivables as of a day, within the caller's customers")
    func receivables() async throws {
        let (server, staff) = try await Self.booksServer("finance-receivables")
        let (rep, admin) = (try server.client(as: "rep", staff), try server.client(as: "admin", staff))
        let (k1, c1) = (staff["k1"], staff["c1"])
        let before = try await rep.contractReceivables(path: .init(contract: k1), query: .init(asOf: "2026-04-01"))
            .ok.body.json
        #expect((before.figures?.collected, before.figures?.overdue) == (0, 100_000), "\(before)")
        let after = try await server.client(as: "manager", staff).contractReceivables(
            path: .init(contract: k1),
            query: .init(asOf: "2026-04-10")
        ).ok.body.json
        #expect((after.figures?.collected, after.figures?.overdue) == (60_000, 40_000))
        #expect(after.payments?.count == 1)
        let customer = try await rep.customerReceivables(path: .init(customer: c1), query: .init(asOf: "2026-04-10"))
            .ok.body.json
        #expect(customer.currencies?.first?.outstanding == 140_000, "\(customer)")
        #expect(customer.contracts?.compactMap(\.contractID) == [k1])

        let refused = try await server.client(as: "other", staff).contractReceivables(
            path: .init(contract: k1),
            query: .init(asOf: "2026-04-10")
        )
        #expect(try refused.forbidden.body.json.value1.error.code == "outside_scope", "\(refused)")
        let west = try await server.client(as: "west", staff).customerReceivables(
            path: .init(customer: c1),
            query: .init(asOf: "2026-04-10")
        )
        #expect((try? west.forbidden) != nil, "\(west)")
        let subscriber = try await server.client(as: "subscriber", staff).contractReceivables(
            path: .init(contract: k1),
            query: .init(asOf: "2026-04-10")
        )
        #expect((try? subscriber.forbidden) != nil, "\(subscriber)")
        let undrafted = try await rep.contractReceivables(path: .init(contract: k1), query: .init(asOf: "2026-03-01"))
        #expect((try? undrafted.notFound) != nil, "not drafted yet: \(undrafted)")
        let nope = try await admin.contractReceivables(path: .init(contract: "nope"), query: .init(asOf: "2026-04-10"))
        #expect(try nope.notFound.body.json.error.code == "not_found", "\(nope)")
        let badDay = try await admin.contractReceivables(path: .init(contract: k1), query: .init(asOf: "10-04-2026"))
        #expect(try badDay.badRequest.body.json.error.code == "invalid_query_parameter", "\(badDay)")
        let noSuchDay = try await admin.customerReceivables(path: .init(customer: c1), query: .init(asOf: "2026-04-31"))
        #expect(try noSuchDay.badRequest.body.json.error.code == "invalid_query_parameter", "\(noSuchDay)")
        // Hand-built: `asOf` is required in the spec, so the typed client cannot leave it out.
        let noDay = try await server.get("/v1/receivables/contracts/\(k1)", as: "admin", staff)
        #expect((noDay.status, noDay.json.errorCode) == (400, "invalid_query_parameter"), "\(noDay.json)")

        let aging = try await rep.receivablesAging(query: .init(asOf: "2026-04-10")).ok.body.json
        #expect(aging.owner == staff["rep"])
        let othersAging = try await rep.receivablesAging(query: .init(asOf: "2026-04-10", owner: staff["other"]))
        #expect(try othersAging.forbidden.body.json.value1.error.code == "outside_scope", "\(othersAging)")
        try await server.stop()
    }

    @Test("receipts, expenses and payables are the company's books: admin, finance and auditor")
    func books() async throws {
        let (server, staff) = try await Self.booksServer("finance-books")
        let (finance, auditor) = (try server.client(as: "finance", staff), try server.client(as: "auditor", staff))
        let receipts = try await finance.receipts(query: .init(period: "2026")).ok.body.json
        #expect((receipts.totals?.first?.amount, receipts.totals?.first?.count) == (160_000, 2), "\(receipts)")
        #expect(receipts.byMethod?.count == 2)
        let april = try await auditor.receipts(query: .init(period: "2026-04")).ok.body.json
        #expect(april.totals?.first?.amount == 60_000)
        let expenses = try await server.client(as: "admin", staff).expenses(query: .init(period: "2026-Q1"))
            .ok.body.json
        #expect(
            expenses.byCategory?.map { "\($0.key ?? "") \($0.amount ?? -1) \($0.count ?? -1)" } == ["travel 80000 2"]
        )

        let first = try await finance.payables(query: .init(limit: 2)).ok.body.json
        let next = try #require(first.next, "\(first)")
        let second = try await finance.payables(query: .init(after: next, limit: 2)).ok.body.json
        let suppliers = (first.suppliers + second.suppliers).compactMap(\.supplierID)
        #expect(
            suppliers.count == 3 && Set(suppliers) == [staff["s0"], staff["s1"], staff["s2"]],
            "two pages, no overlap, no gap"
        )
        #expect(second.next == nil)
        let owed = try await finance.payables(query: .init(outstanding: true)).ok.body.json
        #expect(owed.suppliers.compactMap(\.outstanding).sorted() == [20_000, 30_000])
        let supplier = try await auditor.supplierPayables(path: .init(supplier: staff["s1"])).ok.body.json
        #expect((supplier.bills?.count, supplier.bills?.first?.outstanding) == (1, 20_000))

        for who in ["rep", "manager", "subscriber"] {
            let outsider = try server.client(as: who, staff)
            let theirReceipts = try await outsider.receipts(query: .init(period: "2026"))
            #expect((try? theirReceipts.forbidden) != nil, "\(who) receipts: \(theirReceipts)")
            let theirExpenses = try await outsider.expenses(query: .init(period: "2026"))
            #expect((try? theirExpenses.forbidden) != nil, "\(who) expenses: \(theirExpenses)")
            let theirPayables = try await outsider.payables()
            #expect((try? theirPayables.forbidden) != nil, "\(who) payables: \(theirPayables)")
            let theirSupplier = try await outsider.supplierPayables(path: .init(supplier: staff["s1"]))
            #expect((try? theirSupplier.forbidden) != nil, "\(who) supplier: \(theirSupplier)")
        }
        let nope = try await finance.supplierPayables(path: .init(supplier: "nope"))
        #expect((try? nope.notFound) != nil, "\(nope)")
        let noMonth = try await finance.receipts(query: .init(period: "2026-00"))
        #expect(try noMonth.badRequest.body.json.error.code == "invalid_query_parameter", "\(noMonth)")
        let tooMany = try await finance.payables(query: .init(limit: 5000))
        #expect(try tooMany.badRequest.body.json.error.code == "invalid_query_parameter", "\(tooMany)")
        // Hand-built: the spec makes `period` required and `outstanding` a boolean, so the typed client cannot
        // leave the one out or send `maybe` as the other.
        for path in ["expenses", "payables?outstanding=maybe"] {
            #expect(
                try await server.get("/v1/finance/\(path)", as: "finance", staff).json.errorCode
                    == "invalid_query_parameter",
                "\(path)"
            )
        }
        try await server.stop()
    }

    @Test("commission: a rep's own, a manager's named rep, everyone's for finance")
    func commission() async throws {
        let (server, staff) = try await Self.booksServer("finance-commission")
        let (rep, manager, finance) = (
            try server.client(as: "rep", staff), try server.client(as: "manager", staff),
            try server.client(as: "finance", staff)
        )
        let mine = try await rep.commission(query: .init(period: "2026")).ok.body.json
        #expect(
            mine.byRep?.map { "\($0.repID ?? "") \($0.commission ?? -1)" } == ["\(staff["rep"]) 1500"],
            "\(mine)"
        )
        let everyone = try await finance.commission(query: .init(period: "2026")).ok.body.json
        #expect(everyone.totals?.first?.commission == 1_500 + 2_500)
        let named = try await manager.commission(query: .init(period: "2026-03", rep: staff["other"])).ok.body.json
        #expect(named.lines?.compactMap(\.collected) == [100_000])

        let others = try await rep.commission(query: .init(period: "2026", rep: staff["other"]))
        #expect(try others.forbidden.body.json.value1.error.code == "outside_scope", "\(others)")
        let west = try await manager.commission(query: .init(period: "2026", rep: staff["west"]))
        #expect((try? west.forbidden) != nil, "\(west)")
        let nobodyNamed = try await manager.commission(query: .init(period: "2026"))
        #expect((try? nobodyNamed.badRequest) != nil, "\(nobodyNamed)")
        let noYear = try await finance.commission(query: .init(period: "Q1"))
        #expect((try? noYear.badRequest) != nil, "\(noYear)")
        try await server.stop()
    }
}
