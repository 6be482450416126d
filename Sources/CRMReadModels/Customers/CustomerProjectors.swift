import Projections

extension CRMProjections {
    /// The read models about customers: the 360 view, reminders, RFM segments and the pool
    /// sweep's idle customers.
    static var customerProjectors: [any CRMProjector.Type] {
        [Customer360Projector.self, RemindersProjector.self, RFMProjector.self, PoolIdleProjector.self]
    }
}
