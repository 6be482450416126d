import CRMDomain
import CRMSchema
public import Projections

/// The stock and margin read model (`stock`): per product what is on hand, what was received
/// and at what cost, what was shipped and for how much, and the gross margin, per month and in
/// total.
///
/// - On hand is what the product's stock stream says (``CRMStockChanged``).
/// - Received goods are costed at their purchase order line's unit cost.
/// - Shipped goods earn their contract line's price: a line of `Q` units for `T` in total
///   earns, for the shipment that takes its shipped units from `S` to `S + q`,
///   `⌊T·(S+q)/Q⌋ − ⌊T·S/Q⌋`, so the shipments of a line add up to exactly `T`.
/// - Shipped goods cost the weighted average of what the units in stock were bought for
///   (moving average): `q` of `n` costed units worth `V` cost `V·q/n` rounded half up, and
///   `V` and `n` go down by that. The rounding stays in the stock's value, so when the last
///   unit leaves, the value left is exactly zero and the goods shipped cost exactly what was
///   paid for them. Units with no purchase cost on record (none, unless stock came in some
///   other way) cost the product list's cost.
/// - Gross margin is revenue minus that cost; its basis points are margin × 10000 / revenue,
///   rounded toward zero.
///
/// A product's amounts are in its currency (its price's, which its cost and purchase orders
/// share).
///
/// Tables:
/// - `products`: product id → ``StockProductRow``;
/// - `months`: `month|product` → ``StockMonthRow``;
/// - `purchase-costs`: `purchase order|product` → unit cost;
/// - `contract-lines`: `contract|product` → the line's quantity, total and units shipped.
public final class StockProjector: Projector {
    /// The read model's name.
    public static let name = "stock"
    /// Version 1: the first layout.
    public static let version: UInt32 = 1
    /// Products, purchases, receipts, shipments, stock changes and the contract lines priced.
    public static let eventTypes: Set<String> = [
        CRMProductAdded.protoMessageName, CRMProductPriceChanged.protoMessageName,
        CRMPurchaseOrdered.protoMessageName, CRMGoodsReceived.protoMessageName,
        CRMShipmentDispatched.protoMessageName, CRMStockChanged.protoMessageName,
        CRMContractDrafted.protoMessageName,
    ]

    let products = ReadModelTable<StockProductRow>("products")
    let months = ReadModelTable<StockMonthRow>("months")
    let purchaseCosts = ReadModelTable<StockPurchaseCostRow>("purchase-costs")
    let contractLines = ReadModelTable<StockContractLineRow>("contract-lines")

    /// An empty read model.
    public init() {}

    /// The projector's tables.
    public var tables: [any ReadModelTableProtocol] { [products, months, purchaseCosts, contractLines] }

    /// Folds one event.
    public func apply(_ event: CRMEvent) throws {
        // The most frequent event first: each failed cast costs a little.
        switch event.payload {
        case let changed as CRMStockChanged:
            products.update(changed.productID, default: StockProductRow(productID: changed.productID)) {
                $0.onHand = Int64(changed.onHand)
            }
        case let added as CRMProductAdded:
            products.update(added.productID, default: StockProductRow(productID: added.productID)) {
                ($0.sku, $0.name, $0.unit) = (added.sku, added.name, added.unit)
                ($0.currency, $0.listCost) = (added.price.currency, added.cost.minorUnits)
            }
        case let changed as CRMProductPriceChanged:
            products.updateIfPresent(changed.productID) { $0.listCost = changed.cost.minorUnits }
        case let ordered as CRMPurchaseOrdered:
            for line in ordered.lines {
                purchaseCosts[FinanceKey.join(ordered.purchaseOrderID, line.productID)] = StockPurchaseCostRow(
                    unitCost: line.unitCost.minorUnits
                )
            }
        case let drafted as CRMContractDrafted:
            for line in drafted.lines {
                contractLines.update(
                    FinanceKey.join(drafted.contractID, line.productID),
                    default: StockContractLineRow(quantity: 0, total: 0)
                ) {
                    $0.quantity.saturatingIncrement(by: Int64(line.quantity))
                    $0.total.saturatingIncrement(by: line.lineTotal.minorUnits)
                }
            }
        case let received as CRMGoodsReceived:
            let month = BusinessDay(event.occurredAt).month
            for line in received.lines {
                let quantity = Int64(line.quantity)
                let product = products[line.productID] ?? StockProductRow(productID: line.productID)
                let unitCost =
                    purchaseCosts[FinanceKey.join(received.purchaseOrderID, line.productID)]?.unitCost
                    ?? product.listCost
                var flow = StockFlowRow()
                (flow.receivedQuantity, flow.receivedCost) = (quantity, quantity.saturatingMultiply(unitCost))
                record(flow, of: line.productID, in: month) {
                    $0.costedQuantity.saturatingIncrement(by: quantity)
                    $0.stockValue.saturatingIncrement(by: flow.receivedCost)
                }
            }
        case let shipment as CRMShipmentDispatched:
            let month = BusinessDay(event.occurredAt).month
            for line in shipment.lines {
                let quantity = Int64(line.quantity)
                var flow = StockFlowRow()
                flow.shippedQuantity = quantity
                contractLines.updateIfPresent(FinanceKey.join(shipment.contractID, line.productID)) { contractLine in
                    guard contractLine.quantity > 0 else { return }
                    let before = FinanceMath.scale(
                        contractLine.total,
                        by: contractLine.shipped,
                        over: contractLine.quantity
                    )
                    contractLine.shipped.saturatingIncrement(by: quantity)
                    flow.revenue =
                        FinanceMath.scale(contractLine.total, by: contractLine.shipped, over: contractLine.quantity)
                        .saturatingSubtract(before)
                }
                let product = products[line.productID] ?? StockProductRow(productID: line.productID)
                let fromStock = min(quantity, max(0, product.costedQuantity))
                let stockCost =
                    fromStock == 0
                    ? 0
                    : FinanceMath.scale(product.stockValue, by: fromStock, over: product.costedQuantity, halfUp: true)
                flow.costOfGoods = stockCost.saturatingAdd((quantity - fromStock).saturatingMultiply(product.listCost))
                record(flow, of: line.productID, in: month) {
                    $0.costedQuantity.saturatingDecrement(by: fromStock)
                    $0.stockValue.saturatingDecrement(by: stockCost)
                }
            }
        default:
            break
        }
    }

    /// Adds `flow` to the product's month and total, and changes its costed stock.
    private func record(
        _ flow: StockFlowRow,
        of productID: String,
        in month: String,
        _ stock: (inout StockProductRow) -> Void
    ) {
        products.update(productID, default: StockProductRow(productID: productID)) {
            $0.total.add(flow)
            stock(&$0)
        }
        months.update(FinanceKey.join(month, productID), default: StockMonthRow(month: month, productID: productID)) {
            $0.flow.add(flow)
        }
    }
}
