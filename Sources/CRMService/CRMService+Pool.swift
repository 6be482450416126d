public import CRMDomain
public import CRMSchema
public import EventStore
public import Foundation

/// What one run of the pool sweep did.
public struct PoolSweepReport: Sendable, Hashable {
    /// The business time swept at.
    public var time: Date
    /// Customers seen: every customer of the log for a sweep over the whole log, the
    /// candidates for one over a read model.
    public var customersChecked = 0
    /// Customers released to the pool, idle past their level's limit.
    public var released: [CRMCustomerOwnershipChanged] = []
    /// Owners warned of a coming release.
    public var warned: [CRMPoolReleaseWarned] = []
    /// Customers left as they are because their stream holds an event this build cannot read
    /// (a type or schema version brought in from elsewhere): the sweep does not decide on a
    /// customer it cannot see whole.
    public var unreadable: [String] = []
    /// Events of deals (opportunities, quotes, contracts) this build cannot read, left out of
    /// the customers' business activity.
    public var unreadableDealEvents = 0
}

extension CRMService {
    /// The acting rep claims a customer from the public pool.
    ///
    /// - Throws: `DomainError` as ``PoolDecisions/claim(_:by:rules:context:)`` does.
    @discardableResult
    public func claimCustomer(_ customerID: String, actor: String, occurredAt: Date? = nil) async throws -> AppendResult
    {
        try await changeOwnership(of: customerID, actor: actor, occurredAt: occurredAt) { customer, context in
            let (rep, version) = try await loadUser(actor)
            let rules = try await poolRules(at: context.occurredAt)
            return (try PoolDecisions.claim(customer, by: rep, rules: rules, context: context), [actor: version])
        }
    }

    /// Releases a customer to the pool: by its owner, or by an admin or a manager of the
    /// owner's team.
    ///
    /// - Throws: `DomainError` as ``PoolDecisions/release(_:by:owner:note:)`` does.
    @discardableResult
    public func releaseCustomer(
        _ customerID: String,
        actor: String,
        note: String = "",
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await changeOwnership(of: customerID, actor: actor, occurredAt: occurredAt) { customer, _ in
            let (acting, _) = try await loadUser(actor)
            let owner = try await loadOwner(of: customer, actor: acting)
            return (try PoolDecisions.release(customer, by: acting, owner: owner, note: note), [:])
        }
    }

    /// Moves a customer to another rep: an admin's or the team manager's decision, subject
    /// to the receiver's holding cap.
    ///
    /// - Throws: `DomainError` as ``PoolDecisions/transfer(_:by:owner:to:rules:note:)`` does.
    @discardableResult
    public func transferCustomer(
        _ customerID: String,
        to receiverID: String,
        actor: String,
        note: String = "",
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await changeOwnership(of: customerID, actor: actor, occurredAt: occurredAt) { customer, context in
            let (acting, _) = try await loadUser(actor)
            let owner = try await loadOwner(of: customer, actor: acting)
            let (receiver, version) = try await loadUser(receiverID)
            let rules = try await poolRules(at: context.occurredAt)
            return (
                try PoolDecisions.transfer(customer, by: acting, owner: owner, to: receiver, rules: rules, note: note),
                [receiverID: version]
            )
        }
    }

    /// Releases every customer idle past its level's limit at business time `time` (now by
    /// default), and warns the owners of those within the warning window, by the pool rules
    /// in force then.
    ///
    /// Folds every customer and deal of the log, so it reads the whole history: a server sweeps
    /// through ``sweepPool(at:actor:candidates:)`` and a read model of idle customers instead.
    ///
    /// Idempotent for a given time: a second run finds nothing more to do. Each customer is
    /// decided again on its latest stream as it is released or warned, so a follow-up or a
    /// change of owner made during the sweep wins.
    public func sweepPool(at time: Date? = nil, actor: String = "pool-sweep") async throws -> PoolSweepReport {
        let context = try context(actor, time)
        let rules = try await poolRules(at: context.occurredAt)
        let (customers, unreadable) = try await foldAllCustomers()
        let (activity, unreadableDealEvents) = try await foldBusinessActivity()
        var report = PoolSweepReport(time: context.occurredAt, customersChecked: customers.count)
        report.unreadable = unreadable.sorted()
        report.unreadableDealEvents = unreadableDealEvents
        for (customerID, state) in customers.sorted(by: { $0.key < $1.key }) where !unreadable.contains(customerID) {
            let deals = activity.customers[customerID] ?? CustomerActivity()
            guard PoolDecisions.sweep(state, activity: deals, rules: rules, at: context.occurredAt) != .none else {
                continue
            }
            try await sweep(customerID, activity: deals, rules: rules, context: context, into: &report)
        }
        return report
    }

    /// Releases and warns as ``sweepPool(at:actor:)`` does, reading only the customers
    /// `candidates` names as idle long enough to be warned under their level's limit in the
    /// rules in force, each with the activity `candidates` knows of it.
    ///
    /// The candidates' activity should be as recent as the log's head when the sweep starts
    /// (a server waits for its read model to catch up): a deal's event it has not seen yet
    /// does not restart the customer's clock.
    public func sweepPool(
        at time: Date? = nil,
        actor: String = "pool-sweep",
        candidates: some PoolCandidates
    ) async throws -> PoolSweepReport {
        let context = try context(actor, time)
        let rules = try await poolRules(at: context.occurredAt)
        // A customer of a level is first warned this many days before its release.
        func cutoff(_ level: String) -> Date {
            let days = Double(rules.idleDays(forLevel: level)) - Double(rules.warningDaysBeforeRelease)
            return context.occurredAt.addingTimeInterval(-days * 86_400)
        }
        var report = PoolSweepReport(time: context.occurredAt)
        var cursor: String?
        repeat {
            let page = try await candidates.page(idleSince: cutoff, after: cursor, limit: 1_000)
            for candidate in page.candidates {
                report.customersChecked += 1
                do {
                    try await sweep(
                        candidate.customerID,
                        activity: candidate.activity,
                        rules: rules,
                        context: context,
                        into: &report
                    )
                } catch is EventCatalogueError {
                    report.unreadable.append(candidate.customerID)
                }
            }
            cursor = page.next
        } while cursor != nil
        return report
    }

    /// Decides one customer again on its latest stream and appends its release or warning,
    /// if any, to the log and to `report`.
    private func sweep(
        _ customerID: String,
        activity: CustomerActivity,
        rules: PoolRules,
        context: CommandContext,
        into report: inout PoolSweepReport
    ) async throws {
        try await retryingOnConflict("sweeping customer \(customerID)") {
            let (customer, version) = try await loadCustomer(customerID)
            switch PoolDecisions.sweep(customer, activity: activity, rules: rules, at: context.occurredAt) {
            case .release(let change):
                _ = try await append(ownershipAppend(change, customerVersion: version, context: context))
                report.released.append(change)
            case .warn(let warning):
                _ = try await append(
                    to: try customerStream(customerID),
                    expecting: version,
                    [try event(warning, context)]
                )
                report.warned.append(warning)
            case .none:
                break
            }
        }
    }

    /// Every customer of the log, folded in one pass over the customer category, and those
    /// whose streams hold an event this build cannot read.
    private func foldAllCustomers() async throws -> (customers: [String: CustomerState], unreadable: Set<String>) {
        var customers: [String: CustomerState] = [:]
        var unreadable: Set<String> = []
        let pageSize = 10_000
        var position: UInt64 = 1
        while true {
            let page = try await log.readCategory("customer", from: position, direction: .forward, limit: pageSize)
            for recorded in page {
                let id = String(recorded.stream.id)
                guard let message = try? decode(recorded) else {
                    unreadable.insert(id)
                    continue
                }
                customers[id, default: CustomerState(customerID: id)].apply(
                    message,
                    occurredAt: recorded.occurredAt.date
                )
            }
            guard page.count == pageSize, let last = page.last else { return (customers, unreadable) }
            position = last.position + 1
        }
    }

    /// The business activity of every customer, folded from its deals' streams, and how many
    /// of their events this build cannot read.
    private func foldBusinessActivity() async throws -> (activity: BusinessActivity, unreadable: Int) {
        var activity = BusinessActivity()
        var unreadable = 0
        let pageSize = 10_000
        for category in BusinessActivity.categories {
            var position: UInt64 = 1
            while true {
                let page = try await log.readCategory(category, from: position, direction: .forward, limit: pageSize)
                for recorded in page {
                    guard let message = try? decode(recorded) else {
                        unreadable += 1
                        continue
                    }
                    activity.apply(
                        message,
                        category: category,
                        id: String(recorded.stream.id),
                        occurredAt: recorded.occurredAt.date
                    )
                }
                guard page.count == pageSize, let last = page.last else { break }
                position = last.position + 1
            }
        }
        return (activity, unreadable)
    }

    /// The owner of an owned customer, or the actor standing in for one when it is in the pool
    /// (the decision then refuses with `customer_in_pool`).
    private func loadOwner(of customer: CustomerState, actor: UserState) async throws -> UserState {
        guard let owner = customer.owner, owner != actor.userID else { return actor }
        return try await loadUser(owner).0
    }

    /// Loads, decides and appends an ownership change with the holdings entries that go with
    /// it, retrying when a stream moved underneath.
    ///
    /// `decide` returns the change and the versions of the user streams it read.
    private func changeOwnership(
        of customerID: String,
        actor: String,
        occurredAt: Date?,
        decide: (CustomerState, CommandContext) async throws -> (CRMCustomerOwnershipChanged, [String: ExpectedVersion])
    ) async throws -> AppendResult {
        let context = try context(actor, occurredAt)
        return try await retryingOnConflict("the ownership change of \(customerID)") {
            let (customer, version) = try await loadCustomer(customerID)
            let (change, readVersions) = try await decide(customer, context)
            return try await append(
                ownershipAppend(change, customerVersion: version, context: context, userVersions: readVersions)
            )
        }
    }

    /// An ownership change on the customer's stream with the holdings entries on the streams
    /// of the users who lose and gain it.
    ///
    /// The streams of users whose version was read (`userVersions`: the gaining rep, whose
    /// cap and daily limit were checked) are appended to with that version; the others
    /// (the losing owner) with `.any`, since losing a customer breaks none of their limits.
    private func ownershipAppend(
        _ change: CRMCustomerOwnershipChanged,
        customerVersion: ExpectedVersion,
        context: CommandContext,
        userVersions: [String: ExpectedVersion] = [:]
    ) throws -> AppendRequest {
        var appends = [
            StreamAppend(
                stream: try customerStream(change.customerID),
                expectedVersion: customerVersion,
                events: [try event(change, context)]
            )
        ]
        for (user, gained) in [(change.fromOwnerID, false), (change.toOwnerID, true)] where !user.isEmpty {
            let entry = RepHoldings.entry(change, gained: gained)
            appends.append(
                StreamAppend(
                    stream: try userStream(user),
                    expectedVersion: userVersions[user] ?? .any,
                    events: [try event(entry, context)]
                )
            )
        }
        return AppendRequest(appends)
    }
}
