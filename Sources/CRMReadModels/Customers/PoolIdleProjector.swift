import CRMDomain
import CRMSchema
import EventStore
public import Projections
import SwiftProtobuf

/// Folds the log into what the pool sweep needs: each owned customer's idle clock and deals'
/// activity, and an index of the owned customers without an open contract by the time their
/// clock stopped, so the sweep reads the few idle long enough and not every customer.
///
/// The rows follow the whole-log sweep's fold: the customer's own events (creation, changes of
/// owner, follow-ups) from its stream, and every event of its opportunities', quotes' and
/// contracts' streams as business activity.
///
/// Tables:
/// - `customers`: customer id → ``PoolIdleRow``;
/// - `idle`: ``idleKey(_:_:)`` (the idle clock, sortable, then the customer id) → customer id,
///   for every owned customer without an open contract;
/// - `dealCustomer`: `category-id` of a deal's stream → customer id;
/// - `contracts`: contract id → ``ContractBalance``.
public final class PoolIdleProjector: Projector {
    public static let name = "pool-idle"
    public static let version: UInt32 = 1
    /// Every type: deals' streams hold many, and the stream's category decides what counts.
    public static let eventTypes = Set(EventCatalogue.crm.typeNames)

    let customers = ReadModelTable<PoolIdleRow>("customers")
    let idle = ReadModelTable<String>("idle")
    let dealCustomer = ReadModelTable<String>("dealCustomer")
    let contracts = ReadModelTable<ContractBalance>("contracts")

    public init() {}

    public var tables: [any ReadModelTableProtocol] { [customers, idle, dealCustomer, contracts] }

    public func apply(_ event: CRMEvent) throws {
        let at = event.occurredAt.nanosecondsSinceEpoch
        switch event.stream.category {
        case "customer":
            applyCustomer(event.payload, customerID: String(event.stream.id), at: at)
        case "opportunity", "quote", "contract":
            applyDeal(event, at: at)
        default:
            break
        }
    }

    /// The customer's own events, as `CustomerState` folds them.
    private func applyCustomer(_ payload: any SwiftProtobuf.Message, customerID: String, at: Int64) {
        switch payload {
        case is CRMFollowUpLogged:
            change(customerID) { $0.lastFollowUpAt = max($0.lastFollowUpAt ?? at, at) }
        case let change as CRMCustomerOwnershipChanged:
            self.change(customerID) { ($0.owner, $0.ownerSince) = (change.toOwnerID, at) }
        case let created as CRMCustomerCreated where !created.ownerID.isEmpty:
            change(customerID) { ($0.owner, $0.ownerSince) = (created.ownerID, at) }
        default:
            break
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

    /// Changes a customer's row and moves it in the `idle` index when its clock moved.
    private func change(_ customerID: String, _ body: (inout PoolIdleRow) -> Void) {
        var moved: (from: Int64?, to: Int64?)?
        customers.update(customerID, default: PoolIdleRow()) { row in
            body(&row)
            let clock = row.idleSince
            guard clock != row.indexedAt else { return }
            moved = (row.indexedAt, clock)
            row.indexedAt = clock
        }
        guard let moved else { return }
        if let from = moved.from { idle[Self.idleKey(from, customerID)] = nil }
        if let to = moved.to { idle[Self.idleKey(to, customerID)] = customerID }
    }

    /// The key of a customer in the `idle` index: the clock as 16 hex digits, ordered as the
    /// signed nanoseconds are (the sign bit flipped), then `|` and the customer id.
    static func idleKey(_ nanoseconds: Int64, _ customerID: String) -> String {
        sortableClock(nanoseconds) + "|" + customerID
    }

    /// A clock as 16 hex digits that sort as the nanoseconds do.
    static func sortableClock(_ nanoseconds: Int64) -> String {
        let flipped = UInt64(bitPattern: nanoseconds) ^ (1 << 63)
        let digits = String(flipped, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// What the pool sweep needs of one customer.
struct PoolIdleRow: Codable, Sendable, Hashable {
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
    /// The clock under which the row is in the `idle` index; `nil` when it is not.
    var indexedAt: Int64?

    /// When the customer's idle clock stopped, as the sweep reckons it; `nil` when the sweep
    /// leaves it alone (in the pool, or a contract still open).
    var idleSince: Int64? {
        guard !owner.isEmpty, openContracts.isEmpty else { return nil }
        return max(ownerSince, lastFollowUpAt ?? ownerSince, lastActivityAt ?? ownerSince)
    }
}
