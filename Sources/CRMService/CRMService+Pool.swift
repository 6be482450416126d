public import CRMDomain
public import CRMSchema
public import EventStore
public import Foundation

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
    func ownershipAppend(
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
