import Benchmark
import CRMReadModels
import CRMSchema
import CRMService
import CRMWorkload
import EventStore
import Foundation
import Projections
import Synchronization

/// Rebuilding the CRM's read models from the default generated history (about 1.1 million
/// events): all of them together, as `rapport rebuild` does (one decode of the log, projectors
/// in parallel), and each one alone. `Events (#/s)` is log positions gone through per second,
/// including writing the built rows into a fresh read-model store.
///
/// The history is generated once per run of the benchmarks (about 20 s), or read from
/// `RAPPORT_BENCHMARK_HISTORY` when that names a directory holding one (`rapport demo
/// --data-dir DIR` makes it).
func projectionBenchmarks(metrics: [BenchmarkMetric]) {
    let configuration = Benchmark.Configuration(
        metrics: metrics,
        warmupIterations: 0,
        scalingFactor: .one,
        maxDuration: .seconds(120),
        maxIterations: 3
    )
    Benchmark("Rebuild all read models over the default history", configuration: configuration) { benchmark in
        try await rebuild(CRMProjections.all, benchmark: benchmark)
    }
    for projector in CRMProjections.all {
        Benchmark("Rebuild \(projector.name) alone over the default history", configuration: configuration) {
            benchmark in
            try await rebuild([projector], benchmark: benchmark)
        }
    }
}

private func rebuild(_ projectors: [any CRMProjector.Type], benchmark: Benchmark) async throws {
    let log = try await GeneratedHistory.shared.log()
    let store = try TemporaryReadModels("rebuild")
    benchmark.startMeasurement()
    let start = ContinuousClock.now
    let reached = try await ProjectionBuilder.build(
        projectors,
        log: log,
        decoder: CRMProjections.decoder,
        into: store.store
    )
    let elapsed = ContinuousClock.now - start
    benchmark.stopMeasurement()
    benchmark.measurement(.events, elapsed.rate(of: Int(reached)))
    store.remove()
}

/// The default generated history, made once per process.
actor GeneratedHistory {
    static let shared = GeneratedHistory()
    private var opened: LMDBEventLog?
    private var temporary: TemporaryLog?

    func log() async throws -> LMDBEventLog {
        if let opened { return opened }
        if let directory = ProcessInfo.processInfo.environment["RAPPORT_BENCHMARK_HISTORY"] {
            var options = LMDBEventLog.Options()
            options.readOnly = true
            let log = try LMDBEventLog(directory: directory, options: options)
            opened = log
            return log
        }
        let target = try TemporaryLog("history", durability: .none, groupCommitWindow: .zero)
        _ = try await WorkloadGenerator(options: WorkloadOptions(), log: target.log).run()
        try target.log.sync()
        temporary = target
        opened = target.log
        return target.log
    }

    /// The history's directory, for benchmarks that work on a copy of its file.
    func directory() async throws -> String {
        try await log().directory
    }
}

/// A read-model store in a fresh directory of its own, deleted when the benchmark is done.
struct TemporaryReadModels {
    let directory: String
    let store: ReadModelStore

    init(_ name: String) throws {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["RAPPORT_BENCHMARK_DIR"] ?? FileManager.default.temporaryDirectory.path
        directory = "\(base)/rapport-read-models-\(name)-\(UUID().uuidString)"
        store = try ReadModelStore(directory: directory)
    }

    func remove() {
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

// MARK: - Live lag

extension BenchmarkMetric {
    /// The 99th percentile, over one iteration, of how long a committed position waited until
    /// every live read model had applied it.
    static var lagP99: Self { .custom("Live lag p99 (ms)", polarity: .prefersSmaller, useScalingFactor: false) }
    /// The longest such wait in one iteration.
    static var lagMax: Self { .custom("Live lag max (ms)", polarity: .prefersSmaller, useScalingFactor: false) }
}

/// How far the live read models trail the log while 64 callers log follow-ups durably: every
/// 2 ms a sampler notes the head; a position's lag is the time until the runner's checkpoint
/// reached it.
func liveProjectionBenchmarks(metrics: [BenchmarkMetric]) {
    let customers = 10_000
    let callers = 64
    let commandsPerIteration = 6_400
    let fixture = Fixture<LiveFixture>()
    Benchmark(
        "Live read models' lag while 64 callers log follow-ups, durable",
        configuration: .init(
            metrics: metrics + [.lagP99, .lagMax],
            warmupIterations: 1,
            scalingFactor: .kilo,
            maxDuration: .seconds(30),
            maxIterations: 20
        )
    ) { benchmark in
        let state = fixture.value
        let tickets = Tickets(commandsPerIteration)
        let samples = Mutex<[LagSample]>([])
        let sampling = Task {
            while !Task.isCancelled {
                let sample = LagSample(
                    at: .now,
                    head: try state.log.log.head().position,
                    applied: await state.runner.checkpoint
                )
                samples.withLock { $0.append(sample) }
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        let start = ContinuousClock.now
        try await logFollowUps(tickets, callers: callers, on: state.customerIDs, through: state.crm)
        let elapsed = ContinuousClock.now - start
        let head = try state.log.log.head().position
        while await state.runner.checkpoint < head { try await Task.sleep(for: .milliseconds(1)) }
        sampling.cancel()
        _ = await sampling.result
        let lags = LagSample.lags(samples.withLock { $0 })
        benchmark.measurement(.events, elapsed.rate(of: commandsPerIteration))
        benchmark.measurement(.lagP99, lags.isEmpty ? 0 : lags[lags.count * 99 / 100])
        benchmark.measurement(.lagMax, lags.last ?? 0)
    } setup: {
        let log = try TemporaryLog("live-projections", durability: .durable)
        let crm = CRMService(log: log.log)
        let ids = try await createPoolCustomers(customers, callers: callers, through: crm)
        let store = try TemporaryReadModels("live")
        let runner = ProjectionRunner(
            log: log.log,
            store: store.store,
            decoder: CRMProjections.decoder,
            projectors: CRMProjections.all
        )
        try await runner.start()
        let following = Task { try await runner.run() }
        fixture.set(
            LiveFixture(log: log, crm: crm, customerIDs: ids, store: store, runner: runner, following: following)
        )
    } teardown: {
        guard let state = fixture.take() else { return }
        state.following.cancel()
        _ = await state.following.result
        state.store.remove()
        await state.log.remove()
    }
}

struct LiveFixture: Sendable {
    let log: TemporaryLog
    let crm: CRMService<LMDBEventLog>
    let customerIDs: [String]
    let store: TemporaryReadModels
    let runner: CRMProjectionRunner
    let following: Task<Void, any Error>
}

/// The head and the runner's checkpoint at one moment.
struct LagSample {
    let at: ContinuousClock.Instant
    let head: UInt64
    let applied: UInt64

    /// For each sample, milliseconds until a later sample shows the runner at or past its head;
    /// sorted.
    static func lags(_ samples: [LagSample]) -> [Int] {
        var lags: [Int] = []
        var later = 0
        for sample in samples {
            while later < samples.count, samples[later].applied < sample.head { later += 1 }
            guard later < samples.count else { break }
            lags.append(Int(((samples[later].at - sample.at) / .milliseconds(1)).rounded(.up)))
        }
        return lags.sorted()
    }
}
