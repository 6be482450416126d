public import CRMSchema
public import Foundation
import SwiftProtobuf

/// Light inventory and payables: suppliers, purchase orders and goods received, shipments
/// drawn from contracts with stock that never goes negative, supplier bills and payments,
/// and expenses.
public enum InventoryDecisions {
    /// A product and a number of its units.
    public struct Units: Sendable, Hashable {
        public var productID: String
        public var quantity: Int32

        /// `quantity` units of `productID`.
        public init(productID: String, quantity: Int32) {
            self.productID = productID
            self.quantity = quantity
        }
    }

    /// A new supplier.
    ///
    /// - Throws: `field_required` without a name.
    public static func addSupplier(id: String, name: String, contact: String) throws(DomainError) -> CRMSupplierAdded {
        var event = CRMSupplierAdded()
        (event.supplierID, event.name, event.contact) = (id, try required(name, "name"), contact)
        return event
    }

    /// A purchase order to an existing supplier, at each product's cost.
    ///
    /// - Throws: `supplier_not_found`; `product_not_found`; `field_required` without lines;
    ///   `invalid_value` for a quantity outside 1...``Pricing/maxQuantity`` or lines in
    ///   different currencies.
    public static func order(
        id: String,
        from supplier: SupplierState,
        lines: [(product: ProductState, quantity: Int32)]
    ) throws(DomainError)
        -> CRMPurchaseOrdered
    {
        try requireExists(supplier)
        guard let currency = lines.first?.product.cost.currency else {
            throw DomainError(.fieldRequired, "at least one line is required", facts: ["field": "lines"])
        }
        var event = CRMPurchaseOrdered()
        (event.purchaseOrderID, event.supplierID) = (id, supplier.supplierID)
        var total: Int64 = 0
        for (product, quantity) in lines {
            try ProductDecisions.requireExists(product)
            try requireQuantity(quantity)
            guard product.cost.currency == currency else {
                throw DomainError(.invalidValue, "all lines must cost in \(currency)", facts: ["field": "lines"])
            }
            var line = CRMStockLine()
            (line.productID, line.quantity, line.unitCost) = (product.productID, quantity, product.cost)
            event.lines.append(line)
            total = try Pricing.add(total, try Pricing.multiply(Int64(quantity), product.cost.minorUnits))
        }
        event.total = CRMMoney(minorUnits: total, currency: currency)
        return event
    }

    /// Goods of a purchase order arrive: never more of a product than was ordered. Returns
    /// the receipt and the stock change of each product (`stock` holds their current stock).
    ///
    /// - Throws: `purchase_order_not_found`; `field_required`; `invalid_value`;
    ///   `receipt_exceeds_order` (with `ordered`, `received`, `arriving`).
    public static func receive(
        _ order: PurchaseOrderState,
        _ units: [Units],
        stock: [String: StockState]
    ) throws(DomainError)
        -> (receipt: CRMGoodsReceived, changes: [CRMStockChanged])
    {
        guard order.exists else {
            throw DomainError(
                .purchaseOrderNotFound,
                "no purchase order \(order.purchaseOrderID)",
                facts: ["purchase_order": order.purchaseOrderID]
            )
        }
        let arriving = try merged(units)
        var receipt = CRMGoodsReceived()
        receipt.purchaseOrderID = order.purchaseOrderID
        var changes: [CRMStockChanged] = []
        for (productID, quantity) in arriving {
            let ordered = order.ordered[productID] ?? 0
            let received = order.received[productID] ?? 0
            guard received.saturatingAdd(quantity) <= ordered else {
                throw DomainError(
                    .receiptExceedsOrder,
                    "purchase order \(order.purchaseOrderID) ordered \(ordered) of \(productID); \(received) arrived and \(quantity) more would pass it",
                    facts: [
                        "product": productID, "ordered": String(ordered), "received": String(received),
                        "arriving": String(quantity),
                    ]
                )
            }
            var line = CRMStockLine()
            (line.productID, line.quantity) = (productID, Int32(quantity))
            receipt.lines.append(line)
            var change = try stockChange(productID, by: quantity, stock: stock)
            change.purchaseOrderID = order.purchaseOrderID
            changes.append(change)
        }
        return (receipt, changes)
    }

    /// Goods leave for the customer of a binding contract: never more of a product than the
    /// contract ordered, and never more than is in stock.
    ///
    /// - Throws: `contract_not_binding`; `field_required`; `invalid_value`;
    ///   `shipment_exceeds_contract` (with `ordered`, `shipped`, `shipping`);
    ///   `insufficient_stock` (with `onHand`, `shipping`).
    public static func ship(
        id: String,
        _ contract: ContractState,
        _ units: [Units],
        stock: [String: StockState]
    ) throws(DomainError)
        -> (shipment: CRMShipmentDispatched, changes: [CRMStockChanged])
    {
        try ContractDecisions.requireBinding(contract)
        let shipping = try merged(units)
        var shipment = CRMShipmentDispatched()
        (shipment.shipmentID, shipment.contractID, shipment.customerID) = (
            id, contract.contractID, contract.drafted.customerID
        )
        var changes: [CRMStockChanged] = []
        let ordered = contract.ordered
        for (productID, quantity) in shipping {
            let onOrder = ordered[productID] ?? 0
            let shipped = contract.shipped[productID] ?? 0
            guard shipped.saturatingAdd(quantity) <= onOrder else {
                throw DomainError(
                    .shipmentExceedsContract,
                    "contract \(contract.contractID) ordered \(onOrder) of \(productID); \(shipped) shipped and \(quantity) more would pass it",
                    facts: [
                        "product": productID, "ordered": String(onOrder), "shipped": String(shipped),
                        "shipping": String(quantity),
                    ]
                )
            }
            var line = CRMStockLine()
            (line.productID, line.quantity) = (productID, Int32(quantity))
            shipment.lines.append(line)
            var change = try stockChange(productID, by: -quantity, stock: stock)
            change.shipmentID = id
            changes.append(change)
        }
        return (shipment, changes)
    }

    /// A supplier's bill, optionally for a purchase order.
    ///
    /// - Throws: `supplier_not_found`; `invalid_value` for an amount of zero or less.
    public static func receiveBill(
        id: String,
        from supplier: SupplierState,
        purchaseOrderID: String,
        amount: CRMMoney,
        dueAt: Date
    ) throws(DomainError)
        -> CRMSupplierBillReceived
    {
        try requireExists(supplier)
        var event = CRMSupplierBillReceived()
        (event.billID, event.supplierID, event.purchaseOrderID) = (id, supplier.supplierID, purchaseOrderID)
        event.amount = try positive(amount, "amount")
        event.dueAt = Google_Protobuf_Timestamp(date: dueAt)
        return event
    }

    /// A payment to a supplier on a bill; payments never exceed the bill.
    ///
    /// - Throws: `supplier_not_found`; `bill_not_found`; `invalid_value`; `currency_mismatch`;
    ///   `payment_exceeds_bill` (with `amount`, `paid`).
    public static func paySupplier(
        _ supplier: SupplierState,
        billID: String,
        amount: CRMMoney,
        method: CRMPaymentMethod
    ) throws(DomainError)
        -> CRMSupplierPaid
    {
        try requireExists(supplier)
        guard let bill = supplier.bills[billID] else {
            throw DomainError(
                .billNotFound,
                "supplier \(supplier.supplierID) has no bill \(billID)",
                facts: ["bill": billID]
            )
        }
        let paying = try positive(amount, "amount")
        guard paying.currency == bill.amount.currency else {
            throw DomainError(
                .currencyMismatch,
                "bill \(billID) is in \(bill.amount.currency)",
                facts: ["currency": bill.amount.currency]
            )
        }
        guard method != .unspecified else {
            throw DomainError(.invalidValue, "a payment needs its method", facts: ["field": "method"])
        }
        guard paying.minorUnits <= bill.amount.minorUnits.saturatingSubtract(bill.paid) else {
            throw DomainError(
                .paymentExceedsBill,
                "bill \(billID) is for \(bill.amount.minorUnits); \(bill.paid) is paid and \(paying.minorUnits) more would pass it",
                facts: ["amount": String(bill.amount.minorUnits), "paid": String(bill.paid)]
            )
        }
        var event = CRMSupplierPaid()
        (event.billID, event.supplierID, event.amount, event.method) = (billID, supplier.supplierID, paying, method)
        return event
    }

    /// An expense by category and item, paid by a clerk.
    ///
    /// - Throws: `field_required` without a category or item; `invalid_value` for an amount
    ///   of zero or less.
    public static func recordExpense(
        id: String,
        category: String,
        item: String,
        amount: CRMMoney,
        clerkID: String,
        customerID: String
    ) throws(DomainError)
        -> CRMExpenseRecorded
    {
        var event = CRMExpenseRecorded()
        (event.expenseID, event.category, event.item) = (
            id, try required(category, "category").lowercased(), try required(item, "item")
        )
        (event.amount, event.clerkID, event.customerID) = (try positive(amount, "amount"), clerkID, customerID)
        return event
    }

    // MARK: - Shared checks

    private static func requireExists(_ supplier: SupplierState) throws(DomainError) {
        guard supplier.exists else {
            throw DomainError(
                .supplierNotFound,
                "no supplier \(supplier.supplierID)",
                facts: ["supplier": supplier.supplierID]
            )
        }
    }

    private static func requireQuantity(_ quantity: Int32) throws(DomainError) {
        guard (1...Pricing.maxQuantity).contains(quantity) else {
            throw DomainError(
                .invalidValue,
                "a line has 1 to \(Pricing.maxQuantity) units, not \(quantity)",
                facts: ["field": "quantity"]
            )
        }
    }

    /// The units per product, in first-mentioned order, each line checked.
    private static func merged(_ units: [Units]) throws(DomainError) -> [(String, Int64)] {
        guard !units.isEmpty else {
            throw DomainError(.fieldRequired, "at least one line is required", facts: ["field": "lines"])
        }
        var order: [String] = []
        var totals: [String: Int64] = [:]
        for unit in units {
            try requireQuantity(unit.quantity)
            if totals[unit.productID] == nil { order.append(unit.productID) }
            totals[unit.productID, default: 0] += Int64(unit.quantity)
        }
        if let (productID, total) = totals.first(where: { $0.value > Int64(Pricing.maxQuantity) }) {
            throw DomainError(
                .invalidValue,
                "\(total) units of \(productID) on one document; at most \(Pricing.maxQuantity)",
                facts: ["field": "quantity"]
            )
        }
        return order.map { ($0, totals[$0]!) }
    }

    private static func stockChange(
        _ productID: String,
        by delta: Int64,
        stock: [String: StockState]
    ) throws(DomainError) -> CRMStockChanged {
        let onHand = stock[productID]?.onHand ?? 0
        guard onHand + delta >= 0 else {
            throw DomainError(
                .insufficientStock,
                "\(-delta) of \(productID) are to ship but \(onHand) are in stock",
                facts: ["product": productID, "onHand": String(onHand), "shipping": String(-delta)]
            )
        }
        guard onHand + delta <= Int64(Int32.max) else {
            throw DomainError(
                .invalidValue,
                "the stock of \(productID) would be too large to represent",
                facts: ["field": "quantity"]
            )
        }
        var change = CRMStockChanged()
        (change.productID, change.delta, change.onHand) = (productID, Int32(delta), Int32(onHand + delta))
        return change
    }

    private static func positive(_ money: CRMMoney, _ field: String) throws(DomainError) -> CRMMoney {
        let money = try money.validated(field)
        guard money.minorUnits > 0 else {
            throw DomainError(.invalidValue, "\(field) must be more than zero", facts: ["field": field])
        }
        return money
    }
}
