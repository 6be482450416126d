public import CRMSchema
public import Foundation
import SwiftProtobuf

/// The public-pool (公海) decisions: claim, release, transfer, and the idle sweep.
///
/// Each takes the folded state and the rules in force and returns the event to append,
/// or throws a ``DomainError`` and appends nothing. Every change of owner is one
/// `CustomerOwnershipChanged` with its reason.
public enum PoolDecisions {
    /// A rep claims a customer from the pool.
    ///
    /// - Throws: for the rep `user_not_found`, `user_inactive`, `role_cannot_own_customers`;
    ///   `customer_not_found`; `customer_already_owned` or `customer_owned_by_other_rep`
    ///   (with `owner` and `since`); `previous_owner_cooldown` (with `until`);
    ///   `daily_claim_limit_reached`; `holding_cap_reached`.
    public static func claim(
        _ customer: CustomerState,
        by user: UserState,
        rules: PoolRules,
        context: CommandContext
    ) throws(DomainError) -> CRMCustomerOwnershipChanged {
        try UserDecisions.requireCanOwnCustomers(user)
        let rep = user.holdings
        try CustomerDecisions.requireExists(customer)
        if let owner = customer.owner {
            let since = customer.ownerSince.map { $0.formatted(.iso8601) } ?? ""
            if owner == rep.repID {
                throw DomainError(
                    .customerAlreadyOwned,
                    "you own customer \(customer.customerID) already",
                    facts: ["owner": owner, "since": since]
                )
            }
            throw DomainError(
                .customerOwnedByOtherRep,
                "customer \(customer.customerID) is owned by \(owner) since \(since); only pool customers can be claimed",
                facts: ["owner": owner, "since": since]
            )
        }
        if let lost = customer.lostAt[rep.repID] {
            let until = lost.addingTimeInterval(Double(rules.previousOwnerCooldownDays) * 86_400)
            if context.occurredAt < until {
                throw DomainError(
                    .previousOwnerCooldown,
                    "you lost customer \(customer.customerID) on \(lost.formatted(.iso8601)); you may claim it back from \(until.formatted(.iso8601))",
                    facts: ["lostAt": lost.formatted(.iso8601), "until": until.formatted(.iso8601)]
                )
            }
        }
        // Counted by the day the log records the claim, not its business time: a claim
        // back-dated to yesterday still counts against today's limit.
        let claimedToday = rep.claimsByDay[rules.businessDayNumber(of: context.now)] ?? 0
        guard claimedToday < rules.dailyClaimLimit else {
            let day = rules.businessDay(of: context.now)
            throw DomainError(
                .dailyClaimLimitReached,
                "\(rep.repID) has claimed \(claimedToday) customers on \(day); the daily limit is \(rules.dailyClaimLimit)",
                facts: ["claimed": String(claimedToday), "limit": String(rules.dailyClaimLimit), "day": day]
            )
        }
        try requireRoom(rep, rules: rules)
        return change(customer.customerID, from: "", to: rep.repID, reason: .claimed, note: "")
    }

    /// Releases an owned customer to the pool: by its owner, or by an admin or a manager of
    /// the owner's team (`owner` is the owning user's folded state).
    ///
    /// - Throws: `customer_not_found`; `customer_in_pool`; `not_customer_owner` when a rep
    ///   releases another rep's customer; `outside_scope` when a manager is not the owner's.
    public static func release(
        _ customer: CustomerState,
        by actor: UserState,
        owner: UserState,
        note: String
    ) throws(DomainError) -> CRMCustomerOwnershipChanged {
        let ownerID = try requireOwned(customer)
        try requireActs(actor, on: customer, of: owner, acting: "release")
        return change(
            customer.customerID,
            from: ownerID,
            to: "",
            reason: actor.userID == ownerID ? .releasedByRep : .releasedByManager,
            note: note
        )
    }

    /// Moves an owned customer to another rep: a manager's decision (an admin, or a manager
    /// of both reps' team). No daily limit applies; the receiver's holding cap does.
    ///
    /// - Throws: `customer_not_found`; `customer_in_pool`; `not_customer_owner` or
    ///   `outside_scope` for an actor who does not manage both reps; for the receiver
    ///   `user_not_found`, `user_inactive`, `role_cannot_own_customers`,
    ///   `customer_already_owned`, `holding_cap_reached`.
    public static func transfer(
        _ customer: CustomerState,
        by actor: UserState,
        owner: UserState,
        to receiver: UserState,
        rules: PoolRules,
        note: String
    ) throws(DomainError) -> CRMCustomerOwnershipChanged {
        let ownerID = try requireOwned(customer)
        try requireActs(actor, on: customer, of: owner, acting: "transfer")
        // A rep may give up a customer, but only a manager decides who gets it.
        guard actor.role != .salesRep, actor.manages(receiver) else {
            throw UserDecisions.outsideScope(actor, acting: "hand customers to", on: receiver)
        }
        try UserDecisions.requireCanOwnCustomers(receiver)
        guard ownerID != receiver.userID else {
            throw DomainError(
                .customerAlreadyOwned,
                "\(ownerID) owns customer \(customer.customerID) already",
                facts: ["owner": ownerID]
            )
        }
        try requireRoom(receiver.holdings, rules: rules)
        return change(customer.customerID, from: ownerID, to: receiver.userID, reason: .transferred, note: note)
    }

    /// What the idle sweep does to one customer at `time`.
    public enum SweepOutcome: Sendable, Hashable {
        /// Idle past its level's limit: back to the pool.
        case release(CRMCustomerOwnershipChanged)
        /// Within the warning window and not yet warned for this idle period.
        case warn(CRMPoolReleaseWarned)
        /// Nothing to do.
        case none
    }

    /// The sweep's decision for one customer at `time`: release, warn, or nothing.
    ///
    /// The idle clock restarts with every follow-up and with every event on the customer's
    /// deals (`activity`: opportunities, quotes, contracts, payments); a customer with an open
    /// contract or money still to collect is never released.
    ///
    /// Idempotent for a given time: once a customer is released or warned, sweeping it again
    /// at the same time decides nothing new.
    public static func sweep(
        _ customer: CustomerState,
        activity: CustomerActivity = CustomerActivity(),
        rules: PoolRules,
        at time: Date
    )
        -> SweepOutcome
    {
        guard let owner = customer.owner, let idleSince = customer.idleSince else { return .none }
        let candidate = PoolCandidate(
            customerID: customer.customerID,
            owner: owner,
            level: customer.level,
            idleSince: idleSince,
            warnedReleaseAt: customer.warnedReleaseAt,
            activity: activity
        )
        return sweep(candidate, rules: rules, at: time)
    }

    /// The sweep's decision for a candidate as its source knows it: the decision on the
    /// customer's stream folded as far as the source has read the log, so that the sweep
    /// reads no stream.
    public static func sweep(_ candidate: PoolCandidate, rules: PoolRules, at time: Date) -> SweepOutcome {
        let activity = candidate.activity
        guard !candidate.owner.isEmpty, activity.openContracts.isEmpty else { return .none }
        let idleSince = max(candidate.idleSince, activity.lastActivityAt ?? candidate.idleSince)
        let idleDays = rules.idleDays(forLevel: candidate.level)
        let releaseAt = idleSince.addingTimeInterval(Double(idleDays) * 86_400)
        if time >= releaseAt {
            let note = "no business activity for \(idleDays) days"
            return .release(
                change(candidate.customerID, from: candidate.owner, to: "", reason: .releasedBySweep, note: note)
            )
        }
        let warnFrom = releaseAt.addingTimeInterval(-Double(rules.warningDaysBeforeRelease) * 86_400)
        // A warning's release time went through a protobuf timestamp: equal to the microsecond.
        let warned = candidate.warnedReleaseAt.map { abs($0.timeIntervalSince(releaseAt)) < 0.000_001 } ?? false
        guard time >= warnFrom, !warned else { return .none }
        var warning = CRMPoolReleaseWarned()
        warning.customerID = candidate.customerID
        warning.ownerID = candidate.owner
        warning.releaseDueAt = Google_Protobuf_Timestamp(date: releaseAt)
        warning.idleDays = Int32(idleDays)
        return .warn(warning)
    }

    // MARK: - Shared checks

    /// Refuses an actor who may not act on the customer of `owner`: the owner themselves, an
    /// admin and the managers of the owner's team may.
    private static func requireActs(
        _ actor: UserState,
        on customer: CustomerState,
        of owner: UserState,
        acting action: String
    ) throws(DomainError) {
        guard !actor.manages(owner) else { return }
        if actor.isActive, actor.role == .manager {
            throw UserDecisions.outsideScope(actor, acting: "\(action) the customers of", on: owner)
        }
        throw DomainError(
            .notCustomerOwner,
            "customer \(customer.customerID) is owned by \(owner.userID), not by \(actor.userID)",
            facts: ["owner": owner.userID]
        )
    }

    private static func requireOwned(_ customer: CustomerState) throws(DomainError) -> String {
        try CustomerDecisions.requireExists(customer)
        guard let owner = customer.owner else {
            throw DomainError(
                .customerInPool,
                "customer \(customer.customerID) is in the public pool",
                facts: ["customer": customer.customerID]
            )
        }
        return owner
    }

    /// Refuses when `rep` already holds as many customers as the rules allow.
    ///
    /// - Throws: `holding_cap_reached`, with `held` and `cap`.
    public static func requireRoom(_ rep: RepHoldings, rules: PoolRules) throws(DomainError) {
        guard rep.customers.count < rules.holdingCap else {
            throw DomainError(
                .holdingCapReached,
                "\(rep.repID) holds \(rep.customers.count) customers; the cap is \(rules.holdingCap)",
                facts: ["held": String(rep.customers.count), "cap": String(rules.holdingCap)]
            )
        }
    }

    /// A change of `customerID` from `owner` (empty: the pool) to `newOwner` (empty: the pool).
    private static func change(
        _ customerID: String,
        from owner: String,
        to newOwner: String,
        reason: CRMOwnershipChangeReason,
        note: String
    ) -> CRMCustomerOwnershipChanged {
        var event = CRMCustomerOwnershipChanged()
        event.customerID = customerID
        event.fromOwnerID = owner
        event.toOwnerID = newOwner
        event.reason = reason
        event.note = note
        return event
    }
}
