import Benchmark
import EventStore

/// What `rapport`'s operator commands do to the whole default history (about 1.1 million
/// events, or `RAPPORT_BENCHMARK_HISTORY`): walking the hash chain, as `rapport verify` does,
/// and sealing it into compressed chunks, as `rapport compact` does.
func operatorBenchmarks(metrics: [BenchmarkMetric]) {
    compactionBenchmarks(metrics: metrics)
    Benchmark(
        "Verify the chain of the default history",
        configuration: .init(
            metrics: metrics,
            warmupIterations: 1,
            scalingFactor: .one,
            maxDuration: .seconds(60),
            maxIterations: 5
        )
    ) { benchmark in
        let log = try await GeneratedHistory.shared.log()
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        let verification = try log.verify()
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        precondition(verification.isIntact, "the generated history does not verify: \(verification.problem!)")
        benchmark.measurement(.events, elapsed.rate(of: Int(verification.eventsChecked)))
    }
}
