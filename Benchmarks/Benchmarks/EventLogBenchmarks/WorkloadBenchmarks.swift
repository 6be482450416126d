import Benchmark
import CRMWorkload
import EventStore

/// The workload generator laying out its default history (about 50,000 customers, 40 reps in
/// 5 teams, two years, over a million events) into a new log, as `rapport demo` does: appends
/// without fsync and no group-commit wait, one sync at the end. Measured: the whole run,
/// deciding and appending, plus the final sync.
func workloadBenchmarks(metrics: [BenchmarkMetric]) {
    Benchmark(
        "Generate the default CRM history: 50,000 customers, 40 reps, 2 years",
        configuration: .init(
            metrics: metrics,
            warmupIterations: 0,
            scalingFactor: .one,
            maxDuration: .seconds(200),
            maxIterations: 3
        )
    ) { benchmark in
        let target = try TemporaryLog(
            "workload-\(benchmark.currentIteration)",
            durability: .none,
            groupCommitWindow: .zero
        )
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        let summary = try await WorkloadGenerator(options: WorkloadOptions(), log: target.log).run()
        try target.log.sync()
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        benchmark.measurement(.events, elapsed.rate(of: summary.events))
        await target.remove()
    }
}
