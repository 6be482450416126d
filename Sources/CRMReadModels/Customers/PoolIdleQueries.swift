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

    /// Owned customers without an open contract idle since `cutoff(level)` or before (a
    /// millisecond later included, so rounding never leaves one out), level by level, oldest
    /// clock first within a level.
    public func page(
        idleSince cutoff: (_ level: String) -> Date,
        after cursor: String?,
        limit: Int
    ) throws -> (
        candidates: [PoolCandidate], next: String?
    ) {
        let name = PoolIdleProjector.name
        let limit = max(limit, 1)
        // The cursor is an `idle` key: its level's part says where to go on.
        let cursorLevel = cursor.map { String($0.prefix { $0 != "|" }) }
        var candidates: [PoolCandidate] = []
        for (levelKey, level) in try store.rows(String.self, projector: name, table: "levels")
        where cursorLevel.map({ levelKey >= $0 }) ?? true {
            let last = Timestamp(cutoff(level).addingTimeInterval(0.001)).nanosecondsSinceEpoch
            // Keys sort by clock within a level; the first past the cutoff ends the level.
            let end = levelKey + "|" + SortableKey.hex(last) + "}"
            var after = levelKey == cursorLevel ? cursor : nil
            level: while true {
                let wanted = limit - candidates.count
                let entries = try store.rows(
                    String.self,
                    projector: name,
                    table: "idle",
                    prefix: levelKey + "|",
                    after: after,
                    limit: wanted
                )
                for (key, customerID) in entries {
                    guard key < end else { break level }
                    if let row = try store.row(PoolIdleRow.self, projector: name, table: "customers", key: customerID) {
                        candidates.append(row.candidate(customerID))
                    }
                    after = key
                    if candidates.count == limit { return (candidates, key) }
                }
                if entries.count < wanted { break }
            }
        }
        return (candidates, nil)
    }
}

extension PoolIdleRow {
    /// The row as the sweep's candidate `customerID`, with times as the sweep folds them from
    /// the log.
    func candidate(_ customerID: String) -> PoolCandidate {
        PoolCandidate(
            customerID: customerID,
            owner: owner,
            level: level,
            idleSince: Timestamp(nanosecondsSinceEpoch: ownIdleSince).date,
            warnedReleaseAt: warnedReleaseAt.map(Date.init(timeIntervalSinceReferenceDate:)),
            activity: CustomerActivity(
                lastActivityAt: lastActivityAt.map { Timestamp(nanosecondsSinceEpoch: $0).date },
                openContracts: Set(openContracts)
            ),
            streamVersion: streamVersion
        )
    }
}
