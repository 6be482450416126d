public import CRMSchema
public import SwiftProtobuf

/// One supplier and its bills, folded from its stream (`supplier-<id>`).
public struct SupplierState: Sendable, Hashable {
    /// A bill and what has been paid on it, in minor units.
    public struct Bill: Sendable, Hashable {
        public var amount: CRMMoney
        public var paid: Int64 = 0
    }

    public var supplierID: String
    public var exists = false
    public var bills: [String: Bill] = [:]

    /// A supplier not seen yet.
    public init(supplierID: String) {
        self.supplierID = supplierID
    }

    /// Folds one event of the supplier's stream.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        switch event {
        case is CRMSupplierAdded: exists = true
        case let bill as CRMSupplierBillReceived: bills[bill.billID] = Bill(amount: bill.amount)
        case let payment as CRMSupplierPaid:
            bills[payment.billID]?.paid.saturatingIncrement(by: payment.amount.minorUnits)
        default: break
        }
    }
}

/// One purchase order, folded from its stream (`purchase-<id>`).
public struct PurchaseOrderState: Sendable, Hashable {
    public var purchaseOrderID: String
    public var exists = false
    public var supplierID = ""
    /// Units ordered and received, by product id.
    public var ordered: [String: Int64] = [:]
    public var received: [String: Int64] = [:]

    /// A purchase order not seen yet.
    public init(purchaseOrderID: String) {
        self.purchaseOrderID = purchaseOrderID
    }

    /// Folds one event of the purchase order's stream.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        switch event {
        case let order as CRMPurchaseOrdered:
            (exists, supplierID) = (true, order.supplierID)
            for line in order.lines {
                ordered[line.productID, default: 0].saturatingIncrement(by: Int64(line.quantity))
            }
        case let receipt as CRMGoodsReceived:
            for line in receipt.lines {
                received[line.productID, default: 0].saturatingIncrement(by: Int64(line.quantity))
            }
        default:
            break
        }
    }
}

/// The stock of one product, folded from its stream (`stock-<product id>`).
public struct StockState: Sendable, Hashable {
    public var productID: String
    public var onHand: Int64 = 0

    /// A product with nothing in stock yet.
    public init(productID: String) {
        self.productID = productID
    }

    /// Folds one event of the stock stream.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        if let change = event as? CRMStockChanged { onHand = Int64(change.onHand) }
    }
}
