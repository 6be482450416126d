import Projections

extension CRMProjections {
    /// The read models about money and goods: receivables and aging, sales versus target,
    /// finance, service statistics, stock and margin.
    static var financeProjectors: [any CRMProjector.Type] {
        [
            ReceivablesProjector.self, SalesProjector.self, FinanceProjector.self, ServiceProjector.self,
            StockProjector.self,
        ]
    }
}
