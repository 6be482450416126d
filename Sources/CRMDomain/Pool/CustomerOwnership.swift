public import CRMSchema
public import Foundation
public import SwiftProtobuf

/// What the pool rules need to know of one customer, folded from its stream.
public struct CustomerOwnership: Sendable, Hashable {
    /// The customer's id.
    public var customerID: String
    /// Whether a `CustomerCreated` has been seen.
    public var exists = false
    /// The customer level ("A", "B", …), which sets its idle limit.
    public var level = ""
    /// The owning rep; `nil` while in the public pool.
    public var owner: String?
    /// When the current owner got it.
    public var ownerSince: Date?
    /// The last follow-up's business time.
    public var lastFollowUpAt: Date?
    /// When each rep last lost the customer (released, swept, transferred away).
    public var lostAt: [String: Date] = [:]
    /// The idle period the last warning was about (its start), so the sweep warns once.
    public var warnedForIdleSince: Date?

    /// A customer not seen yet.
    public init(customerID: String) {
        self.customerID = customerID
    }

    /// Since when the customer has had no attention from its owner: the later of the last
    /// follow-up and the day the owner got it.
    public var idleSince: Date? {
        guard let ownerSince else { return nil }
        return max(ownerSince, lastFollowUpAt ?? ownerSince)
    }

    /// Folds one event of the customer's stream, recorded at business time `occurredAt`.
    public mutating func apply(_ event: any SwiftProtobuf.Message, occurredAt: Date) {
        switch event {
        case let created as CRMCustomerCreated:
            exists = true
            level = created.level
            if !created.ownerID.isEmpty {
                owner = created.ownerID
                ownerSince = occurredAt
            }
        case let updated as CRMCustomerProfileUpdated where updated.changedFields.contains("level"):
            level = updated.level
        case let change as CRMCustomerOwnershipChanged:
            if let previous = owner { lostAt[previous] = occurredAt }
            owner = change.toOwnerID.isEmpty ? nil : change.toOwnerID
            ownerSince = owner == nil ? nil : occurredAt
            warnedForIdleSince = nil
        case is CRMFollowUpLogged:
            lastFollowUpAt = max(lastFollowUpAt ?? occurredAt, occurredAt)
        case let warning as CRMPoolReleaseWarned where warning.ownerID == owner:
            warnedForIdleSince = idleSince
        default:
            break
        }
    }
}

/// What the pool rules need to know of one rep: the customers held and the claims per day.
public struct RepHoldings: Sendable, Hashable {
    /// The rep's user id.
    public var repID: String
    /// The customers the rep owns.
    public var customers: Set<String> = []
    /// Claims per business day (`yyyy-mm-dd`).
    public var claimsByDay: [String: Int] = [:]

    /// A rep holding nothing.
    public init(repID: String) {
        self.repID = repID
    }

    /// Folds an ownership change that concerns this rep, at business time `occurredAt`.
    public mutating func apply(_ change: CRMCustomerOwnershipChanged, occurredAt: Date, rules: PoolRules) {
        if change.fromOwnerID == repID { apply(Self.entry(change, gained: false), occurredAt: occurredAt, rules: rules) }
        if change.toOwnerID == repID { apply(Self.entry(change, gained: true), occurredAt: occurredAt, rules: rules) }
    }

    /// Folds one entry of the rep's own stream, at business time `occurredAt`.
    public mutating func apply(_ entry: CRMRepHoldingChanged, occurredAt: Date, rules: PoolRules) {
        guard entry.gained else {
            customers.remove(entry.customerID)
            return
        }
        customers.insert(entry.customerID)
        if entry.reason == .claimed { claimsByDay[rules.businessDay(of: occurredAt), default: 0] += 1 }
    }

    /// The entry for the rep's stream that goes with `change`.
    public static func entry(_ change: CRMCustomerOwnershipChanged, gained: Bool) -> CRMRepHoldingChanged {
        var entry = CRMRepHoldingChanged()
        entry.customerID = change.customerID
        entry.gained = gained
        entry.reason = change.reason
        return entry
    }
}
