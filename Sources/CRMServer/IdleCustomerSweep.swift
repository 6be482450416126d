import CRMDomain
import CRMReadModels
import CRMService
import EventStore
import Foundation
import Projections

/// The pool sweep as the server runs it: over the customers the `pool-idle` read model lists
/// as idle long enough, once that read model has applied everything the log held when the
/// sweep began, so no deal's event the sweep could miss restarts a customer's clock.
struct IdleCustomerSweep: Sendable {
    let service: CRMService<LMDBEventLog>
    let log: LMDBEventLog
    let readModels: ReadModelStore

    /// Sweeps at `time` (now by default) as `actor`.
    ///
    /// Waits for the read model to catch up for at most `patience` (for ever when `nil`); a
    /// read model still behind then (being built at start-up) leaves the sweep to fold the
    /// whole log, as `rapport sweep` does.
    func sweep(at time: Date? = nil, actor: String, patience: Duration? = nil) async throws -> PoolSweepReport {
        let head = try log.head().position
        let deadline = patience.map { ContinuousClock.now + $0 }
        while try checkpoint() < head {
            if let deadline, ContinuousClock.now >= deadline {
                return try await service.sweepPool(at: time, actor: actor)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await service.sweepPool(at: time, actor: actor, candidates: PoolIdleQueries(store: readModels))
    }

    /// The last position the read model has applied.
    private func checkpoint() throws -> UInt64 {
        try readModels.status(of: PoolIdleProjector.name)?.checkpoint ?? 0
    }
}
