import CRMDomain
public import Projections

/// Questions to the stock and margin read model.
public struct StockQueries: Sendable {
    /// The store the read model lives in.
    public let store: ReadModelStore

    /// Queries against `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    private var name: String { StockProjector.name }

    /// One product's stock, totals and months.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for an empty id; `not_found`
    ///   for a product the read model does not know.
    public func product(id: String) throws -> ProductStock {
        guard !id.isEmpty else { throw ReadModelQueryError.invalid("id", "a product id is required") }
        guard let row = try store.row(StockProductRow.self, projector: name, table: "products", key: id) else {
            throw ReadModelQueryError(.notFound, "no product \(id)", parameter: "id")
        }
        var stock = row.stock
        // Month rows are keyed month first; one product's are found by a scan of all of them,
        // which stays small (products × months).
        stock.months = try store.rows(StockMonthRow.self, projector: name, table: "months").map(\.row)
            .filter { $0.productID == id }
            .map { MonthMargin(month: $0.month, figures: $0.flow.figures) }
        return stock
    }

    /// Every product's stock and totals, by product id (without months).
    public func products() throws -> [ProductStock] {
        try store.rows(StockProductRow.self, projector: name, table: "products").map(\.row.stock)
    }

    /// Gross margin per product in `period`, a month `yyyy-mm`, a quarter `yyyy-Qn` or a year
    /// `yyyy`.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed period.
    public func margin(period: String) throws -> StockMarginReport {
        let period = try FinancePeriod(period)
        var flows: [String: StockFlowRow] = [:]
        for month in period.months {
            for row in try store.rows(
                StockMonthRow.self,
                projector: name,
                table: "months",
                prefix: FinanceKey.prefix(month)
            ).map(\.row) {
                flows[row.productID, default: StockFlowRow()].add(row.flow)
            }
        }
        var products: [ProductMargin] = []
        var totals: [String: StockFlowRow] = [:]
        for productID in flows.keys.sorted() {
            let product = try store.row(StockProductRow.self, projector: name, table: "products", key: productID)
            let currency = product?.currency ?? ""
            products.append(
                ProductMargin(
                    productID: productID,
                    sku: product?.sku ?? "",
                    name: product?.name ?? "",
                    currency: currency,
                    figures: flows[productID]!.figures
                )
            )
            totals[currency, default: StockFlowRow()].add(flows[productID]!)
        }
        return StockMarginReport(
            period: period.name,
            products: products,
            totals: totals.keys.sorted().map {
                ProductMargin(productID: "", sku: "", name: "", currency: $0, figures: totals[$0]!.figures)
            }
        )
    }
}

extension StockFlowRow {
    var figures: MarginFigures {
        let margin = revenue.saturatingSubtract(costOfGoods)
        return MarginFigures(
            receivedQuantity: receivedQuantity,
            receivedCost: receivedCost,
            shippedQuantity: shippedQuantity,
            revenue: revenue,
            costOfGoodsShipped: costOfGoods,
            grossMargin: margin,
            marginBasisPoints: FinanceMath.basisPoints(margin, of: revenue)
        )
    }
}

extension StockProductRow {
    fileprivate var stock: ProductStock {
        ProductStock(
            productID: productID,
            sku: sku,
            name: name,
            unit: unit,
            currency: currency,
            onHand: onHand,
            stockValue: stockValue,
            averageUnitCost: costedQuantity > 0
                ? FinanceMath.scale(stockValue, by: 1, over: costedQuantity, halfUp: true) : nil,
            total: total.figures,
            months: []
        )
    }
}
