import Projections

extension CRMProjections {
    /// The read models about customers: the 360 view, reminders and RFM segments.
    static var customerProjectors: [any CRMProjector.Type] {
        [Customer360Projector.self, RemindersProjector.self, RFMProjector.self]
    }
}
