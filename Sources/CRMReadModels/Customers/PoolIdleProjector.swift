import CRMDomain
import CRMSchema
import EventStore
import Foundation
public import Projections
import SwiftProtobuf

/// Folds the log into what the pool sweep needs: each owned customer's level, idle clock and
/// deals' activity, and an index of the owned customers without an open contract by level and
/// the time their clock stopped, so the sweep reads the few idle long enough for their level's
/// limit and not every customer.
///
/// The rows follow the whole-log sweep's fold: the customer's own events (creation, changes of
/// owner, follow-ups) from its stream, and every event of its opportunities', quotes' and
/// contracts' streams as business activity.
///
/// Tables:
/// - `customers`: customer id → ``PoolIdleRow``;
/// - `idle`: ``idleKey(_:_:_:)`` (the level, the idle clock, the customer id) → customer id,
///   for every owned customer without an open contract;
/// - `levels`: ``levelKey(_:)`` → the level, for every level the index has held;
/// - `dealCustomer`: `category-id` of a deal's stream → customer id;
/// - `contracts`: contract id → ``ContractBalance``.
public final class PoolIdleProjector: Projector {
    public static let name = "pool-idle"
    /// 4: rows keep the release their owner was last warned of and their stream's version,
    /// so the sweep decides from the row.
    public static let version: UInt32 = 4
    /// Every type: deals' streams hold many, and the stream's category decides what counts.
    public static let eventTypes = Set(EventCatalogue.crm.typeNames)

    let customers = ReadModelTable<PoolIdleRow>("customers")
    let idle = ReadModelTable<String>("idle")
    let dealCustomer = ReadModelTable<String>("dealCustomer")
    let contracts = ReadModelTable<ContractBalance>("contracts")
    let levels = ReadModelTable<String>("levels")

    public init() {}

    public var tables: [any ReadModelTableProtocol] { [customers, idle, dealCustomer, contracts, levels] }

    public func apply(_ event: CRMEvent) throws {
        let at = event.occurredAt.nanosecondsSinceEpoch
        switch event.stream.category {
        case "customer":
            applyCustomer(event, at: at)
        case "opportunity", "quote", "contract":
            applyDeal(event, at: at)
        default:
            break
        }
    }

    /// The customer's own events, as `CustomerState` folds them, and the version of its stream
    /// each brings the row up to.
    private func applyCustomer(_ event: CRMEvent, at: Int64) {
        change(String(event.stream.id)) { row in
            row.streamVersion = event.streamVersion
            switch event.payload {
            case is CRMFollowUpLogged:
                row.lastFollowUpAt = max(row.lastFollowUpAt ?? at, at)
            case let ownership as CRMCustomerOwnershipChanged:
                (row.owner, row.ownerSince, row.warnedReleaseAt) = (ownership.toOwnerID, at, nil)
            case let warning as CRMPoolReleaseWarned where warning.ownerID == row.owner:
                // The time the sweep compares, exactly as the `Date` it folds from the warning.
                row.warnedReleaseAt = warning.releaseDueAt.date.timeIntervalSinceReferenceDate
            case let created as CRMCustomerCreated:
                row.level = created.level
                if !created.ownerID.isEmpty { (row.owner, row.ownerSince) = (created.ownerID, at) }
            case let updated as CRMCustomerProfileUpdated where updated.changedFields.contains("level"):
                row.level = updated.level
            default:
                break
            }
        }
    }

    /// An event of a deal's stream: activity for the deal's customer, and for a contract
    /// whether it is still open.
    private func applyDeal(_ event: CRMEvent, at: Int64) {
        let key = event.stream.rawValue
        if let customerID = BusinessActivity.customer(openedBy: event.payload) { dealCustomer[key] = customerID }
        guard let customerID = dealCustomer[key] else { return }
        var open: Bool?
        if event.stream.category == "contract" {
            let contractID = String(event.stream.id)
            var balance = contracts[contractID] ?? ContractBalance()
            balance.apply(event.payload)
            contracts[contractID] = balance
            open = balance.isOpen
        }
        change(customerID) { row in
            row.lastActivityAt = max(row.lastActivityAt ?? at, at)
            guard let open else { return }
            let contractID = String(event.stream.id)
            row.openContracts.removeAll { $0 == contractID }
            if open {
                row.openContracts.append(contractID)
                row.openContracts.sort()
            }
        }
    }

    /// Changes a customer's row and moves it in the `idle` index when its level or clock moved.
    private func change(_ customerID: String, _ body: (inout PoolIdleRow) -> Void) {
        var moved: (from: String?, to: String?)?
        var level = ""
        customers.update(customerID, default: PoolIdleRow()) { row in
            body(&row)
            let key = row.idleSince.map { Self.idleKey(row.level, $0, customerID) }
            guard key != row.indexedKey else { return }
            (moved, level) = ((row.indexedKey, key), row.level)
            row.indexedKey = key
        }
        guard let moved else { return }
        if let from = moved.from { idle[from] = nil }
        if let to = moved.to {
            idle[to] = customerID
            if !levels.contains(Self.levelKey(level)) { levels[Self.levelKey(level)] = level }
        }
    }

    /// The key of a customer in the `idle` index: ``levelKey(_:)``, `|`, the clock as
    /// ``SortableKey/hex(_:)``, `|` and the customer id, so one level's customers sort by clock.
    static func idleKey(_ level: String, _ nanoseconds: Int64, _ customerID: String) -> String {
        levelKey(level) + "|" + SortableKey.hex(nanoseconds) + "|" + customerID
    }

    /// A level as the hex digits of its UTF-8 bytes: no level can reach into another's keys.
    static func levelKey(_ level: String) -> String {
        level.utf8.map { byte in String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16) }.joined()
    }
}

/// What the pool sweep needs of one customer.
struct PoolIdleRow: Codable, Sendable, Hashable {
    /// The customer's level ("A", "B", …), which sets its idle limit.
    var level = ""
    /// The owning rep; empty while in the pool (or before the customer's creation is seen).
    var owner = ""
    /// When the current owner got it, in nanoseconds since 1970.
    var ownerSince: Int64 = 0
    /// The latest follow-up's business time.
    var lastFollowUpAt: Int64?
    /// The latest event of its deals.
    var lastActivityAt: Int64?
    /// Its contracts still open, sorted.
    var openContracts: [String] = []
    /// The version of the customer's stream folded into the row.
    var streamVersion: UInt64?
    /// The release the last warning to the current owner announced, as the seconds since 2001
    /// a `Date` holds (exactly the `Date` the sweep folds from the warning).
    var warnedReleaseAt: Double?
    /// The row's key in the `idle` index; `nil` when it is not there.
    var indexedKey: String?

    /// The customer's own idle clock: the later of its owner's taking it and its last
    /// follow-up.
    var ownIdleSince: Int64 { max(ownerSince, lastFollowUpAt ?? ownerSince) }

    /// When the customer's idle clock stopped, its deals' activity included, as the sweep
    /// reckons it; `nil` when the sweep leaves it alone (in the pool, or a contract still open).
    var idleSince: Int64? {
        guard !owner.isEmpty, openContracts.isEmpty else { return nil }
        return max(ownIdleSince, lastActivityAt ?? ownerSince)
    }
}
