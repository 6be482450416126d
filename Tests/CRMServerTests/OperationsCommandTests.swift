import CRMSchema
import Foundation
import Testing

/// Inventory and payables, campaigns and targets, and after-sales service over a real
/// socket, each outcome read back from the log.
@Suite("Operations commands over HTTP")
struct OperationsCommandTests {
    @Test("goods are ordered, received and shipped against a contract; bills are paid; expenses recorded")
    func inventoryAndPayables() async throws {
        let crm = try await CommandServer.start("commands-inventory")
        let product = try await crm.post(
            "/v1/products",
            #"{"sku":"kettle","name":"Kettle","price":{"amount":20000,"currency":"CNY"},"cost":{"amount":8000,"currency":"CNY"}}"#,
            as: .admin
        ).id("productId")
        var head = try crm.head()
        let nameless = try await crm.post("/v1/suppliers", #"{"name":"  "}"#, as: .manager)
        #expect(nameless.status == 400 && nameless.code == "field_required", "\(nameless.json)")
        let supplier = try await crm.post(
            "/v1/suppliers",
            #"{"name":"Yixing Clayworks","contact":"Mr Chen"}"#,
            as: .manager
        )
        #expect(supplier.status == 201, "\(supplier.json)")
        let supplierID = try supplier.id("supplierId")
        #expect(try crm.event(CRMSupplierAdded.self, after: head).name == "Yixing Clayworks")

        head = try crm.head()
        let order = try await crm.post(
            "/v1/suppliers/\(supplierID)/purchase-orders",
            #"{"lines":[{"productId":"\#(product)","quantity":20}]}"#,
            as: .finance
        )
        #expect(order.status == 201, "\(order.json)")
        let orderID = try order.id("purchaseOrderId")
        #expect(try crm.event(CRMPurchaseOrdered.self, after: head).purchaseOrderID == orderID)
        head = try crm.head()
        let received = try await crm.post(
            "/v1/purchase-orders/\(orderID)/receipts",
            #"{"lines":[{"productId":"\#(product)","quantity":15}]}"#,
            as: .manager
        )
        #expect(received.status == 200, "\(received.json)")
        #expect(try crm.event(CRMStockChanged.self, after: head).productID == product)
        let tooMany = try await crm.post(
            "/v1/purchase-orders/\(orderID)/receipts",
            #"{"lines":[{"productId":"\#(product)","quantity":6}]}"#,
            as: .manager
        )
        #expect(tooMany.status == 422 && tooMany.code == "receipt_exceeds_order", "\(tooMany.json)")

        let customer = try await crm.post(
            "/v1/customers",
            #"{"name":"Jingdezhen Cafe","ownerId":"\#(crm.id(.rep))"}"#,
            as: .rep
        ).id("customerId")
        let contract = try await crm.post(
            "/v1/contracts",
            #"{"customerId":"\#(customer)","lines":[{"productId":"\#(product)","quantity":10}]}"#,
            as: .rep
        ).id("contractId")
        head = try crm.head()
        let shipped = try await crm.post(
            "/v1/contracts/\(contract)/shipments",
            #"{"lines":[{"productId":"\#(product)","quantity":10}]}"#,
            as: .manager
        )
        #expect(shipped.status == 201, "\(shipped.json)")
        #expect(try crm.event(CRMShipmentDispatched.self, after: head).shipmentID == (try shipped.id("shipmentId")))
        let more = try await crm.post(
            "/v1/contracts/\(contract)/shipments",
            #"{"lines":[{"productId":"\#(product)","quantity":1}]}"#,
            as: .manager
        )
        #expect(more.status == 422 && more.code == "shipment_exceeds_contract", "\(more.json)")

        head = try crm.head()
        let bill = try await crm.post(
            "/v1/suppliers/\(supplierID)/bills",
            #"{"purchaseOrderId":"\#(orderID)","amount":120000,"currency":"CNY","dueAt":"2026-12-31T00:00:00Z"}"#,
            as: .finance
        )
        #expect(bill.status == 201, "\(bill.json)")
        let billID = try bill.id("billId")
        #expect(try crm.event(CRMSupplierBillReceived.self, after: head).billID == billID)
        head = try crm.head()
        #expect(
            try await crm.post(
                "/v1/suppliers/\(supplierID)/bills/\(billID)/payments",
                #"{"amount":100000,"currency":"CNY","method":"bank_transfer"}"#,
                as: .finance
            ).status == 200
        )
        #expect(try crm.event(CRMSupplierPaid.self, after: head).method == .bankTransfer)
        let overpaid = try await crm.post(
            "/v1/suppliers/\(supplierID)/bills/\(billID)/payments",
            #"{"amount":30000,"currency":"CNY","method":"cash"}"#,
            as: .admin
        )
        #expect(overpaid.status == 422 && overpaid.code == "payment_exceeds_bill", "\(overpaid.json)")

        head = try crm.head()
        let expense = try await crm.post(
            "/v1/expenses",
            #"{"category":"travel","item":"train to Yixing","amount":35000,"currency":"CNY","customerId":"\#(customer)"}"#,
            as: .finance
        )
        #expect(expense.status == 201, "\(expense.json)")
        #expect(try crm.event(CRMExpenseRecorded.self, after: head).clerkID == crm.id(.finance))
        let free = try await crm.post(
            "/v1/expenses",
            #"{"category":"travel","item":"walk","amount":0,"currency":"CNY"}"#,
            as: .finance
        )
        #expect(free.status == 400 && free.code == "invalid_value", "\(free.json)")
        try await crm.stop()
    }

    @Test("a campaign takes responses while it runs; managers set their own team's targets")
    func campaignsAndTargets() async throws {
        let crm = try await CommandServer.start("commands-marketing")
        var head = try crm.head()
        let ended = try await crm.post(
            "/v1/campaigns",
            #"{"name":"Last year","channel":"sms","budget":{"amount":1,"currency":"CNY"},"endsAt":"2025-01-01T00:00:00Z"}"#,
            as: .admin
        )
        #expect(
            ended.status == 400 && ended.code == "invalid_value" && ended.facts["field"] == "ends_at",
            "\(ended.json)"
        )
        let campaign = try await crm.post(
            "/v1/campaigns",
            #"{"name":"Spring tasting","targetSegment":"champions","channel":"event","budget":{"amount":5000000,"currency":"CNY"},"endsAt":"2027-04-30T00:00:00Z"}"#,
            as: .manager
        )
        #expect(campaign.status == 201, "\(campaign.json)")
        let campaignID = try campaign.id("campaignId")
        #expect(try crm.event(CRMCampaignLaunched.self, after: head).channel == .event)

        let lead = try await crm.post(
            "/v1/leads",
            #"{"companyName":"Shaoxing Wine","campaignId":"\#(campaignID)"}"#,
            as: .rep
        ).id("leadId")
        head = try crm.head()
        let responded = try await crm.post(
            "/v1/campaigns/\(campaignID)/responses",
            #"{"leadId":"\#(lead)","response":"registered"}"#,
            as: .rep
        )
        #expect(responded.status == 200, "\(responded.json)")
        #expect(try crm.event(CRMCampaignResponded.self, after: head).response == "registered")
        let nobody = try await crm.post(
            "/v1/campaigns/\(campaignID)/responses",
            #"{"response":"registered"}"#,
            as: .rep
        )
        #expect(nobody.status == 400 && nobody.code == "invalid_value", "\(nobody.json)")

        head = try crm.head()
        let team = try await crm.post(
            "/v1/sales-targets",
            #"{"teamId":"\#(crm.north)","period":"2027-Q1","amount":90000000,"currency":"CNY"}"#,
            as: .manager
        )
        #expect(team.status == 200, "\(team.json)")
        #expect(try crm.event(CRMSalesTargetSet.self, after: head).teamID == crm.north)
        let otherTeam = try await crm.post(
            "/v1/sales-targets",
            #"{"repId":"\#(crm.id(.outsider))","period":"2027-01","amount":1,"currency":"CNY"}"#,
            as: .manager
        )
        #expect(otherTeam.status == 403 && otherTeam.code == "outside_scope", "\(otherTeam.json)")
        let badPeriod = try await crm.post(
            "/v1/sales-targets",
            #"{"repId":"\#(crm.id(.rep))","period":"Q1 2027","amount":1,"currency":"CNY"}"#,
            as: .manager
        )
        #expect(badPeriod.status == 400 && badPeriod.code == "invalid_value", "\(badPeriod.json)")
        #expect(try crm.head() == head + 1)
        try await crm.stop()
    }

    @Test("a work order is assigned, resolved and closed; a complaint resolved once; a survey scored 1 to 5")
    func service() async throws {
        let crm = try await CommandServer.start("commands-service")
        let customer = try await crm.post(
            "/v1/customers",
            #"{"name":"Anji Bamboo","ownerId":"\#(crm.id(.rep))"}"#,
            as: .rep
        ).id("customerId")
        try await crm.settle()
        var head = try crm.head()
        let outside = try await crm.post(
            "/v1/work-orders",
            #"{"customerId":"\#(customer)","title":"Leaking urn"}"#,
            as: .outsider
        )
        #expect(outside.status == 403 && outside.code == "outside_scope", "\(outside.json)")
        let opened = try await crm.post(
            "/v1/work-orders",
            #"{"customerId":"\#(customer)","title":"Leaking urn","description":"since Monday"}"#,
            as: .rep
        )
        #expect(opened.status == 201, "\(opened.json)")
        let workOrder = try opened.id("workOrderId")
        #expect(try crm.event(CRMWorkOrderOpened.self, after: head).title == "Leaking urn")

        head = try crm.head()
        #expect(
            try await crm.post(
                "/v1/work-orders/\(workOrder)/assign",
                #"{"assigneeId":"\#(crm.id(.otherRep))"}"#,
                as: .manager
            ).status == 200
        )
        #expect(try crm.event(CRMWorkOrderAssigned.self, after: head).toAssigneeID == crm.id(.otherRep))
        let early = try await crm.post("/v1/work-orders/\(workOrder)/close", "", as: .rep)
        #expect(early.status == 422 && early.code == "work_order_not_ready", "\(early.json)")
        head = try crm.head()
        #expect(
            try await crm.post("/v1/work-orders/\(workOrder)/resolve", #"{"resolution":"new seal"}"#, as: .rep).status
                == 200
        )
        #expect(try crm.event(CRMWorkOrderResolved.self, after: head).resolution == "new seal")
        head = try crm.head()
        #expect(try await crm.post("/v1/work-orders/\(workOrder)/close", "", as: .rep).status == 200)
        #expect(try crm.event(CRMWorkOrderClosed.self, after: head).workOrderID == workOrder)

        head = try crm.head()
        let complaint = try await crm.post(
            "/v1/complaints",
            #"{"customerId":"\#(customer)","category":"delivery","description":"late twice"}"#,
            as: .rep
        )
        #expect(complaint.status == 201, "\(complaint.json)")
        let complaintID = try complaint.id("complaintId")
        #expect(try crm.event(CRMComplaintFiled.self, after: head).category == "delivery")
        head = try crm.head()
        #expect(
            try await crm.post(
                "/v1/complaints/\(complaintID)/resolve",
                #"{"rootCause":"courier","resolution":"new courier"}"#,
                as: .manager
            ).status == 200
        )
        #expect(try crm.event(CRMComplaintResolved.self, after: head).rootCause == "courier")
        let resolved = try await crm.post(
            "/v1/complaints/\(complaintID)/resolve",
            #"{"rootCause":"courier","resolution":"again"}"#,
            as: .manager
        )
        #expect(resolved.status == 422 && resolved.code == "complaint_resolved", "\(resolved.json)")

        head = try crm.head()
        let six = try await crm.post("/v1/customers/\(customer)/surveys", #"{"score":6}"#, as: .rep)
        #expect(six.status == 400 && six.code == "invalid_value", "\(six.json)")
        let survey = try await crm.post(
            "/v1/customers/\(customer)/surveys",
            #"{"workOrderId":"\#(workOrder)","score":5,"comment":"quick"}"#,
            as: .rep
        )
        #expect(survey.status == 201, "\(survey.json)")
        #expect(try crm.event(CRMSatisfactionSurveyed.self, after: head).score == 5)
        try await crm.stop()
    }
}
