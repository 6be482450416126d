import CRMDomain
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import RapportTestSupport
import SwiftProtobuf
import Testing

@Suite("Service, campaigns, targets, inventory, payables and expenses over a real log")
struct OperationsTests {
    func cny(_ yuan: Int64) -> CRMMoney { CRMMoney(minorUnits: yuan * 100, currency: "CNY") }

    /// A binding contract for 10 units of a product, with an owned customer.
    private func contract(in world: CRMWorld) async throws -> (contract: String, customer: String, product: String) {
        let rep = try await world.user("rep")
        let product = try await world.crm.addProduct(
            NewProduct(sku: "PUMP", name: "Pump", price: cny(800), cost: cny(500)),
            actor: "admin"
        )
        let customer = try await world.poolCustomer("杭州水泵有限公司")
        try await world.crm.claimCustomer(customer, actor: rep)
        let contract = try await world.crm.draftContract(
            for: customer,
            lines: [.init(productID: product, quantity: 10)],
            actor: rep
        )
        return (contract, customer, product)
    }

    @Test(
        "a work order is opened, assigned, resolved and closed in order; complaints and surveys are recorded with their rules"
    )
    func service() async throws {
        let world = try CRMWorld("operations")
        let crm = world.crm
        let engineer = try await world.user("engineer")
        let customer = try await world.poolCustomer("售后客户有限公司")
        let order = try await crm.openWorkOrder(for: customer, title: "Pump leaks", actor: "support")
        let early = await #expect(throws: DomainError.self) { try await crm.closeWorkOrder(order, actor: "support") }
        #expect(early?.code == .workOrderNotReady)
        try await crm.assignWorkOrder(order, to: engineer, actor: "support")
        try await crm.resolveWorkOrder(order, resolution: "seal replaced", actor: engineer)
        try await crm.closeWorkOrder(order, actor: "support")
        #expect(
            try world.events(of: "workorder-\(order)").map(\.type) == [
                "crm.v1.WorkOrderOpened", "crm.v1.WorkOrderAssigned", "crm.v1.WorkOrderResolved",
                "crm.v1.WorkOrderClosed",
            ]
        )
        let complaint = try await crm.fileComplaint(for: customer, category: "Quality", actor: "support")
        try await crm.resolveComplaint(
            complaint,
            rootCause: "bad seal batch",
            resolution: "batch recalled",
            actor: "support"
        )
        let twice = await #expect(throws: DomainError.self) {
            try await crm.resolveComplaint(complaint, rootCause: "x", resolution: "y", actor: "support")
        }
        #expect(twice?.code == .complaintResolved)
        _ = try await crm.recordSurvey(for: customer, workOrderID: order, score: 4, actor: "support")
        let badScore = await #expect(throws: DomainError.self) {
            _ = try await crm.recordSurvey(for: customer, score: 6, actor: "support")
        }
        #expect(badScore?.facts["field"] == "score")
        let survey = try CRMSatisfactionSurveyed(
            serializedBytes: try world.events(of: "customer-\(customer)").last!.payload
        )
        #expect((survey.score, survey.workOrderID) == (4, order))
        await world.close()
    }

    @Test("campaign responses come from leads or customers while it runs; targets are set per rep or team and period")
    func campaignsAndTargets() async throws {
        let world = try CRMWorld("operations")
        let (crm, clock) = (world.crm, world.clock)
        let campaign = try await crm.launchCampaign(
            named: "Spring expo",
            targetSegment: "manufacturing, East China",
            channel: .event,
            budget: cny(50_000),
            endsAt: clock.now().addingTimeInterval(7 * 86_400),
            actor: "marketing"
        )
        let lead = try await crm.createLead(NewLead(companyName: "展会线索有限公司"), actor: "marketing")
        try await crm.recordCampaignResponse(campaign, leadID: lead, response: "visited the booth", actor: "marketing")
        let neither = await #expect(throws: DomainError.self) {
            try await crm.recordCampaignResponse(campaign, response: "?", actor: "marketing")
        }
        #expect(neither?.facts["field"] == "respondent")
        clock.advance(days: 8)
        let late = await #expect(throws: DomainError.self) {
            try await crm.recordCampaignResponse(campaign, leadID: lead, response: "late", actor: "marketing")
        }
        #expect(late?.code == .campaignEnded)
        #expect(try world.events(of: "campaign-\(campaign)").count == 2)

        let team = try await world.team("East")
        let rep = try await world.user("rep", team: team)
        try await crm.setSalesTarget(repID: rep, period: "2026-Q2", amount: cny(300_000), actor: "manager")
        try await crm.setSalesTarget(teamID: team, period: "2026", amount: cny(5_000_000), actor: "manager")
        let badPeriod = await #expect(throws: DomainError.self) {
            try await crm.setSalesTarget(repID: rep, period: "Q2 2026", amount: cny(1), actor: "manager")
        }
        #expect(badPeriod?.facts["field"] == "period")
        #expect(try world.events(of: "target-\(team)").count == 1)
        await world.close()
    }

    @Test("goods are bought, received and shipped: never more than ordered, and stock never goes negative")
    func inventory() async throws {
        let world = try CRMWorld("operations")
        let crm = world.crm
        let (contract, customer, product) = try await contract(in: world)
        let supplier = try await crm.addSupplier(named: "宁波泵业", actor: "buyer")
        let purchase = try await crm.orderFromSupplier(
            supplier,
            [.init(productID: product, quantity: 6)],
            actor: "buyer"
        )
        let ordered = try CRMPurchaseOrdered(serializedBytes: try world.events(of: "purchase-\(purchase)")[0].payload)
        #expect(ordered.total == cny(3_000))
        try await crm.receiveGoods(purchase, [.init(productID: product, quantity: 4)], actor: "warehouse")
        let tooMany = await #expect(throws: DomainError.self) {
            try await crm.receiveGoods(purchase, [.init(productID: product, quantity: 3)], actor: "warehouse")
        }
        #expect(tooMany?.code == .receiptExceedsOrder)

        let short = await #expect(throws: DomainError.self) {
            _ = try await crm.shipGoods(of: contract, [.init(productID: product, quantity: 5)], actor: "warehouse")
        }
        #expect(short?.code == .insufficientStock)
        #expect(short?.facts["onHand"] == "4")
        let shipment = try await crm.shipGoods(
            of: contract,
            [.init(productID: product, quantity: 3)],
            actor: "warehouse"
        )
        let dispatched = try CRMShipmentDispatched(
            serializedBytes: try world.events(of: "contract-\(contract)").last!.payload
        )
        #expect((dispatched.shipmentID, dispatched.customerID) == (shipment, customer))
        let stock = try world.events(of: "stock-\(product)").map { try CRMStockChanged(serializedBytes: $0.payload) }
        #expect(stock.map(\.delta) == [4, -3])
        #expect(stock.map(\.onHand) == [4, 1])

        try await crm.receiveGoods(purchase, [.init(productID: product, quantity: 2)], actor: "warehouse")
        let restock = try await crm.orderFromSupplier(
            supplier,
            [.init(productID: product, quantity: 20)],
            actor: "buyer"
        )
        try await crm.receiveGoods(restock, [.init(productID: product, quantity: 20)], actor: "warehouse")
        let overContract = await #expect(throws: DomainError.self) {
            _ = try await crm.shipGoods(of: contract, [.init(productID: product, quantity: 8)], actor: "warehouse")
        }
        #expect(overContract?.code == .shipmentExceedsContract)
        #expect(overContract?.facts["shipped"] == "3")
        await world.close()
    }

    @Test("concurrent shipments against little stock: exactly as many succeed as the stock allows")
    func concurrentShipments() async throws {
        let world = try CRMWorld("operations")
        let crm = world.crm
        let (contract, _, product) = try await contract(in: world)
        let supplier = try await crm.addSupplier(named: "Supplier", actor: "buyer")
        let purchase = try await crm.orderFromSupplier(
            supplier,
            [.init(productID: product, quantity: 5)],
            actor: "buyer"
        )
        try await crm.receiveGoods(purchase, [.init(productID: product, quantity: 5)], actor: "warehouse")
        let shipped = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do {
                        _ = try await crm.shipGoods(
                            of: contract,
                            [.init(productID: product, quantity: 1)],
                            actor: "warehouse"
                        )
                        return true
                    } catch let error as DomainError {
                        #expect(error.code == .insufficientStock)
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(shipped == 5)
        let onHand = try world.events(of: "stock-\(product)").map {
            try CRMStockChanged(serializedBytes: $0.payload).onHand
        }
        #expect(onHand == [5, 4, 3, 2, 1, 0])
        await world.close()
    }

    @Test("supplier bills are paid up to their amount; expenses need a category, an item and an amount")
    func payablesAndExpenses() async throws {
        let world = try CRMWorld("operations")
        let crm = world.crm
        let supplier = try await crm.addSupplier(named: "Supplier", actor: "buyer")
        let bill = try await crm.receiveSupplierBill(
            from: supplier,
            amount: cny(1_000),
            dueAt: world.clock.now().addingTimeInterval(30 * 86_400),
            actor: "finance"
        )
        try await crm.paySupplier(supplier, billID: bill, amount: cny(600), method: .bankTransfer, actor: "finance")
        let over = await #expect(throws: DomainError.self) {
            try await crm.paySupplier(supplier, billID: bill, amount: cny(401), method: .bankTransfer, actor: "finance")
        }
        #expect(over?.code == .paymentExceedsBill)
        #expect(over?.facts["paid"] == "60000")
        try await crm.paySupplier(supplier, billID: bill, amount: cny(400), method: .bankTransfer, actor: "finance")

        let expense = try await crm.recordExpense(
            category: "Travel",
            item: "train to Suzhou",
            amount: cny(300),
            actor: "rep"
        )
        let recorded = try CRMExpenseRecorded(serializedBytes: try world.events(of: "expense-\(expense)")[0].payload)
        #expect((recorded.category, recorded.clerkID, recorded.amount) == ("travel", "rep", cny(300)))
        let noItem = await #expect(throws: DomainError.self) {
            _ = try await crm.recordExpense(category: "travel", item: " ", amount: cny(1), actor: "rep")
        }
        #expect(noItem?.facts["field"] == "item")
        await world.close()
    }
}
