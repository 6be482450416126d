import Benchmark
import EventStore
import Foundation

extension BenchmarkMetric {
    /// Sealed bytes as a percentage of the records' bytes before sealing.
    static var sealedPercent: Self {
        .custom("Sealed size (% of records)", polarity: .prefersSmaller, useScalingFactor: false)
    }
    /// Bytes per event after sealing.
    static var sealedBytesPerEvent: Self {
        .custom("Sealed bytes per event", polarity: .prefersSmaller, useScalingFactor: false)
    }
}

/// `rapport compact` on a copy of the default history: sealing all but the last 65,536
/// events (the default hot tail), and then reading the sealed log back — walking its chain
/// and its manifests as `rapport verify` does, and scanning it as a replay or a rebuild does.
func compactionBenchmarks(metrics: [BenchmarkMetric]) {
    let configuration = Benchmark.Configuration(
        metrics: metrics + [.sealedPercent, .sealedBytesPerEvent],
        warmupIterations: 0,
        scalingFactor: .one,
        maxDuration: .seconds(120),
        maxIterations: 3
    )
    Benchmark("Compact the default history", configuration: configuration) { benchmark in
        let copy = try await HistoryCopy.make()
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        let manifest = try copy.log.compact()
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        guard let sealed = manifest else { preconditionFailure("the default history left nothing to seal") }
        benchmark.measurement(.events, elapsed.rate(of: Int(sealed.events)))
        benchmark.measurement(.sealedPercent, Int((sealed.ratio * 100).rounded()))
        benchmark.measurement(.sealedBytesPerEvent, Int(sealed.sealedBytes / sealed.events))
        await copy.remove()
    }

    let verified = Fixture<HistoryCopy>()
    Benchmark("Verify the chain of the compacted default history", configuration: configuration) { benchmark in
        let log = verified.value.log
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        let verification = try log.verify()
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        precondition(verification.isIntact, "the compacted history does not verify: \(verification.problem!)")
        benchmark.measurement(.events, elapsed.rate(of: Int(verification.eventsChecked)))
    } setup: {
        verified.set(try await HistoryCopy.makeCompacted())
    } teardown: {
        await verified.take()?.remove()
    }

    let scanned = Fixture<HistoryCopy>()
    Benchmark("Scan the compacted default history", configuration: configuration) { benchmark in
        let log = scanned.value.log
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        var count = 0
        var payloadBytes = 0
        try log.scan { record in
            count += 1
            payloadBytes &+= record.payload.count
            return true
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        blackHole(payloadBytes)
        benchmark.measurement(.events, elapsed.rate(of: count))
    } setup: {
        scanned.set(try await HistoryCopy.makeCompacted())
    } teardown: {
        await scanned.take()?.remove()
    }
}

/// A writable copy of the default history's file in a directory of its own.
final class HistoryCopy: Sendable {
    let directory: String
    let log: LMDBEventLog

    private init(directory: String, log: LMDBEventLog) {
        self.directory = directory
        self.log = log
    }

    static func make() async throws -> HistoryCopy {
        let source = try await GeneratedHistory.shared.directory()
        let environment = ProcessInfo.processInfo.environment
        let base = environment["RAPPORT_BENCHMARK_DIR"] ?? FileManager.default.temporaryDirectory.path
        let directory = "\(base)/rapport-benchmark-history-copy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source + "/data.mdb", toPath: directory + "/data.mdb")
        var options = LMDBEventLog.Options()
        options.durability = .relaxed
        return HistoryCopy(directory: directory, log: try LMDBEventLog(directory: directory, options: options))
    }

    /// A copy compacted with the defaults and its space reclaimed, opened read-only.
    static func makeCompacted() async throws -> HistoryCopy {
        let copy = try await make()
        _ = try copy.log.compact()
        await copy.log.close()
        _ = try LMDBEventLog.reclaimSpace(in: copy.directory)
        var options = LMDBEventLog.Options()
        options.readOnly = true
        return HistoryCopy(
            directory: copy.directory,
            log: try LMDBEventLog(directory: copy.directory, options: options)
        )
    }

    func remove() async {
        await log.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
