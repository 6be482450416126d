import CRMSchema
import Foundation
import RapportAPI
import Testing

/// Inventory and payables, campaigns and targets, and after-sales service over a real
/// socket, each outcome read back from the log.
@Suite("Operations commands over HTTP")
struct OperationsCommandTests {
    @Test("goods are ordered, received and shipped against a contract; bills are paid; expenses recorded")
    func inventoryAndPayables() async throws {
        let crm = try await CommandServer.start("commands-inventory")
        let (admin, manager, rep, finance) = (
            try crm.client(as: .admin), try crm.client(as: .manager), try crm.client(as: .rep),
            try crm.client(as: .finance)
        )
        let product = try await admin.addProduct(
            body: .json(
                .init(
                    sku: "kettle",
                    name: "Kettle",
                    price: .init(amount: 20_000, currency: "CNY"),
                    cost: .init(amount: 8_000, currency: "CNY")
                )
            )
        ).created.body.json.productId
        var head = try crm.head()
        let nameless = try await manager.addSupplier(body: .json(.init(name: "  ")))
        #expect(try nameless.badRequest.body.json.error.code == "field_required", "\(nameless)")
        let supplier = try await manager.addSupplier(body: .json(.init(name: "Yixing Clayworks", contact: "Mr Chen")))
        let supplierID = try supplier.created.body.json.supplierId
        #expect(try crm.event(CRMSupplierAdded.self, after: head).name == "Yixing Clayworks")

        head = try crm.head()
        let order = try await finance.orderFromSupplier(
            path: .init(supplier: supplierID),
            body: .json(.init(lines: [.init(productId: product, quantity: 20)]))
        )
        let orderID = try order.created.body.json.purchaseOrderId
        #expect(try crm.event(CRMPurchaseOrdered.self, after: head).purchaseOrderID == orderID)
        head = try crm.head()
        let received = try await manager.receiveGoods(
            path: .init(order: orderID),
            body: .json(.init(lines: [.init(productId: product, quantity: 15)]))
        )
        #expect(try received.ok.body.json.changed, "\(received)")
        #expect(try crm.event(CRMStockChanged.self, after: head).productID == product)
        let tooMany = try await manager.receiveGoods(
            path: .init(order: orderID),
            body: .json(.init(lines: [.init(productId: product, quantity: 6)]))
        )
        #expect(try tooMany.unprocessableContent.body.json.error.code == "receipt_exceeds_order", "\(tooMany)")

        let customer = try await rep.createCustomer(
            body: .json(.init(name: "Jingdezhen Cafe", ownerId: crm.id(.rep)))
        ).created.body.json.customerId
        let contract = try await rep.draftContract(
            body: .json(.init(customerId: customer, lines: [.init(productId: product, quantity: 10)]))
        ).created.body.json.contractId
        head = try crm.head()
        let shipped = try await manager.shipGoods(
            path: .init(contract: contract),
            body: .json(.init(lines: [.init(productId: product, quantity: 10)]))
        )
        #expect(
            try crm.event(CRMShipmentDispatched.self, after: head).shipmentID
                == (try shipped.created.body.json.shipmentId)
        )
        let more = try await manager.shipGoods(
            path: .init(contract: contract),
            body: .json(.init(lines: [.init(productId: product, quantity: 1)]))
        )
        #expect(try more.unprocessableContent.body.json.error.code == "shipment_exceeds_contract", "\(more)")

        head = try crm.head()
        let bill = try await finance.receiveSupplierBill(
            path: .init(supplier: supplierID),
            body: .json(
                .init(
                    purchaseOrderId: orderID,
                    amount: 120_000,
                    currency: "CNY",
                    dueAt: try Date("2026-12-31T00:00:00Z", strategy: .iso8601)
                )
            )
        )
        let billID = try bill.created.body.json.billId
        #expect(try crm.event(CRMSupplierBillReceived.self, after: head).billID == billID)
        head = try crm.head()
        let paid = try await finance.paySupplier(
            path: .init(supplier: supplierID, bill: billID),
            body: .json(.init(amount: 100_000, currency: "CNY", method: .bankTransfer))
        )
        #expect(try paid.ok.body.json.changed, "\(paid)")
        #expect(try crm.event(CRMSupplierPaid.self, after: head).method == .bankTransfer)
        let overpaid = try await admin.paySupplier(
            path: .init(supplier: supplierID, bill: billID),
            body: .json(.init(amount: 30_000, currency: "CNY", method: .cash))
        )
        #expect(try overpaid.unprocessableContent.body.json.error.code == "payment_exceeds_bill", "\(overpaid)")

        head = try crm.head()
        let expense = try await finance.recordExpense(
            body: .json(
                .init(
                    category: "travel",
                    item: "train to Yixing",
                    amount: 35_000,
                    currency: "CNY",
                    customerId: customer
                )
            )
        )
        #expect(try !expense.created.body.json.expenseId.isEmpty, "\(expense)")
        #expect(try crm.event(CRMExpenseRecorded.self, after: head).clerkID == crm.id(.finance))
        let free = try await finance.recordExpense(
            body: .json(.init(category: "travel", item: "walk", amount: 0, currency: "CNY"))
        )
        #expect(try free.badRequest.body.json.error.code == "invalid_value", "\(free)")
        try await crm.stop()
    }

    @Test("a campaign takes responses while it runs; managers set their own team's targets")
    func campaignsAndTargets() async throws {
        let crm = try await CommandServer.start("commands-marketing")
        let (manager, rep) = (try crm.client(as: .manager), try crm.client(as: .rep))
        var head = try crm.head()
        let ended = try await crm.client(as: .admin).launchCampaign(
            body: .json(
                .init(
                    name: "Last year",
                    channel: .sms,
                    budget: .init(amount: 1, currency: "CNY"),
                    endsAt: try Date("2025-01-01T00:00:00Z", strategy: .iso8601)
                )
            )
        )
        let endedError = try ended.badRequest.body.json.error
        #expect(
            endedError.code == "invalid_value" && endedError.facts.additionalProperties["field"] == "ends_at",
            "\(ended)"
        )
        let campaign = try await manager.launchCampaign(
            body: .json(
                .init(
                    name: "Spring tasting",
                    targetSegment: "champions",
                    channel: .event,
                    budget: .init(amount: 5_000_000, currency: "CNY"),
                    endsAt: try Date("2027-04-30T00:00:00Z", strategy: .iso8601)
                )
            )
        )
        let campaignID = try campaign.created.body.json.campaignId
        #expect(try crm.event(CRMCampaignLaunched.self, after: head).channel == .event)

        let lead = try await rep.createLead(body: .json(.init(companyName: "Shaoxing Wine", campaignId: campaignID)))
            .created.body.json.leadId
        head = try crm.head()
        let responded = try await rep.recordCampaignResponse(
            path: .init(campaign: campaignID),
            body: .json(.init(leadId: lead, response: "registered"))
        )
        #expect(try responded.ok.body.json.changed, "\(responded)")
        #expect(try crm.event(CRMCampaignResponded.self, after: head).response == "registered")
        let nobody = try await rep.recordCampaignResponse(
            path: .init(campaign: campaignID),
            body: .json(.init(response: "registered"))
        )
        #expect(try nobody.badRequest.body.json.error.code == "invalid_value", "\(nobody)")

        head = try crm.head()
        let team = try await manager.setSalesTarget(
            body: .json(.init(teamId: crm.north, period: "2027-Q1", amount: 90_000_000, currency: "CNY"))
        )
        #expect(try team.ok.body.json.changed, "\(team)")
        #expect(try crm.event(CRMSalesTargetSet.self, after: head).teamID == crm.north)
        let otherTeam = try await manager.setSalesTarget(
            body: .json(.init(repId: crm.id(.outsider), period: "2027-01", amount: 1, currency: "CNY"))
        )
        #expect(try otherTeam.forbidden.body.json.value1.error.code == "outside_scope", "\(otherTeam)")
        let badPeriod = try await manager.setSalesTarget(
            body: .json(.init(repId: crm.id(.rep), period: "Q1 2027", amount: 1, currency: "CNY"))
        )
        #expect(try badPeriod.badRequest.body.json.error.code == "invalid_value", "\(badPeriod)")
        #expect(try crm.head() == head + 1)
        try await crm.stop()
    }

    @Test("a work order is assigned, resolved and closed; a complaint resolved once; a survey scored 1 to 5")
    func service() async throws {
        let crm = try await CommandServer.start("commands-service")
        let (manager, rep) = (try crm.client(as: .manager), try crm.client(as: .rep))
        let customer = try await rep.createCustomer(
            body: .json(.init(name: "Anji Bamboo", ownerId: crm.id(.rep)))
        ).created.body.json.customerId
        try await crm.settle()
        var head = try crm.head()
        let outside = try await crm.client(as: .outsider).openWorkOrder(
            body: .json(.init(customerId: customer, title: "Leaking urn"))
        )
        #expect(try outside.forbidden.body.json.value1.error.code == "outside_scope", "\(outside)")
        let opened = try await rep.openWorkOrder(
            body: .json(.init(customerId: customer, title: "Leaking urn", description: "since Monday"))
        )
        let workOrder = try opened.created.body.json.workOrderId
        #expect(try crm.event(CRMWorkOrderOpened.self, after: head).title == "Leaking urn")

        head = try crm.head()
        let assigned = try await manager.assignWorkOrder(
            path: .init(workOrder: workOrder),
            body: .json(.init(assigneeId: crm.id(.otherRep)))
        )
        #expect(try assigned.ok.body.json.changed, "\(assigned)")
        #expect(try crm.event(CRMWorkOrderAssigned.self, after: head).toAssigneeID == crm.id(.otherRep))
        let early = try await rep.closeWorkOrder(path: .init(workOrder: workOrder))
        #expect(try early.unprocessableContent.body.json.error.code == "work_order_not_ready", "\(early)")
        head = try crm.head()
        let resolved = try await rep.resolveWorkOrder(
            path: .init(workOrder: workOrder),
            body: .json(.init(resolution: "new seal"))
        )
        #expect(try resolved.ok.body.json.changed, "\(resolved)")
        #expect(try crm.event(CRMWorkOrderResolved.self, after: head).resolution == "new seal")
        head = try crm.head()
        let closed = try await rep.closeWorkOrder(path: .init(workOrder: workOrder))
        #expect(try closed.ok.body.json.changed, "\(closed)")
        #expect(try crm.event(CRMWorkOrderClosed.self, after: head).workOrderID == workOrder)

        head = try crm.head()
        let complaint = try await rep.fileComplaint(
            body: .json(.init(customerId: customer, category: "delivery", description: "late twice"))
        )
        let complaintID = try complaint.created.body.json.complaintId
        #expect(try crm.event(CRMComplaintFiled.self, after: head).category == "delivery")
        head = try crm.head()
        let settled = try await manager.resolveComplaint(
            path: .init(complaint: complaintID),
            body: .json(.init(rootCause: "courier", resolution: "new courier"))
        )
        #expect(try settled.ok.body.json.changed, "\(settled)")
        #expect(try crm.event(CRMComplaintResolved.self, after: head).rootCause == "courier")
        let again = try await manager.resolveComplaint(
            path: .init(complaint: complaintID),
            body: .json(.init(rootCause: "courier", resolution: "again"))
        )
        #expect(try again.unprocessableContent.body.json.error.code == "complaint_resolved", "\(again)")

        head = try crm.head()
        let six = try await rep.recordSurvey(path: .init(customer: customer), body: .json(.init(score: 6)))
        #expect(try six.badRequest.body.json.error.code == "invalid_value", "\(six)")
        let survey = try await rep.recordSurvey(
            path: .init(customer: customer),
            body: .json(.init(score: 5, workOrderId: workOrder, comment: "quick"))
        )
        #expect(try !survey.created.body.json.surveyId.isEmpty, "\(survey)")
        #expect(try crm.event(CRMSatisfactionSurveyed.self, after: head).score == 5)
        try await crm.stop()
    }
}
