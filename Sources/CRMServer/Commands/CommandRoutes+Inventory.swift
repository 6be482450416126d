import CRMDomain
import CRMService
import Foundation
import Hummingbird

/// Light inventory and payables: suppliers, purchase orders, goods received and shipped,
/// supplier bills and their payments, and expenses.
extension CommandRoutes {
    func addInventory(to router: some RouterMethods<RapportRequestContext>) {
        router.post("v1/suppliers", use: addSupplier)
        router.post("v1/suppliers/:supplier/purchase-orders", use: orderFromSupplier)
        router.post("v1/purchase-orders/:order/receipts", use: receiveGoods)
        router.post("v1/contracts/:contract/shipments", use: shipGoods)
        router.post("v1/suppliers/:supplier/bills", use: receiveSupplierBill)
        router.post("v1/suppliers/:supplier/bills/:bill/payments", use: paySupplier)
        router.post("v1/expenses", use: recordExpense)
    }

    // MARK: - Purchasing and stock

    struct NewSupplierBody: CommandBody {
        static let fields: Set<String> = ["name", "contact"]
        var name: String
        var contact: String?
    }

    /// `POST /v1/suppliers`: 201 with the supplier's id.
    @Sendable func addSupplier(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await NewSupplierBody.decodeCommand(from: request, context: context)
        return try await created("supplierId") {
            try await service.addSupplier(
                named: body.name,
                contact: body.contact ?? "",
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct UnitsListBody: CommandBody {
        static let fields: Set<String> = ["lines"]
        static var nested: [String: any BodyShape.Type] { ["lines": UnitsBody.self] }
        var lines: [UnitsBody]

        var units: [InventoryDecisions.Units] {
            lines.map { InventoryDecisions.Units(productID: $0.productId, quantity: $0.quantity) }
        }
    }

    /// `POST /v1/suppliers/{supplier}/purchase-orders`: 201 with the purchase order's id,
    /// at each product's cost.
    @Sendable func orderFromSupplier(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await UnitsListBody.decodeCommand(from: request, context: context)
        let supplier = try context.parameters.require("supplier")
        return try await created("purchaseOrderId") {
            try await service.orderFromSupplier(supplier, body.units, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    /// `POST /v1/purchase-orders/{order}/receipts`: goods of the order arrived; the stock
    /// rises. Never more than was ordered.
    @Sendable func receiveGoods(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await UnitsListBody.decodeCommand(from: request, context: context)
        let order = try context.parameters.require("order")
        return try await appended {
            try await service.receiveGoods(order, body.units, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    /// `POST /v1/contracts/{contract}/shipments`: 201 with the shipment's id; never more than
    /// the contract ordered or the stock holds.
    @Sendable func shipGoods(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, contract) = try routeRecord(context, "contract")
        let (body, occurredAt) = try await UnitsListBody.decodeCommand(from: request, context: context)
        return try await created("shipmentId") {
            try await service.shipGoods(of: contract, body.units, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    // MARK: - Payables and expenses

    struct BillBody: CommandBody, AmountFields {
        static let fields: Set<String> = ["purchaseOrderId", "amount", "currency", "dueAt"]
        var purchaseOrderId: String?
        var amount: Int64
        var currency: String
        var dueAt: Date
    }

    /// `POST /v1/suppliers/{supplier}/bills`: 201 with the bill's id.
    @Sendable func receiveSupplierBill(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await BillBody.decodeCommand(from: request, context: context)
        let supplier = try context.parameters.require("supplier")
        return try await created("billId") {
            try await service.receiveSupplierBill(
                from: supplier,
                purchaseOrderID: body.purchaseOrderId ?? "",
                amount: body.money,
                dueAt: body.dueAt,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    /// `POST /v1/suppliers/{supplier}/bills/{bill}/payments`: pays (part of) a bill; never
    /// more than it asks.
    @Sendable func paySupplier(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await PaymentBody.decodeCommand(from: request, context: context)
        let (supplier, bill) = (try context.parameters.require("supplier"), try context.parameters.require("bill"))
        let method = try CommandValues.paymentMethod(body.method)
        return try await appended {
            try await service.paySupplier(
                supplier,
                billID: bill,
                amount: body.money,
                method: method,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct ExpenseBody: CommandBody, AmountFields {
        static let fields: Set<String> = ["category", "item", "amount", "currency", "customerId"]
        var category: String
        var item: String
        var amount: Int64
        var currency: String
        /// The customer the expense was for, if any.
        var customerId: String?
    }

    /// `POST /v1/expenses`: 201 with the expense's id, paid by the caller.
    @Sendable func recordExpense(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await ExpenseBody.decodeCommand(from: request, context: context)
        return try await created("expenseId") {
            try await service.recordExpense(
                category: body.category,
                item: body.item,
                amount: body.money,
                customerID: body.customerId ?? "",
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }
}
