public import CRMDomain
import EventStore
public import Foundation
public import Projections

/// The `pool-idle` read model as the pool sweep's source of candidates.
public struct PoolIdleQueries: PoolCandidates {
    /// The store holding the read model.
    public let store: ReadModelStore

    /// Queries over `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    /// Owned customers without an open contract idle since `cutoff` or before (a millisecond
    /// later included, so rounding never leaves one out), oldest clock first.
    public func page(
        idleSince cutoff: Date,
        after cursor: String?,
        limit: Int
    ) throws -> (
        candidates: [PoolCandidate], next: String?
    ) {
        let name = PoolIdleProjector.name
        let last = Timestamp(cutoff.addingTimeInterval(0.001)).nanosecondsSinceEpoch
        // Keys sort by clock; the first key past the cutoff ends the list.
        let end = PoolIdleProjector.sortableClock(last) + "}"
        let entries = try store.rows(String.self, projector: name, table: "idle", after: cursor, limit: max(limit, 1))
        var candidates: [PoolCandidate] = []
        for (key, customerID) in entries {
            guard key < end else { return (candidates, nil) }
            guard let row = try store.row(PoolIdleRow.self, projector: name, table: "customers", key: customerID) else {
                continue
            }
            candidates.append(PoolCandidate(customerID: customerID, activity: row.activity))
        }
        return (candidates, entries.count < max(limit, 1) ? nil : entries.last?.key)
    }
}

extension PoolIdleRow {
    /// The deals' activity as the sweep decides by it.
    var activity: CustomerActivity {
        CustomerActivity(
            lastActivityAt: lastActivityAt.map { Timestamp(nanosecondsSinceEpoch: $0).date },
            openContracts: Set(openContracts)
        )
    }
}
