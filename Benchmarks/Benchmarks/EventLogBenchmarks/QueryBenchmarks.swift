import Benchmark
import CRMReadModels
import Foundation
import Projections

/// Reading the read models built over the default generated history: one customer's 360 view,
/// a random customer per iteration, and a quarter's funnel for all reps. One query per
/// iteration, so the wall-clock percentiles are the query's own.
///
/// The read models are built once per run of the benchmarks (about a minute), or opened from
/// `RAPPORT_BENCHMARK_READ_MODELS` when that names a read-model directory already brought up
/// to date over the same history (`rapport project --data-dir DIR` makes `DIR/read-models`).
func queryBenchmarks(metrics: [BenchmarkMetric]) {
    Benchmark(
        "Customer 360 view of a random customer",
        configuration: .init(metrics: metrics, warmupIterations: 100, maxDuration: .seconds(10), maxIterations: 20_000)
    ) { benchmark in
        let built = try await BuiltReadModels.shared.value()
        let customerID = built.customerIDs[benchmark.currentIteration % built.customerIDs.count]
        benchmark.startMeasurement()
        let view = try built.customers.view(customerID: customerID)
        benchmark.stopMeasurement()
        blackHole(view)
    }
    Benchmark(
        "Funnel of a quarter, all reps",
        configuration: .init(metrics: metrics, warmupIterations: 10, maxDuration: .seconds(10), maxIterations: 2_000)
    ) { benchmark in
        let built = try await BuiltReadModels.shared.value()
        benchmark.startMeasurement()
        let report = try built.funnel.funnel(period: "2025-Q4")
        benchmark.stopMeasurement()
        blackHole(report)
    }
}

/// The read models of the default history, built once per process.
actor BuiltReadModels {
    static let shared = BuiltReadModels()

    struct Queries: Sendable {
        let customers: Customer360Queries
        let funnel: FunnelQueries
        /// Every customer with a 360 view, shuffled so that iterations don't read in key order.
        let customerIDs: [String]
    }

    private var built: Queries?
    private var temporary: TemporaryReadModels?

    func value() async throws -> Queries {
        if let built { return built }
        let store: ReadModelStore
        if let directory = ProcessInfo.processInfo.environment["RAPPORT_BENCHMARK_READ_MODELS"] {
            store = try ReadModelStore(directory: directory, readOnly: true)
        } else {
            let log = try await GeneratedHistory.shared.log()
            let fresh = try TemporaryReadModels("queries")
            _ = try await ProjectionBuilder.build(
                [Customer360Projector.self, FunnelProjector.self],
                log: log,
                decoder: CRMProjections.decoder,
                into: fresh.store
            )
            temporary = fresh
            store = fresh.store
        }
        var generator = SystemRandomNumberGenerator()
        let customerIDs = try store.contents(of: Customer360Projector.name)
            .filter { $0.table == "customers" }
            .map(\.key)
            .shuffled(using: &generator)
        precondition(!customerIDs.isEmpty, "no customer 360 views in the read models")
        let queries = Queries(
            customers: Customer360Queries(store: store),
            funnel: FunnelQueries(store: store),
            customerIDs: customerIDs
        )
        built = queries
        return queries
    }
}
