import Benchmark
import EventStore
import Foundation
import LogArchive

/// What `rapport replay`, `export --format binary` and `import` do to the whole default
/// history (about 1.1 million events, or `RAPPORT_BENCHMARK_HISTORY`), through LogArchive and
/// EventStore directly rather than the CLI. `Events (#/s)` is events rendered, written or
/// imported per second of the measured part.
func archiveBenchmarks(metrics: [BenchmarkMetric]) {
    let configuration = Benchmark.Configuration(
        metrics: metrics,
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(60),
        maxIterations: 5
    )

    Benchmark("Replay the default history as NDJSON lines", configuration: configuration) { benchmark in
        let log = try await GeneratedHistory.shared.log()
        // `rapport replay` writes to standard output in 64 KiB pieces; here they go to
        // /dev/null, so the figure is the rendering and the writes' system calls, no disk.
        guard let sink = FileHandle(forWritingAtPath: "/dev/null") else { preconditionFailure("no /dev/null") }
        let line = EventLine()
        var output: [UInt8] = []
        output.reserveCapacity(1 << 16 + 4_096)
        var events = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        try log.scan(from: 1) { record in
            line.render(record, withStoredBytes: false, into: &output)
            output.append(UInt8(ascii: "\n"))
            events += 1
            if output.count >= 1 << 16 {
                try sink.write(contentsOf: output)
                output.removeAll(keepingCapacity: true)
            }
            return true
        }
        try sink.write(contentsOf: output)
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        try sink.close()
        let head = try log.head().position
        precondition(events == Int(head), "replayed \(events) events of \(head)")
        benchmark.measurement(.events, elapsed.rate(of: events))
    }

    let exportFiles = Fixture<ArchiveFiles>()
    Benchmark("Export the default history as binary frames, zstd", configuration: configuration) { benchmark in
        let log = try await GeneratedHistory.shared.log()
        let path = exportFiles.value.path("export-\(benchmark.currentIteration).rpx.zst")
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        // Level 3 is `rapport export`'s default.
        let summary = try LogExporter(format: .binary).export(log, to: ExportSink(path: path, compressionLevel: 3))
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        try FileManager.default.removeItem(atPath: path)
        let head = try log.head().position
        precondition(summary.through == head, "exported through \(summary.through) of \(head)")
        benchmark.measurement(.events, elapsed.rate(of: Int(summary.events)))
    } setup: {
        exportFiles.set(try ArchiveFiles("export"))
    } teardown: {
        exportFiles.take()?.remove()
    }

    // One iteration imports the whole history (several seconds), so fewer of them.
    let importConfiguration = Benchmark.Configuration(
        metrics: metrics,
        warmupIterations: 0,
        scalingFactor: .one,
        maxDuration: .seconds(120),
        maxIterations: 3
    )
    let importFiles = Fixture<ArchiveFiles>()
    Benchmark("Import a binary export of the default history into an empty log", configuration: importConfiguration) {
        benchmark in
        let files = importFiles.value
        let history = try await GeneratedHistory.shared.log()
        let directory = files.path("log-\(benchmark.currentIteration)")
        // As `rapport import` opens its target: relaxed commits, the last one synced.
        var options = LMDBEventLog.Options()
        options.durability = .relaxed
        let log = try LMDBEventLog(directory: directory, options: options)
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        var reader = try ImportReader(path: files.path(ArchiveFiles.exportName))
        var importer = try LogImporter(log: log)
        while let items = try reader.next() {
            for item in items { try await importer.take(item) }
        }
        try await importer.finish()
        try log.sync()
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        let historyHead = try history.head()
        precondition(importer.head == historyHead, "the imported log's head differs from the history's")
        await log.close()
        try FileManager.default.removeItem(atPath: directory)
        benchmark.measurement(.events, elapsed.rate(of: importer.imported))
    } setup: {
        let files = try ArchiveFiles("import")
        let history = try await GeneratedHistory.shared.log()
        let sink = try ExportSink(path: files.path(ArchiveFiles.exportName), compressionLevel: 3)
        _ = try LogExporter(format: .binary).export(history, to: sink)
        importFiles.set(files)
    } teardown: {
        importFiles.take()?.remove()
    }
}

/// A directory of its own for export files and imported logs, deleted when the benchmark is
/// done; under `RAPPORT_BENCHMARK_DIR` when set, like ``TemporaryLog``.
final class ArchiveFiles: Sendable {
    /// The export an import benchmark reads.
    static let exportName = "history.rpx.zst"

    let directory: String

    init(_ name: String) throws {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["RAPPORT_BENCHMARK_DIR"] ?? FileManager.default.temporaryDirectory.path
        directory = "\(base)/rapport-archive-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { "\(directory)/\(name)" }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
