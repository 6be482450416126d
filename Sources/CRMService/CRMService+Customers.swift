public import CRMDomain
public import CRMSchema
public import EventStore
public import Foundation
import SwiftProtobuf

extension CRMService {
    /// Creates a customer, reserving its dedup keys (company name, credit code, phone, email)
    /// in the same append, so two reps entering the same company race-free get one customer.
    ///
    /// - Returns: the new customer's id.
    /// - Throws: `DedupKeyError` for a malformed name, code, phone or email; `DomainError`
    ///   `duplicate_customer` naming the existing customer and its owner (or the pool); for
    ///   an owner `user_not_found`, `user_inactive`, `role_cannot_own_customers` and
    ///   `holding_cap_reached`; `invalid_value` for a bad tag.
    public func createCustomer(_ customer: NewCustomer, actor: String, occurredAt: Date? = nil) async throws -> String {
        let context = try context(actor, occurredAt)
        let keys = try DedupKey.keys(
            company: customer.name,
            creditCode: customer.creditCode,
            phone: customer.phone,
            email: customer.email
        )

        let customerID = newID()
        let stream = try customerStream(customerID)
        var created = CRMCustomerCreated()
        created.customerID = customerID
        created.name = customer.name.trimmingCharacters(in: .whitespacesAndNewlines)
        created.creditCode = keys.first { $0.kind == .creditCode }?.value ?? ""
        created.phone = keys.first { $0.kind == .phone }?.value ?? ""
        created.email = keys.first { $0.kind == .email }?.value ?? ""
        (created.region, created.industry, created.size) = (customer.region, customer.industry, customer.size)
        (created.source, created.level, created.ownerID) = (customer.source, customer.level, customer.ownerID)
        created.tags = try CustomerDecisions.normalizedTags(customer.tags)
        let reservations = try keys.map { (key: try UniqueKey($0.uniqueKey), owner: stream) }

        return try await retryingOnConflict("creating the customer") {
            var appends = [
                StreamAppend(stream: stream, expectedVersion: .noStream, events: [try event(created, context)])
            ]
            if !customer.ownerID.isEmpty {
                let (owner, version) = try await loadUser(customer.ownerID)
                try UserDecisions.requireCanOwnCustomers(owner)
                try PoolDecisions.requireRoom(owner.holdings, rules: try await poolRules(at: context.occurredAt))
                let entry = RepHoldings.created(customerID)
                appends.append(
                    StreamAppend(
                        stream: try userStream(customer.ownerID),
                        expectedVersion: version,
                        events: [try event(entry, context)]
                    )
                )
            }
            try await appendRefusingDuplicates(AppendRequest(appends, reserving: reservations))
            return customerID
        }
    }

    /// Updates the profile fields that differ; a new company name moves the name's dedup
    /// key in the same append.
    ///
    /// - Returns: the append, or `nil` when nothing differed and nothing was appended.
    /// - Throws: `DomainError` as ``CustomerDecisions/updateProfile(_:_:)``, and
    ///   `duplicate_customer` when the new name is another customer's; `DedupKeyError` for a
    ///   name that normalizes to nothing.
    @discardableResult
    public func updateCustomerProfile(
        _ customerID: String,
        _ changes: CustomerDecisions.ProfileChanges,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult? {
        let context = try context(actor, occurredAt)
        return try await retryingOnConflict("updating customer \(customerID)") {
            let (customer, version) = try await loadCustomer(customerID)
            guard let updated = try CustomerDecisions.updateProfile(customer, changes) else { return nil }
            let stream = try customerStream(customerID)
            var reserving: [(key: UniqueKey, owner: StreamName)] = []
            var releasing: [(key: UniqueKey, owner: StreamName)] = []
            if updated.changedFields.contains("name") {
                let old = try UniqueKey(try DedupKey(.company, normalizing: customer.profile.name).uniqueKey)
                let new = try UniqueKey(try DedupKey(.company, normalizing: updated.name).uniqueKey)
                if old != new { (reserving, releasing) = ([(new, stream)], [(old, stream)]) }
            }
            let append = StreamAppend(stream: stream, expectedVersion: version, events: [try event(updated, context)])
            return try await appendRefusingDuplicates(
                AppendRequest([append], reserving: reserving, releasing: releasing)
            )
        }
    }

    /// Adds and removes tags.
    ///
    /// - Returns: the append, or `nil` when no tag changed.
    @discardableResult
    public func tagCustomer(
        _ customerID: String,
        adding: [String] = [],
        removing: [String] = [],
        actor: String,
        occurredAt: Date? = nil
    ) async throws
        -> AppendResult?
    {
        try await decideOnCustomer(customerID, actor: actor, occurredAt: occurredAt) { customer in
            try CustomerDecisions.tag(customer, adding: adding, removing: removing)
        }
    }

    /// Adds a contact to a customer.
    ///
    /// - Returns: the new contact's id.
    public func addContact(
        to customerID: String,
        _ contact: CustomerDecisions.ContactFields,
        actor: String,
        occurredAt: Date? = nil
    ) async throws
        -> String
    {
        let contactID = newID()
        try await decideOnCustomer(customerID, actor: actor, occurredAt: occurredAt) { customer in
            try CustomerDecisions.addContact(customer, contactID: contactID, contact)
        }
        return contactID
    }

    /// Changes a contact's fields.
    ///
    /// - Returns: the append, or `nil` when no field changed.
    @discardableResult
    public func updateContact(
        _ contactID: String,
        of customerID: String,
        _ changes: CustomerDecisions.ContactFields,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult? {
        try await decideOnCustomer(customerID, actor: actor, occurredAt: occurredAt) { customer in
            try CustomerDecisions.updateContact(customer, contactID: contactID, changes)
        }
    }

    /// Logs a follow-up with a customer; it restarts the customer's idle clock.
    ///
    /// - Throws: `DomainError` `customer_not_found`, and as ``FollowUpDecisions/log(_:id:context:)``.
    @discardableResult
    public func logFollowUp(
        _ followUp: CRMFollowUpLogged,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        let context = try context(actor, occurredAt)
        let logged = try FollowUpDecisions.log(followUp, id: newID(), context: context)
        // A follow-up needs only an existing customer, not its folded state: one index lookup
        // instead of replaying a stream that every follow-up makes longer.
        let stream = try customerStream(logged.customerID)
        guard try await log.currentVersion(of: stream) != nil else {
            throw DomainError(
                .customerNotFound,
                "no customer \(logged.customerID)",
                facts: ["customer": logged.customerID]
            )
        }
        return try await append(to: stream, expecting: .exists, [try event(logged, context)])
    }

    /// Loads a customer, decides one event (or none), and appends it with the version read.
    @discardableResult
    private func decideOnCustomer(
        _ customerID: String,
        actor: String,
        occurredAt: Date?,
        decide: (CustomerState) throws -> (any SwiftProtobuf.Message)?
    ) async throws -> AppendResult? {
        try await decideEvents(
            on: try customerStream(customerID),
            actor: actor,
            occurredAt: occurredAt,
            load: { try await loadCustomer(customerID) }
        ) {
            try decide($0).map { [$0] } ?? []
        }
    }

    /// Appends `request`; a taken dedup key becomes the refusal naming its holder.
    @discardableResult
    func appendRefusingDuplicates(_ request: AppendRequest) async throws -> AppendResult {
        do {
            return try await append(request)
        } catch let error as EventStoreError where error.code == .uniqueKeyTaken {
            throw try await duplicate(of: error)
        }
    }

    /// The refusal for a taken dedup key: which customer holds it and who owns that one.
    func duplicate(of error: EventStoreError) async throws -> DomainError {
        let key = error.key ?? ""
        let holder = error.stream ?? ""
        var facts = ["key": key, "existing": holder]
        guard let stream = try? StreamName(holder), stream.category == "customer" else {
            return DomainError(.duplicateLead, "\(key) is already used by \(holder)", facts: facts)
        }
        let (state, _) = try await loadCustomer(String(stream.id))
        let owner = state.owner.map { "owned by \($0)" } ?? "in the public pool"
        facts["owner"] = state.owner ?? ""
        return DomainError(.duplicateCustomer, "a customer with \(key) exists: \(stream.id), \(owner)", facts: facts)
    }
}
