public import CRMDomain
public import CRMSchema
public import EventStore
public import Foundation
import SwiftProtobuf

extension CRMService {
    // MARK: - Suppliers and purchasing

    /// Adds a supplier.
    ///
    /// - Returns: the supplier's id.
    public func addSupplier(
        named name: String,
        contact: String = "",
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> String {
        let context = try context(actor, occurredAt)
        let id = newID()
        let added = try InventoryDecisions.addSupplier(id: id, name: name, contact: contact)
        _ = try await append(to: try supplierStream(id), expecting: .noStream, [try event(added, context)])
        return id
    }

    /// Orders products from a supplier at their cost.
    ///
    /// - Returns: the purchase order's id.
    public func orderFromSupplier(
        _ supplierID: String,
        _ units: [InventoryDecisions.Units],
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> String {
        let context = try context(actor, occurredAt)
        let id = newID()
        var lines: [(product: ProductState, quantity: Int32)] = []
        for unit in units { lines.append((try await loadProduct(unit.productID).0, unit.quantity)) }
        let ordered = try InventoryDecisions.order(id: id, from: try await loadSupplier(supplierID).0, lines: lines)
        _ = try await append(to: try purchaseStream(id), expecting: .noStream, [try event(ordered, context)])
        return id
    }

    /// Records goods of a purchase order arriving, and raises each product's stock, in one append.
    ///
    /// - Throws: `DomainError` as ``InventoryDecisions/receive(_:_:stock:)``.
    @discardableResult
    public func receiveGoods(
        _ purchaseOrderID: String,
        _ units: [InventoryDecisions.Units],
        actor: String,
        occurredAt: Date? = nil
    ) async throws
        -> AppendResult
    {
        let context = try context(actor, occurredAt)
        return try await retryingOnConflict("receiving goods for \(purchaseOrderID)") {
            let (order, version) = try await load(
                try purchaseStream(purchaseOrderID),
                into: PurchaseOrderState(purchaseOrderID: purchaseOrderID)
            ) { state, message, _ in state.apply(message) }
            let (stock, stockVersions) = try await loadStock(units.map(\.productID))
            let (receipt, changes) = try InventoryDecisions.receive(order, units, stock: stock)
            let appends =
                [
                    StreamAppend(
                        stream: try purchaseStream(purchaseOrderID),
                        expectedVersion: version,
                        events: [try event(receipt, context)]
                    )
                ]
                + (try stockAppends(changes, stockVersions, context))
            return try await append(AppendRequest(appends))
        }
    }

    /// Ships goods of a binding contract to its customer, lowering each product's stock, in
    /// one append: never more than the contract ordered, never more than is in stock.
    ///
    /// - Returns: the shipment's id.
    /// - Throws: `DomainError` as ``InventoryDecisions/ship(id:_:_:stock:)``.
    public func shipGoods(
        of contractID: String,
        _ units: [InventoryDecisions.Units],
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> String {
        let context = try context(actor, occurredAt)
        let id = newID()
        try await retryingOnConflict("shipping goods of \(contractID)") {
            let (contract, version) = try await loadContract(contractID)
            let (stock, stockVersions) = try await loadStock(units.map(\.productID))
            let (shipment, changes) = try InventoryDecisions.ship(id: id, contract, units, stock: stock)
            let appends =
                [
                    StreamAppend(
                        stream: try contractStream(contractID),
                        expectedVersion: version,
                        events: [try event(shipment, context)]
                    )
                ]
                + (try stockAppends(changes, stockVersions, context))
            _ = try await append(AppendRequest(appends))
        }
        return id
    }

    /// The stock of each product, with the versions to expect.
    private func loadStock(_ productIDs: [String]) async throws -> ([String: StockState], [String: ExpectedVersion]) {
        var stock: [String: StockState] = [:]
        var versions: [String: ExpectedVersion] = [:]
        for productID in Set(productIDs) {
            (stock[productID], versions[productID]) = try await load(
                try stockStream(productID),
                into: StockState(productID: productID)
            ) { state, message, _ in state.apply(message) }
        }
        return (stock, versions)
    }

    private func stockAppends(
        _ changes: [CRMStockChanged],
        _ versions: [String: ExpectedVersion],
        _ context: CommandContext
    ) throws -> [StreamAppend] {
        try changes.map { change in
            StreamAppend(
                stream: try stockStream(change.productID),
                expectedVersion: versions[change.productID] ?? .noStream,
                events: [try event(change, context)]
            )
        }
    }

    // MARK: - Payables and expenses

    /// Records a supplier's bill.
    ///
    /// - Returns: the bill's id.
    public func receiveSupplierBill(
        from supplierID: String,
        purchaseOrderID: String = "",
        amount: CRMMoney,
        dueAt: Date,
        actor: String,
        occurredAt: Date? = nil
    )
        async throws -> String
    {
        let id = newID()
        try await decideOnStream(
            try supplierStream(supplierID),
            actor: actor,
            occurredAt: occurredAt,
            load: { try await loadSupplier(supplierID) }
        ) {
            try InventoryDecisions.receiveBill(
                id: id,
                from: $0,
                purchaseOrderID: purchaseOrderID,
                amount: amount,
                dueAt: dueAt
            )
        }
        return id
    }

    /// Pays (part of) a supplier's bill.
    @discardableResult
    public func paySupplier(
        _ supplierID: String,
        billID: String,
        amount: CRMMoney,
        method: CRMPaymentMethod,
        actor: String,
        occurredAt: Date? = nil
    )
        async throws -> AppendResult
    {
        try await decideOnStream(
            try supplierStream(supplierID),
            actor: actor,
            occurredAt: occurredAt,
            load: { try await loadSupplier(supplierID) }
        ) {
            try InventoryDecisions.paySupplier($0, billID: billID, amount: amount, method: method)
        }
    }

    /// Records an expense paid by the acting clerk.
    ///
    /// - Returns: the expense's id.
    public func recordExpense(
        category: String,
        item: String,
        amount: CRMMoney,
        customerID: String = "",
        actor: String,
        occurredAt: Date? = nil
    ) async throws
        -> String
    {
        let context = try context(actor, occurredAt)
        let id = newID()
        let expense = try InventoryDecisions.recordExpense(
            id: id,
            category: category,
            item: item,
            amount: amount,
            clerkID: actor,
            customerID: customerID
        )
        _ = try await append(
            to: try StreamName(category: "expense", id: id),
            expecting: .noStream,
            [try event(expense, context)]
        )
        return id
    }

    func loadSupplier(_ id: String) async throws -> (SupplierState, ExpectedVersion) {
        try await load(try supplierStream(id), into: SupplierState(supplierID: id)) { state, message, _ in
            state.apply(message)
        }
    }

    func supplierStream(_ id: String) throws -> StreamName { try StreamName(category: "supplier", id: id) }
    func purchaseStream(_ id: String) throws -> StreamName { try StreamName(category: "purchase", id: id) }
    func stockStream(_ productID: String) throws -> StreamName { try StreamName(category: "stock", id: productID) }
}
