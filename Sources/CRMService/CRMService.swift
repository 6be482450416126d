public import CRMDomain
public import CRMSchema
public import EventStore
public import Foundation
import SwiftProtobuf

/// Command handling: load the streams a decision needs, decide, and append with the
/// versions that were read, so a concurrent change makes the append conflict instead of
/// slipping past the rule. On a conflict the command is loaded and decided again: it
/// succeeds if its decision still holds, and is refused with the current facts if not.
public struct CRMService<Log: EventLog>: Sendable {
    /// How often a command is decided again after losing a race.
    public static var maxAttempts: Int { 8 }

    let log: Log
    let clock: any CRMClock
    let catalogue = EventCatalogue.crm

    /// A service appending to `log`, reading time from `clock`.
    public init(log: Log, clock: any CRMClock = SystemClock()) {
        self.log = log
        self.clock = clock
    }

    // MARK: - Customers

    /// Creates a customer, reserving its dedup keys (company name, credit code, phone, email)
    /// in the same append, so two reps entering the same company race-free get one customer.
    ///
    /// - Returns: the new customer's id.
    /// - Throws: `DedupKeyError` for a malformed name, code, phone or email; `DomainError`
    ///   `duplicate_customer` naming the existing customer and its owner (or the pool);
    ///   `holding_cap_reached` when the owner is full.
    public func createCustomer(_ customer: NewCustomer, actor: String, occurredAt: Date? = nil) async throws -> String {
        let context = try CommandContext(actor: actor, occurredAt: occurredAt, now: clock.now())
        let keys = try dedupKeys(name: customer.name, creditCode: customer.creditCode, phone: customer.phone, email: customer.email)

        let customerID = UUID.timeOrdered().uuidString.lowercased()
        let stream = try StreamName(category: "customer", id: customerID)
        var created = CRMCustomerCreated()
        created.customerID = customerID
        created.name = customer.name
        created.creditCode = keys.first { $0.kind == .creditCode }?.value ?? ""
        created.phone = keys.first { $0.kind == .phone }?.value ?? ""
        created.email = keys.first { $0.kind == .email }?.value ?? ""
        (created.region, created.industry, created.size) = (customer.region, customer.industry, customer.size)
        (created.source, created.level, created.tags) = (customer.source, customer.level, customer.tags)
        created.ownerID = customer.ownerID
        let reservations = try keys.map { (key: try UniqueKey($0.uniqueKey), owner: stream) }

        return try await retryingOnConflict("creating the customer") {
            var appends = [StreamAppend(stream: stream, expectedVersion: .noStream, events: [try event(created, context)])]
            if !customer.ownerID.isEmpty {
                let (holdings, version) = try await loadHoldings(of: customer.ownerID)
                try PoolDecisions.requireRoom(holdings, rules: try await poolRules(at: context.occurredAt))
                var entry = CRMRepHoldingChanged()
                (entry.customerID, entry.gained, entry.reason) = (customerID, true, .created)
                appends.append(StreamAppend(stream: try repStream(customer.ownerID), expectedVersion: version, events: [try event(entry, context)]))
            }
            do {
                _ = try await log.append(AppendRequest(appends, reserving: reservations))
                return customerID
            } catch let error as EventStoreError where error.code == .uniqueKeyTaken {
                throw try await duplicate(of: error)
            }
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

    // MARK: - Public pool

    /// The acting rep claims a customer from the public pool.
    ///
    /// - Throws: `DomainError` as ``PoolDecisions/claim(_:by:rules:context:)`` does.
    @discardableResult
    public func claimCustomer(_ customerID: String, actor: String, occurredAt: Date? = nil) async throws -> AppendResult {
        try await changeOwnership(of: customerID, actor: actor, occurredAt: occurredAt) { customer, context in
            let rep = try await loadHoldings(of: actor)
            return (try PoolDecisions.claim(customer, by: rep.0, rules: try await poolRules(at: context.occurredAt), context: context), [actor: rep.1])
        }
    }

    /// Releases a customer to the pool: by its owner, or by a manager (`asManager`, whose
    /// scope the caller has checked).
    @discardableResult
    public func releaseCustomer(
        _ customerID: String,
        actor: String,
        asManager: Bool = false,
        note: String = "",
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await changeOwnership(of: customerID, actor: actor, occurredAt: occurredAt) { customer, context in
            let change = try PoolDecisions.release(customer, by: asManager ? .manager : .owner, note: note, context: context)
            return (change, [:])
        }
    }

    /// Moves a customer to another rep, subject to the receiver's holding cap.
    @discardableResult
    public func transferCustomer(
        _ customerID: String,
        to receiverID: String,
        actor: String,
        note: String = "",
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await changeOwnership(of: customerID, actor: actor, occurredAt: occurredAt) { customer, context in
            let receiver = try await loadHoldings(of: receiverID)
            let rules = try await poolRules(at: context.occurredAt)
            return (try PoolDecisions.transfer(customer, to: receiver.0, rules: rules, note: note), [receiverID: receiver.1])
        }
    }

    /// Loads, decides and appends an ownership change with the rep-stream entries that go
    /// with it, retrying when a stream moved underneath.
    ///
    /// `decide` returns the change and the versions of the rep streams it read; the streams
    /// of other reps the change touches (the previous owner) are appended to with `.any`,
    /// since losing a customer never breaks their limits.
    private func changeOwnership(
        of customerID: String,
        actor: String,
        occurredAt: Date?,
        decide: (CustomerOwnership, CommandContext) async throws -> (CRMCustomerOwnershipChanged, [String: ExpectedVersion])
    ) async throws -> AppendResult {
        try await retryingOnConflict("the ownership change of \(customerID)") {
            let context = try CommandContext(actor: actor, occurredAt: occurredAt, now: clock.now())
            let (customer, version) = try await loadCustomer(customerID)
            let (change, readVersions) = try await decide(customer, context)
            var appends = [StreamAppend(stream: try customerStream(customerID), expectedVersion: version, events: [try event(change, context)])]
            for (rep, gained) in [(change.fromOwnerID, false), (change.toOwnerID, true)] where !rep.isEmpty {
                let entry = RepHoldings.entry(change, gained: gained)
                appends.append(StreamAppend(stream: try repStream(rep), expectedVersion: readVersions[rep] ?? .any, events: [try event(entry, context)]))
            }
            return try await log.append(AppendRequest(appends))
        }
    }

    // MARK: - Follow-ups

    /// Logs a follow-up with a customer; it restarts the customer's idle clock.
    @discardableResult
    public func logFollowUp(_ followUp: CRMFollowUpLogged, actor: String, occurredAt: Date? = nil) async throws -> AppendResult {
        let context = try CommandContext(actor: actor, occurredAt: occurredAt, now: clock.now())
        // A follow-up needs only an existing customer, not its folded state: one index lookup
        // instead of replaying a stream that every follow-up makes longer.
        let stream = try customerStream(followUp.customerID)
        guard try await log.currentVersion(of: stream) != nil else {
            throw DomainError(.customerNotFound, "no customer \(followUp.customerID)", facts: ["customer": followUp.customerID])
        }
        var logged = followUp
        if logged.followUpID.isEmpty { logged.followUpID = UUID.timeOrdered().uuidString.lowercased() }
        // A follow-up conflicts with no other change, so it needs only an existing stream.
        return try await log.append(to: stream, expecting: .exists, [try event(logged, context)])
    }

    // MARK: - Races

    /// Runs `attempt` (load, decide, append with the versions read) until its append does not
    /// conflict: a conflict means another command changed a stream it read, so it decides
    /// again on the new state, and is refused if its decision no longer holds.
    func retryingOnConflict<T>(_ what: String, _ attempt: () async throws -> T) async throws -> T {
        for _ in 0..<Self.maxAttempts {
            do {
                return try await attempt()
            } catch let error as EventStoreError where error.code == .wrongExpectedVersion {
                continue
            }
        }
        throw EventStoreError(.wrongExpectedVersion, "\(what) lost \(Self.maxAttempts) races for the streams it reads; try again")
    }

    // MARK: - Loading

    func loadCustomer(_ customerID: String) async throws -> (CustomerOwnership, ExpectedVersion) {
        var state = CustomerOwnership(customerID: customerID)
        let version = try await replay(try customerStream(customerID)) { message, occurredAt in state.apply(message, occurredAt: occurredAt) }
        return (state, version)
    }

    func loadHoldings(of repID: String) async throws -> (RepHoldings, ExpectedVersion) {
        var holdings = RepHoldings(repID: repID)
        // The rules only lend their business time zone here, which configuration does not change.
        let version = try await replay(try repStream(repID)) { message, occurredAt in
            if let entry = message as? CRMRepHoldingChanged { holdings.apply(entry, occurredAt: occurredAt, rules: .defaults) }
        }
        return (holdings, version)
    }

    /// The pool rules in force at business time `time`: the last `PoolRulesConfigured`
    /// that occurred at or before it, or the defaults.
    func poolRules(at time: Date) async throws -> PoolRules {
        var rules = PoolRules.defaults
        _ = try await replay(try StreamName("settings-pool")) { message, occurredAt in
            if let configured = message as? CRMPoolRulesConfigured, occurredAt <= time { rules = PoolRules(configured) }
        }
        return rules
    }

    /// Decodes a stream's events in order and returns the version to expect when appending.
    func replay(_ stream: StreamName, _ apply: (any SwiftProtobuf.Message, Date) -> Void) async throws -> ExpectedVersion {
        let events = try await log.readStream(stream, from: 0, direction: .forward, limit: .max)
        for recorded in events {
            let message = try catalogue.decode(typeName: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload)
            apply(message, recorded.occurredAt.date)
        }
        return events.last.map { .exact($0.streamVersion) } ?? .noStream
    }

    // MARK: - Settings

    /// Records new pool rules, in force from the command's business time.
    @discardableResult
    public func configurePoolRules(_ rules: CRMPoolRulesConfigured, actor: String, occurredAt: Date? = nil) async throws -> AppendResult {
        let context = try CommandContext(actor: actor, occurredAt: occurredAt, now: clock.now())
        return try await log.append(to: try StreamName("settings-pool"), expecting: .any, [try event(rules, context)])
    }

    // MARK: - Events

    func event(_ message: any SwiftProtobuf.Message, _ context: CommandContext) throws -> EventData {
        let encoded = try catalogue.encode(message)
        return EventData(
            type: encoded.typeName,
            schemaVersion: encoded.schemaVersion,
            payload: encoded.payload,
            metadata: EventMetadata(actor: context.actor, occurredAt: Timestamp(context.occurredAt))
        )
    }

    func customerStream(_ id: String) throws -> StreamName { try StreamName(category: "customer", id: id) }
    func repStream(_ id: String) throws -> StreamName { try StreamName(category: "rep", id: id) }
    func leadStream(_ id: String) throws -> StreamName { try StreamName(category: "lead", id: id) }

    /// The dedup keys of a company: its name always, the others when given.
    func dedupKeys(name: String, creditCode: String, phone: String, email: String) throws -> [DedupKey] {
        var keys = [try DedupKey(.company, normalizing: name)]
        if !creditCode.isEmpty { keys.append(try DedupKey(.creditCode, normalizing: creditCode)) }
        if !phone.isEmpty { keys.append(try DedupKey(.phone, normalizing: phone)) }
        if !email.isEmpty { keys.append(try DedupKey(.email, normalizing: email)) }
        return keys
    }
}
