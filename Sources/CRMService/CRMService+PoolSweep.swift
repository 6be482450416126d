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
    /// Customers' streams read to decide them again: for a sweep over a read model, only
    /// those that moved on since the read model read them.
    public var streamsRead = 0
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

extension PoolSweepReport {
    /// Adds the releases and warnings of an appended batch.
    mutating func record(_ batch: SweepBatch) {
        for decision in batch.decisions {
            switch decision.outcome {
            case .release(let change): released.append(change)
            case .warn(let warning): warned.append(warning)
            case .none: break
            }
        }
    }
}

extension CRMService {
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
        var batch = SweepBatch()
        for (customerID, state) in customers.sorted(by: { $0.key < $1.key }) where !unreadable.contains(customerID) {
            let deals = activity.customers[customerID] ?? CustomerActivity()
            guard PoolDecisions.sweep(state, activity: deals, rules: rules, at: context.occurredAt) != .none else {
                continue
            }
            try await decide(customerID, activity: deals, rules: rules, context: context, into: &batch, &report)
        }
        try await append(batch, rules: rules, context: context, into: &report)
        return report
    }

    /// Releases and warns as ``sweepPool(at:actor:)`` does, deciding only the customers
    /// `candidates` names as idle long enough to be warned under their level's limit in the
    /// rules in force, each as `candidates` knows it.
    ///
    /// Reads no customer's stream: each decision is appended at the stream version the
    /// candidate was read at, and a stream that moved on since (a follow-up during the sweep)
    /// is read and decided again. The candidates' deals' activity should be as recent as the
    /// log's head when the sweep starts (a server waits for its read model to catch up): a
    /// deal's event it has not seen yet does not restart the customer's clock.
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
        var batch = SweepBatch()
        var cursor: String?
        repeat {
            let page = try await candidates.page(idleSince: cutoff, after: cursor, limit: 1_000)
            for candidate in page.candidates {
                report.customersChecked += 1
                let outcome = PoolDecisions.sweep(candidate, rules: rules, at: context.occurredAt)
                guard outcome != .none else { continue }
                guard let version = candidate.streamVersion else {
                    try await sweep(
                        candidate.customerID,
                        activity: candidate.activity,
                        rules: rules,
                        context: context,
                        into: &report
                    )
                    continue
                }
                // Appended at the version the candidate was read at: if the stream has moved on
                // since, the batch is decided again on the streams.
                let decision = SweepBatch.Decision(
                    customerID: candidate.customerID,
                    activity: candidate.activity,
                    version: .exact(version),
                    outcome: outcome
                )
                try await add(decision, to: &batch, rules: rules, context: context, into: &report)
            }
            cursor = page.next
        } while cursor != nil
        try await append(batch, rules: rules, context: context, into: &report)
        return report
    }

    /// Reads one customer's stream, decides it, and adds its release or warning, if any, to
    /// `batch`.
    private func decide(
        _ customerID: String,
        activity: CustomerActivity,
        rules: PoolRules,
        context: CommandContext,
        into batch: inout SweepBatch,
        _ report: inout PoolSweepReport
    ) async throws {
        report.streamsRead += 1
        let (customer, version) = try await loadCustomer(customerID)
        let outcome = PoolDecisions.sweep(customer, activity: activity, rules: rules, at: context.occurredAt)
        guard outcome != .none else { return }
        let decision = SweepBatch.Decision(
            customerID: customerID,
            activity: activity,
            version: version,
            outcome: outcome
        )
        try await add(decision, to: &batch, rules: rules, context: context, into: &report)
    }

    /// Adds a decision to `batch`, and appends the batch once it holds
    /// ``SweepBatch/capacity`` customers.
    private func add(
        _ decision: SweepBatch.Decision,
        to batch: inout SweepBatch,
        rules: PoolRules,
        context: CommandContext,
        into report: inout PoolSweepReport
    ) async throws {
        batch.add(decision)
        guard batch.decisions.count >= SweepBatch.capacity else { return }
        try await append(batch, rules: rules, context: context, into: &report)
        batch = SweepBatch()
    }

    /// Appends a batch's releases and warnings in one durable append; when a customer's stream
    /// moved since it was read (a follow-up, a claim), decides each customer of the batch
    /// again on its own.
    private func append(
        _ batch: SweepBatch,
        rules: PoolRules,
        context: CommandContext,
        into report: inout PoolSweepReport
    ) async throws {
        guard !batch.decisions.isEmpty else { return }
        do {
            _ = try await append(try batch.request(context: context, service: self))
            report.record(batch)
        } catch let error as EventStoreError where error.code == .wrongExpectedVersion {
            for decision in batch.decisions {
                try await sweep(
                    decision.customerID,
                    activity: decision.activity,
                    rules: rules,
                    context: context,
                    into: &report
                )
            }
        }
    }

    /// Decides one customer again on its latest stream and appends its release or warning,
    /// if any, to the log and to `report`; a stream holding an event this build cannot read is
    /// reported and left as it is.
    private func sweep(
        _ customerID: String,
        activity: CustomerActivity,
        rules: PoolRules,
        context: CommandContext,
        into report: inout PoolSweepReport
    ) async throws {
        do {
            try await retryingOnConflict("sweeping customer \(customerID)") {
                report.streamsRead += 1
                let (customer, version) = try await loadCustomer(customerID)
                let outcome = PoolDecisions.sweep(customer, activity: activity, rules: rules, at: context.occurredAt)
                guard outcome != .none else { return }
                var one = SweepBatch()
                one.add(
                    SweepBatch.Decision(customerID: customerID, activity: activity, version: version, outcome: outcome)
                )
                _ = try await append(try one.request(context: context, service: self))
                report.record(one)
            }
        } catch is EventCatalogueError {
            report.unreadable.append(customerID)
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
}

/// Releases and warnings decided on the streams read and not appended yet, so that a sweep
/// writes many customers per durable commit.
struct SweepBatch {
    /// Customers per append: few enough that a stream moving underneath costs one batch's
    /// decisions again, many enough that the commit's flush is shared.
    static let capacity = 100

    /// One customer's decision and the version of its stream it was made on.
    struct Decision {
        var customerID: String
        var activity: CustomerActivity
        var version: ExpectedVersion
        var outcome: PoolDecisions.SweepOutcome
    }

    private(set) var decisions: [Decision] = []

    mutating func add(_ decision: Decision) {
        decisions.append(decision)
    }

    /// One atomic append of every decision: each customer's stream at the version read, and
    /// each losing owner's stream once, with the holdings entries of all its customers
    /// released here in order.
    func request<Log: EventLog>(context: CommandContext, service: CRMService<Log>) throws -> AppendRequest {
        var streams: [StreamAppend] = []
        var ownerStreams: [StreamName: Int] = [:]
        for decision in decisions {
            let appends: [StreamAppend]
            switch decision.outcome {
            case .release(let change):
                appends = try service.ownershipAppend(change, customerVersion: decision.version, context: context)
                    .streams
            case .warn(let warning):
                appends = [
                    StreamAppend(
                        stream: try service.customerStream(decision.customerID),
                        expectedVersion: decision.version,
                        events: [try service.event(warning, context)]
                    )
                ]
            case .none:
                appends = []
            }
            for append in appends {
                // Owners' streams are appended at any version, so one append can carry all of
                // an owner's entries; a log refuses a stream named twice in one append.
                if append.expectedVersion == .any, let index = ownerStreams[append.stream] {
                    streams[index].events += append.events
                } else {
                    if append.expectedVersion == .any { ownerStreams[append.stream] = streams.count }
                    streams.append(append)
                }
            }
        }
        return AppendRequest(streams)
    }
}
