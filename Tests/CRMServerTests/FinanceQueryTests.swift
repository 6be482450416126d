import CRMDomain
import CRMSchema
import CRMService
import Foundation
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
        let before = try await server.get("/v1/receivables/contracts/\(staff["k1"])?asOf=2026-04-01", as: "rep", staff)
        #expect(before.status == 200, "\(before.json)")
        #expect(
            (before.json.object("figures").int("collected"), before.json.object("figures").int("overdue")) == (
                0, 100_000
            )
        )
        let after = try await server.get(
            "/v1/receivables/contracts/\(staff["k1"])?asOf=2026-04-10",
            as: "manager",
            staff
        )
        #expect(
            (after.json.object("figures").int("collected"), after.json.object("figures").int("overdue")) == (
                60_000, 40_000
            )
        )
        #expect(after.json.objects("payments").count == 1)
        let customer = try await server.get(
            "/v1/receivables/customers/\(staff["c1"])?asOf=2026-04-10",
            as: "rep",
            staff
        )
        #expect(customer.status == 200, "\(customer.json)")
        #expect(customer.json.objects("currencies").first?.int("outstanding") == 140_000)
        #expect(customer.json.objects("contracts").compactMap { $0["contractID"] as? String } == [staff["k1"]])

        let refused = try await server.get(
            "/v1/receivables/contracts/\(staff["k1"])?asOf=2026-04-10",
            as: "other",
            staff
        )
        #expect((refused.status, refused.json.errorCode) == (403, "outside_scope"))
        let west = try await server.get("/v1/receivables/customers/\(staff["c1"])?asOf=2026-04-10", as: "west", staff)
        #expect(west.status == 403, "\(west.json)")
        #expect(
            try await server.get("/v1/receivables/contracts/\(staff["k1"])?asOf=2026-04-10", as: "subscriber", staff)
                .status == 403
        )
        #expect(
            try await server.get("/v1/receivables/contracts/\(staff["k1"])?asOf=2026-03-01", as: "rep", staff).status
                == 404,
            "not drafted yet"
        )
        #expect(
            try await server.get("/v1/receivables/contracts/nope?asOf=2026-04-10", as: "admin", staff).json.errorCode
                == "not_found"
        )
        for path in [
            "contracts/\(staff["k1"])?asOf=10-04-2026", "contracts/\(staff["k1"])",
            "customers/\(staff["c1"])?asOf=2026-04-31",
        ] {
            let malformed = try await server.get("/v1/receivables/\(path)", as: "admin", staff)
            #expect((malformed.status, malformed.json.errorCode) == (400, "invalid_query_parameter"), "\(path)")
        }

        let aging = try await server.get("/v1/receivables/aging?asOf=2026-04-10", as: "rep", staff)
        #expect(aging.json["owner"] as? String == staff["rep"])
        #expect(
            try await server.get("/v1/receivables/aging?asOf=2026-04-10&owner=\(staff["other"])", as: "rep", staff).json
                .errorCode == "outside_scope"
        )
        try await server.stop()
    }

    @Test("receipts, expenses and payables are the company's books: admin, finance and auditor")
    func books() async throws {
        let (server, staff) = try await Self.booksServer("finance-books")
        let receipts = try await server.get("/v1/finance/receipts?period=2026", as: "finance", staff)
        #expect(receipts.status == 200, "\(receipts.json)")
        #expect(
            (receipts.json.objects("totals").first?.int("amount"), receipts.json.objects("totals").first?.int("count"))
                == (160_000, 2)
        )
        #expect(receipts.json.objects("byMethod").count == 2)
        #expect(
            try await server.get("/v1/finance/receipts?period=2026-04", as: "auditor", staff).json.objects("totals")
                .first?.int("amount") == 60_000
        )
        let expenses = try await server.get("/v1/finance/expenses?period=2026-Q1", as: "admin", staff)
        #expect(
            expenses.json.objects("byCategory").map { "\($0["key"] ?? "") \($0["amount"] ?? "") \($0["count"] ?? "")" }
                == ["travel 80000 2"]
        )

        let first = try await server.get("/v1/finance/payables?limit=2", as: "finance", staff)
        #expect(first.status == 200, "\(first.json)")
        let next = try #require(first.json["next"] as? String)
        let second = try await server.get("/v1/finance/payables?limit=2&after=\(next)", as: "finance", staff)
        let suppliers = (first.json.objects("suppliers") + second.json.objects("suppliers")).compactMap {
            $0["supplierID"] as? String
        }
        #expect(
            suppliers.count == 3 && Set(suppliers) == [staff["s0"], staff["s1"], staff["s2"]],
            "two pages, no overlap, no gap"
        )
        #expect(second.json["next"] == nil)
        let owed = try await server.get("/v1/finance/payables?outstanding=true", as: "finance", staff)
        #expect(owed.json.objects("suppliers").compactMap { $0.int("outstanding") }.sorted() == [20_000, 30_000])
        let supplier = try await server.get("/v1/finance/payables/\(staff["s1"])", as: "auditor", staff)
        #expect(
            (supplier.json.objects("bills").count, supplier.json.objects("bills").first?.int("outstanding")) == (
                1, 20_000
            )
        )

        for path in ["receipts?period=2026", "expenses?period=2026", "payables", "payables/\(staff["s1"])"] {
            for who in ["rep", "manager", "subscriber"] {
                #expect(try await server.get("/v1/finance/\(path)", as: who, staff).status == 403, "\(who) \(path)")
            }
        }
        #expect(try await server.get("/v1/finance/payables/nope", as: "finance", staff).status == 404)
        for path in ["receipts?period=2026-00", "expenses", "payables?limit=5000", "payables?outstanding=maybe"] {
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
        let mine = try await server.get("/v1/finance/commission?period=2026", as: "rep", staff)
        #expect(mine.status == 200, "\(mine.json)")
        #expect(
            mine.json.objects("byRep").map { "\($0["repID"] ?? "") \($0["commission"] ?? "")" } == [
                "\(staff["rep"]) 1500"
            ]
        )
        let everyone = try await server.get("/v1/finance/commission?period=2026", as: "finance", staff)
        #expect(everyone.json.objects("totals").first?.int("commission") == 1_500 + 2_500)
        let named = try await server.get(
            "/v1/finance/commission?period=2026-03&rep=\(staff["other"])",
            as: "manager",
            staff
        )
        #expect(named.json.objects("lines").compactMap { $0.int("collected") } == [100_000])

        #expect(
            try await server.get("/v1/finance/commission?period=2026&rep=\(staff["other"])", as: "rep", staff).json
                .errorCode == "outside_scope"
        )
        #expect(
            try await server.get("/v1/finance/commission?period=2026&rep=\(staff["west"])", as: "manager", staff).status
                == 403
        )
        #expect(try await server.get("/v1/finance/commission?period=2026", as: "manager", staff).status == 400)
        #expect(try await server.get("/v1/finance/commission?period=Q1", as: "finance", staff).status == 400)
        try await server.stop()
    }
}
