import Benchmark
import CRMDomain
import CRMSchema
import CRMService
import EventStore
import Synchronization

extension BenchmarkMetric {
    /// Commands refused with a `DomainError` in one iteration (they append nothing).
    static var refused: Self { .custom("Refused (#)", polarity: .prefersSmaller, useScalingFactor: false) }
}

/// Command throughput through CRMService, durably: follow-ups, which only check that the
/// customer exists, and claims and releases, which replay the streams their rules read.
func crmCommandBenchmarks(metrics: [BenchmarkMetric]) {
    let customers = 10_000
    let callers = 64
    let commandsPerIteration = 6_400

    let fixture = Fixture<CommandFixture>()
    Benchmark(
        "Log follow-ups: 64 concurrent callers on 10,000 customers, durable",
        configuration: .init(
            metrics: metrics,
            warmupIterations: 1,
            scalingFactor: .kilo,
            maxDuration: .seconds(20),
            maxIterations: 50
        )
    ) { benchmark in
        let state = fixture.value
        let tickets = Tickets(commandsPerIteration)
        let start = ContinuousClock.now
        try await logFollowUps(tickets, callers: callers, on: state.customerIDs, through: state.crm)
        let elapsed = ContinuousClock.now - start
        benchmark.measurement(.events, elapsed.rate(of: commandsPerIteration))
    } setup: {
        let log = try TemporaryLog("commands", durability: .durable)
        let crm = CRMService(log: log.log)
        let ids = try await createPoolCustomers(customers, callers: callers, through: crm)
        fixture.set(CommandFixture(log: log, crm: crm, customerIDs: ids))
    } teardown: {
        await fixture.take()?.log.remove()
    }
}

/// The log, the service over it, and the customers the setup created.
struct CommandFixture: Sendable {
    let log: TemporaryLog
    let crm: CRMService<LMDBEventLog>
    let customerIDs: [String]
}

/// Logs follow-ups (a call, on a random customer of `customerIDs`) from `callers` concurrent
/// callers, one per ticket, until `tickets` run out.
func logFollowUps(
    _ tickets: Tickets,
    callers: Int,
    on customerIDs: [String],
    through crm: CRMService<LMDBEventLog>
) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for caller in 0..<callers {
            group.addTask {
                while tickets.take() != nil {
                    var followUp = CRMFollowUpLogged()
                    followUp.customerID = customerIDs[Int.random(in: 0..<customerIDs.count)]
                    followUp.channel = .call
                    followUp.note = "discussed the renewal and next quarter's volumes"
                    try await crm.logFollowUp(followUp, actor: "rep-\(caller)")
                }
            }
        }
        try await group.waitForAll()
    }
}

/// Creates `count` pool customers with distinct names (so their dedup keys are reserved),
/// from `callers` concurrent callers so the setup shares commits too.
///
/// - Returns: the customers' ids.
func createPoolCustomers(_ count: Int, callers: Int, through crm: CRMService<LMDBEventLog>) async throws -> [String] {
    try await withThrowingTaskGroup(of: [String].self) { group in
        for caller in 0..<callers {
            group.addTask {
                var mine: [String] = []
                for index in stride(from: caller, to: count, by: callers) {
                    let customer = NewCustomer(name: "Customer \(index) Co., Ltd.")
                    mine.append(try await crm.createCustomer(customer, actor: "admin"))
                }
                return mine
            }
        }
        return try await group.reduce(into: [String]()) { $0 += $1 }
    }
}

// MARK: - Claims and releases

/// Claims and releases from the public pool: each rep claims a random customer and, once it
/// holds one, releases it. A claim replays the customer's stream, the rep's user stream and
/// the pool settings stream; a release replays the customer's stream and the rep's.
///
/// Every successful command adds an entry to the rep's user stream (about 100 per rep per
/// iteration); commands load it through its snapshot, so they fold at most about 50 of them
/// (see `SnapshotBenchmarks.swift` for a claim's latency against the length of the stream).
func crmPoolBenchmarks(metrics: [BenchmarkMetric]) {
    let customers = 10_000
    let reps = 64
    let commandsPerIteration = 6_400

    let fixture = Fixture<PoolFixture>()
    Benchmark(
        "Claim and release: 64 reps on 10,000 pool customers, durable",
        configuration: .init(
            metrics: metrics + [.refused],
            warmupIterations: 1,
            scalingFactor: .kilo,
            maxDuration: .seconds(20),
            maxIterations: 50
        )
    ) { benchmark in
        let state = fixture.value
        // One ticket per command, claim or release, so every iteration runs exactly
        // `commandsPerIteration` of them.
        let tickets = Tickets(commandsPerIteration)
        let start = ContinuousClock.now
        let outcome = try await withThrowingTaskGroup(of: PoolOutcome.self) { group in
            for rep in 0..<reps {
                group.addTask {
                    var outcome = PoolOutcome()
                    let repID = state.repIDs[rep]
                    var held = state.held.customer(of: rep)
                    while tickets.take() != nil {
                        do {
                            if let customerID = held {
                                try await state.crm.releaseCustomer(customerID, actor: repID)
                                held = nil
                            } else {
                                let customerID = state.customerIDs[Int.random(in: 0..<customers)]
                                try await state.crm.claimCustomer(customerID, actor: repID)
                                held = customerID
                            }
                            outcome.succeeded += 1
                        } catch let error as DomainError {
                            outcome.refused[error.code.rawValue, default: 0] += 1
                        }
                    }
                    // A rep still holding a customer releases it in the next iteration.
                    state.held.set(held, for: rep)
                    return outcome
                }
            }
            return try await group.reduce(into: PoolOutcome()) { $0.add($1) }
        }
        let elapsed = ContinuousClock.now - start
        let refused = outcome.refused.values.reduce(0, +)
        precondition(
            outcome.succeeded + refused == commandsPerIteration,
            "ran \(outcome.succeeded + refused) commands of \(commandsPerIteration)"
        )
        // Only the expected race: a claim of a customer another rep holds.
        let expected = DomainError.Code.customerOwnedByOtherRep.rawValue
        precondition(outcome.refused.keys.allSatisfy { $0 == expected }, "refused: \(outcome.refused)")
        benchmark.measurement(.events, elapsed.rate(of: commandsPerIteration))
        benchmark.measurement(.refused, refused)
    } setup: {
        let log = try TemporaryLog("pool", durability: .durable)
        let crm = CRMService(log: log.log)
        var repIDs: [String] = []
        for rep in 0..<reps {
            let user = NewUser(name: "Rep \(rep)", email: "rep\(rep)@example.com", role: .salesRep)
            repIDs.append(try await crm.addUser(user, actor: "admin"))
        }
        // Limits no rep reaches during a run, and no cooldown, so the only refusals are
        // claims of customers that another rep holds at that moment.
        var rules = CRMPoolRulesConfigured()
        rules.dailyClaimLimit = 1_000_000
        rules.holdingCap = 1_000
        rules.previousOwnerCooldownDays = 0
        rules.warningDaysBeforeRelease = 3
        try await crm.configurePoolRules(rules, actor: "admin")
        let ids = try await createPoolCustomers(customers, callers: reps, through: crm)
        fixture.set(PoolFixture(log: log, crm: crm, customerIDs: ids, repIDs: repIDs, held: HeldCustomers(reps: reps)))
    } teardown: {
        await fixture.take()?.log.remove()
    }
}

/// The log, the service, the pool customers and reps the setup created, and what each rep
/// holds between iterations.
struct PoolFixture: Sendable {
    let log: TemporaryLog
    let crm: CRMService<LMDBEventLog>
    let customerIDs: [String]
    let repIDs: [String]
    let held: HeldCustomers
}

/// The customer each rep holds at the end of an iteration, if any.
final class HeldCustomers: Sendable {
    private let customers: Mutex<[String?]>

    init(reps: Int) {
        customers = Mutex(Array(repeating: nil, count: reps))
    }

    func customer(of rep: Int) -> String? {
        customers.withLock { $0[rep] }
    }

    func set(_ customer: String?, for rep: Int) {
        customers.withLock { $0[rep] = customer }
    }
}

/// Commands that succeeded, and refusals by code.
struct PoolOutcome: Sendable {
    var succeeded = 0
    var refused: [String: Int] = [:]

    mutating func add(_ other: PoolOutcome) {
        succeeded += other.succeeded
        refused.merge(other.refused, uniquingKeysWith: +)
    }
}
