import Benchmark
import CRMSchema
import CRMService
import EventStore

/// Command throughput through CRMService: each command loads the customer's stream,
/// decides, and appends with the version it read, durably.
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
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    while tickets.take() != nil {
                        var followUp = CRMFollowUpLogged()
                        followUp.customerID = state.customerIDs[Int.random(in: 0..<customers)]
                        followUp.channel = .call
                        followUp.note = "discussed the renewal and next quarter's volumes"
                        try await state.crm.logFollowUp(followUp, actor: "rep-\(caller)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        benchmark.measurement(.events, elapsed.rate(of: commandsPerIteration))
    } setup: {
        let log = try TemporaryLog("commands", durability: .durable)
        let crm = CRMService(log: log.log)
        // Created by 64 concurrent callers so the setup shares commits too.
        let ids = try await withThrowingTaskGroup(of: [String].self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var mine: [String] = []
                    for index in stride(from: caller, to: customers, by: callers) {
                        mine.append(try await crm.createCustomer(NewCustomer(name: "Customer \(index) Co., Ltd."), actor: "admin"))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
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
