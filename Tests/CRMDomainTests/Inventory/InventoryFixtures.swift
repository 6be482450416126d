import CRMDomain
import CRMSchema
import Foundation

/// States for the inventory tests, each folded from the events its decisions return.
///
/// A namespace, so the names stay clear of the other areas' fixtures.
enum Stockroom {
    /// `minorUnits` of `currency`.
    static func cash(_ minorUnits: Int64, _ currency: String = "CNY") -> CRMMoney {
        CRMMoney(minorUnits: minorUnits, currency: currency)
    }

    /// Supplier `id`, added and folded, with the bills of `bills` received (bill id, amount).
    static func supplier(_ id: String = "sup-1", bills: [(id: String, amount: CRMMoney)] = []) throws -> SupplierState {
        var state = SupplierState(supplierID: id)
        state.apply(try InventoryDecisions.addSupplier(id: id, name: "Acme Parts", contact: "li@acme.example"))
        for bill in bills {
            state.apply(
                try InventoryDecisions.receiveBill(
                    id: bill.id,
                    from: state,
                    purchaseOrderID: "",
                    amount: bill.amount,
                    dueAt: Date(timeIntervalSince1970: 1_775_008_800)
                )
            )
        }
        return state
    }

    /// Product `id` on the list at `price` per unit, costing `cost` in `currency`.
    static func product(
        _ id: String,
        price: Int64 = 1_000,
        cost: Int64 = 400,
        currency: String = "CNY"
    ) throws
        -> ProductState
    {
        var state = ProductState(productID: id)
        state.apply(
            try ProductDecisions.add(
                id: id,
                sku: "SKU-\(id)",
                name: "Product \(id)",
                price: cash(price, currency),
                cost: cash(cost, currency),
                unit: "piece"
            )
        )
        return state
    }

    /// Purchase order `id` from supplier `sup-1` for `lines` (product id, quantity), ordered
    /// and folded.
    static func purchaseOrder(_ id: String = "po-1", _ lines: [(String, Int32)]) throws -> PurchaseOrderState {
        var products: [(product: ProductState, quantity: Int32)] = []
        for (productID, quantity) in lines { products.append((try product(productID), quantity)) }
        var state = PurchaseOrderState(purchaseOrderID: id)
        state.apply(try InventoryDecisions.order(id: id, from: supplier(), lines: products))
        return state
    }

    /// Contract `id` with customer `c-1` (owned by `rep-1`) for `lines` (product id,
    /// quantity), drafted under a policy that asks no approval, so binding at once.
    static func bindingContract(_ id: String = "k-1", _ lines: [(String, Int32)]) throws -> ContractState {
        var priced: [CRMPricedLine] = []
        for (productID, quantity) in lines {
            priced.append(try Pricing.price(.init(productID: productID, quantity: quantity), of: product(productID)))
        }
        let policy = ApprovalPolicy(discountThresholdBasisPoints: 10_000, amountThreshold: nil, chain: [.manager])
        var state = ContractState(contractID: id)
        state.apply(
            try ContractDecisions.draft(
                id: id,
                customer: customer(),
                opportunityID: "",
                quote: nil,
                lines: priced,
                policy: policy
            )
        )
        return state
    }

    /// Contract `id` for `lines` waiting for a manager's approval: its amount passes the
    /// policy's threshold.
    static func pendingContract(_ id: String = "k-1", _ lines: [(String, Int32)]) throws -> ContractState {
        var priced: [CRMPricedLine] = []
        for (productID, quantity) in lines {
            priced.append(try Pricing.price(.init(productID: productID, quantity: quantity), of: product(productID)))
        }
        let policy = ApprovalPolicy(discountThresholdBasisPoints: 10_000, amountThreshold: cash(1), chain: [.manager])
        var state = ContractState(contractID: id)
        state.apply(
            try ContractDecisions.draft(
                id: id,
                customer: customer(),
                opportunityID: "",
                quote: nil,
                lines: priced,
                policy: policy
            )
        )
        return state
    }

    /// Stock with `onHand` units of each product, folded from one stock change each.
    static func stock(_ onHand: [String: Int32]) -> [String: StockState] {
        onHand.reduce(into: [:]) { stock, entry in
            var state = StockState(productID: entry.key)
            state.apply(change(entry.key, delta: entry.value, onHand: entry.value))
            stock[entry.key] = state
        }
    }

    /// A line of `quantity` units of `productID`, at `unitCost` when given.
    static func line(_ productID: String, _ quantity: Int32, unitCost: CRMMoney? = nil) -> CRMStockLine {
        var line = CRMStockLine()
        (line.productID, line.quantity) = (productID, quantity)
        if let unitCost { line.unitCost = unitCost }
        return line
    }

    /// The stock change of `productID` by `delta` to `onHand`, for a receipt on
    /// `purchaseOrderID` or a shipment `shipmentID`.
    static func change(
        _ productID: String,
        delta: Int32,
        onHand: Int32,
        purchaseOrderID: String = "",
        shipmentID: String = ""
    ) -> CRMStockChanged {
        var change = CRMStockChanged()
        (change.productID, change.delta, change.onHand) = (productID, delta, onHand)
        (change.purchaseOrderID, change.shipmentID) = (purchaseOrderID, shipmentID)
        return change
    }

    /// `quantity` units of `productID`, as the decisions take them.
    static func units(_ productID: String, _ quantity: Int32) -> InventoryDecisions.Units {
        InventoryDecisions.Units(productID: productID, quantity: quantity)
    }
}
