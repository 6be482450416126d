import Projections

extension CRMProjections {
    /// The read models about money and goods: receivables and aging, sales versus target,
    /// finance, service statistics, stock and margin.
    static var financeProjectors: [any CRMProjector.Type] { [] }
}
