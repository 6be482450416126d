import CRMDomain
import CRMSchema
import CRMService
import RapportAPI

/// Purchasing and stock, payables and expenses: suppliers, their purchase orders, goods
/// received and shipped, their bills and what is paid on them, and the company's expenses.
extension APIHandler {
    // MARK: - Purchasing and stock

    /// 201 with the supplier's id.
    func addSupplier(_ input: Operations.AddSupplier.Input) async throws -> Operations.AddSupplier.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let supplierID = try await created("supplierId") {
            try await service.addSupplier(
                named: body.name,
                contact: body.contact ?? "",
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(supplierId: supplierID))))
    }

    /// 201 with the purchase order's id.
    func orderFromSupplier(
        _ input: Operations.OrderFromSupplier.Input
    ) async throws -> Operations.OrderFromSupplier.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let orderID = try await created("purchaseOrderId") {
            try await service.orderFromSupplier(
                input.path.supplier,
                body.units,
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(purchaseOrderId: orderID))))
    }

    /// Goods of a purchase order received into stock.
    func receiveGoods(_ input: Operations.ReceiveGoods.Input) async throws -> Operations.ReceiveGoods.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.receiveGoods(
                    input.path.order,
                    body.units,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// Goods of a binding contract shipped out of stock; 201 with the shipment's id.
    func shipGoods(_ input: Operations.ShipGoods.Input) async throws -> Operations.ShipGoods.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let shipmentID = try await created("shipmentId") {
            try await service.shipGoods(
                of: input.path.contract,
                body.units,
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(shipmentId: shipmentID))))
    }

    // MARK: - Payables and expenses

    /// 201 with the bill's id.
    func receiveSupplierBill(
        _ input: Operations.ReceiveSupplierBill.Input
    ) async throws -> Operations.ReceiveSupplierBill.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let billID = try await created("billId") {
            try await service.receiveSupplierBill(
                from: input.path.supplier,
                purchaseOrderID: body.purchaseOrderId ?? "",
                amount: CRMMoney(minorUnits: body.amount, currency: body.currency),
                dueAt: body.dueAt,
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(billId: billID))))
    }

    /// A payment on a supplier's bill.
    func paySupplier(_ input: Operations.PaySupplier.Input) async throws -> Operations.PaySupplier.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let method = try CommandValues.paymentMethod(body.method.rawValue)
        return .ok(
            try await appended {
                try await service.paySupplier(
                    input.path.supplier,
                    billID: input.path.bill,
                    amount: CRMMoney(minorUnits: body.amount, currency: body.currency),
                    method: method,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// 201 with the expense's id; `customerId` names the customer it was for, if any.
    func recordExpense(_ input: Operations.RecordExpense.Input) async throws -> Operations.RecordExpense.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let expenseID = try await created("expenseId") {
            try await service.recordExpense(
                category: body.category,
                item: body.item,
                amount: CRMMoney(minorUnits: body.amount, currency: body.currency),
                customerID: body.customerId ?? "",
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(expenseId: expenseID))))
    }
}
