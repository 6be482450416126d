import Benchmark
import CRMDomain
import CRMSchema
import CRMService
import EventStore
import Foundation

/// The latency of one command whose rules read a long stream, through snapshots and without:
/// a claim by a rep whose `user-` stream holds 10 or 1,000 customers, and a payment recorded
/// on a contract whose stream holds 10 or 1,000 events. Beside them, one raw read of such a
/// stream (no decoding, no fold) is the floor a load without snapshots cannot go below.
///
/// The log is written without fsync (`.none`), so the figures are the command's own work:
/// loading, deciding and appending, not the disk's. One iteration is one command.
///
/// Every command lengthens the stream it loads (a claim and its release add two entries to
/// the rep's stream, a payment one event to the contract's). Through snapshots that costs
/// nothing, so those run 2,000 iterations; folding the whole stream, it is the cost measured,
/// so those run 100, and their stream grows by at most 200 events during the run.
func snapshotBenchmarks(metrics: [BenchmarkMetric]) {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 20,
        maxDuration: .seconds(5),
        maxIterations: 2_000
    )
    var whole = configuration
    (whole.warmupIterations, whole.maxIterations) = (5, 100)
    for size in [10, 1_000] {
        for policy in [SnapshotPolicy.default, .disabled] {
            let through = policy.isEnabled ? "with snapshots" : "folding the whole stream"
            let claims = Fixture<ClaimFixture>()
            Benchmark(
                "Snapshots: claim by a rep holding \(size.formatted()) customers, \(through)",
                configuration: policy.isEnabled ? configuration : whole
            ) { benchmark in
                let state = claims.value
                // Release the last claim first, unmeasured, so the rep holds `size` every time.
                let customerID = state.pool[benchmark.currentIteration % state.pool.count]
                benchmark.startMeasurement()
                try await state.crm.claimCustomer(customerID, actor: state.repID)
                benchmark.stopMeasurement()
                try await state.crm.releaseCustomer(customerID, actor: state.repID)
            } setup: {
                claims.set(try await ClaimFixture(holding: size, policy: policy))
            } teardown: {
                await claims.take()?.log.remove()
            }

            let payments = Fixture<ContractFixture>()
            Benchmark(
                "Snapshots: payment on a contract of \(size.formatted()) events, \(through)",
                configuration: policy.isEnabled ? configuration : whole
            ) { benchmark in
                let state = payments.value
                let amount = CRMMoney(minorUnits: 100, currency: "CNY")
                benchmark.startMeasurement()
                _ = try await state.crm.recordPayment(
                    state.contractID,
                    amount: amount,
                    method: .alipay,
                    actor: state.clerk
                )
                benchmark.stopMeasurement()
            } setup: {
                payments.set(try await ContractFixture(events: size, policy: policy))
            } teardown: {
                await payments.take()?.log.remove()
            }
        }

        let reads = Fixture<ClaimFixture>()
        Benchmark(
            "Snapshots: one raw read of a rep's stream holding \(size.formatted()) customers (the floor without snapshots)",
            configuration: configuration
        ) { benchmark in
            let state = reads.value
            let events = try state.log.log.readStream(state.userStream)
            blackHole(events.count)
        } setup: {
            reads.set(try await ClaimFixture(holding: size, policy: .disabled))
        } teardown: {
            await reads.take()?.log.remove()
        }
    }
}

/// A rep holding a number of customers from their creation, and a pool to claim from.
struct ClaimFixture: Sendable {
    let log: TemporaryLog
    let crm: CRMService<LMDBEventLog>
    let repID: String
    let userStream: StreamName
    let pool: [String]

    init(holding count: Int, policy: SnapshotPolicy) async throws {
        log = try TemporaryLog("snapshot-claims", durability: .none)
        crm = CRMService(log: log.log, snapshots: policy)
        repID = try await crm.addUser(
            NewUser(name: "Rep", email: "rep@example.com", role: .salesRep),
            actor: "admin"
        )
        userStream = try StreamName(category: "user", id: repID)
        var rules = CRMPoolRulesConfigured()
        (rules.dailyClaimLimit, rules.holdingCap, rules.previousOwnerCooldownDays) = (1_000_000, 100_000, 0)
        try await crm.configurePoolRules(rules, actor: "admin")
        // Owned from creation: one entry each in the rep's stream, as a claim would add.
        for index in 0..<count {
            var customer = NewCustomer(name: "Held \(index) Co., Ltd.")
            customer.ownerID = repID
            _ = try await crm.createCustomer(customer, actor: "admin")
        }
        var pool: [String] = []
        for index in 0..<200 {
            pool.append(try await crm.createCustomer(NewCustomer(name: "Pool \(index) Co., Ltd."), actor: "admin"))
        }
        self.pool = pool
        // Warm the snapshot: the first load folds the whole stream and offers one.
        try await crm.claimCustomer(pool[0], actor: repID)
        try await crm.releaseCustomer(pool[0], actor: repID)
    }
}

/// A binding contract with a payment plan, and payments until its stream holds a number of
/// events.
struct ContractFixture: Sendable {
    let log: TemporaryLog
    let crm: CRMService<LMDBEventLog>
    let contractID: String
    let clerk: String

    init(events count: Int, policy: SnapshotPolicy) async throws {
        log = try TemporaryLog("snapshot-contracts", durability: .none)
        crm = CRMService(log: log.log, snapshots: policy)
        let rep = try await crm.addUser(NewUser(name: "Rep", email: "rep@example.com", role: .salesRep), actor: "admin")
        clerk = try await crm.addUser(
            NewUser(name: "Clerk", email: "clerk@example.com", role: .finance),
            actor: "admin"
        )
        let price = CRMMoney(minorUnits: 1_000_000, currency: "CNY")
        let product = try await crm.addProduct(
            NewProduct(sku: "seat", name: "Seat", price: price, cost: CRMMoney(minorUnits: 1, currency: "CNY")),
            actor: "admin"
        )
        var customer = NewCustomer(name: "Contract Customer Co., Ltd.")
        customer.ownerID = rep
        let customerID = try await crm.createCustomer(customer, actor: "admin")
        contractID = try await crm.draftContract(
            for: customerID,
            lines: [.init(productID: product, quantity: 10)],
            actor: rep
        )
        try await crm.scheduleInstalments(
            contractID,
            [
                .init(
                    dueAt: .now.addingTimeInterval(30 * 86_400),
                    amount: CRMMoney(minorUnits: 10_000_000, currency: "CNY")
                )
            ],
            actor: rep
        )
        // Drafted and scheduled: two events; a payment adds one (no commission rate is set).
        let amount = CRMMoney(minorUnits: 100, currency: "CNY")
        for _ in 2..<count {
            _ = try await crm.recordPayment(contractID, amount: amount, method: .alipay, actor: clerk)
        }
    }
}
