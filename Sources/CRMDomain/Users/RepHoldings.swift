public import CRMSchema
public import Foundation

/// What the pool rules need to know of one rep: the customers held and the claims per day.
public struct RepHoldings: Sendable, Hashable {
    /// The rep's user id.
    public var repID: String
    /// The customers the rep owns.
    public var customers: Set<String> = []
    /// Claims per business day (``PoolRules/businessDayNumber(of:)``) of the day the log
    /// recorded them.
    public var claimsByDay: [Int: Int] = [:]

    /// A rep holding nothing.
    public init(repID: String) {
        self.repID = repID
    }

    /// Folds an ownership change that concerns this rep, recorded by the log at `recordedAt`.
    public mutating func apply(_ change: CRMCustomerOwnershipChanged, recordedAt: Date, rules: PoolRules) {
        if change.fromOwnerID == repID {
            apply(Self.entry(change, gained: false), recordedAt: recordedAt, rules: rules)
        }
        if change.toOwnerID == repID { apply(Self.entry(change, gained: true), recordedAt: recordedAt, rules: rules) }
    }

    /// Folds one entry of the rep's own stream, recorded by the log at `recordedAt`.
    public mutating func apply(_ entry: CRMRepHoldingChanged, recordedAt: Date, rules: PoolRules) {
        guard entry.gained else {
            customers.remove(entry.customerID)
            return
        }
        customers.insert(entry.customerID)
        if entry.reason == .claimed { claimsByDay[rules.businessDayNumber(of: recordedAt), default: 0] += 1 }
    }

    /// The entry for the stream of a rep who owns a customer from its creation.
    public static func created(_ customerID: String) -> CRMRepHoldingChanged {
        var entry = CRMRepHoldingChanged()
        (entry.customerID, entry.gained, entry.reason) = (customerID, true, .created)
        return entry
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
