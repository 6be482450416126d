import ArgumentParser
import CRMReadModels
import EventStore
import Foundation
import Projections

extension Rapport {
    /// Rebuilds read models from the log, or builds them as of a point into another directory.
    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild read models from the log, in parallel, or build them as of a position or time.",
            discussion: """
                The rebuilt read models replace the live ones in one transaction; queries meanwhile \
                see the old ones. With an --as-of option the build goes into --into DIR and the \
                live read models are not touched. Examples:
                  rapport rebuild
                  rapport rebuild funnel receivables
                  rapport rebuild receivables --as-of-occurred 2025-12-31T23:59:59+08:00 --into /tmp/year-end
                With --check nothing live changes: the read models are built from the log into a \
                scratch directory (--into, or one beside the live read models, removed afterwards) \
                up to the live read models' position, and compared with them row by row; the \
                command exits 1 if any differs. Stop rapport serve first: the live read models must \
                not move during the check.
                  rapport rebuild --check
                """
        )

        @OptionGroup var log: LogOptions
        @OptionGroup var readModels: ReadModelOptions

        @Argument(
            help:
                "The read models to rebuild (default: all). Known: \(CRMProjections.all.map { $0.name }.joined(separator: ", "))."
        )
        var names: [String] = []

        @Option(help: "Build as of this log position.")
        var asOfPosition: UInt64?

        @Option(
            help: "Build from what the log had recorded by this ISO 8601 time (what the CRM knew then).",
            transform: parseTime
        )
        var asOfRecorded: Date?

        @Option(
            help: "Build from the events that occurred by this ISO 8601 time (what was true then).",
            transform: parseTime
        )
        var asOfOccurred: Date?

        @Option(help: "Build into this directory instead of the live read models.")
        var into: String?

        @Flag(help: "Compare the live read models with a build from the log, row by row; change nothing.")
        var check = false

        func validate() throws {
            let known = Set(CRMProjections.all.map { $0.name })
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw ValidationError(
                    "no read model is called \"\(unknown)\"; known: \(known.sorted().joined(separator: ", "))"
                )
            }
            if [asOfPosition != nil, asOfRecorded != nil, asOfOccurred != nil].filter({ $0 }).count > 1 {
                throw ValidationError("give at most one of --as-of-position, --as-of-recorded and --as-of-occurred")
            }
            if check, asOf != nil {
                throw ValidationError(
                    "--check builds to the live read models' own position; it takes no --as-of option"
                )
            }
            if asOf != nil, into == nil {
                throw ValidationError("an --as-of build needs --into DIR, so the live read models stay as they are")
            }
            // A check built into the live read models would replace what it is meant to judge.
            if check, let into, Self.sameDirectory(into, readModels.path(beside: log)) {
                throw ValidationError("--check needs --into another directory than the live read models")
            }
        }

        private static func sameDirectory(_ first: String, _ second: String) -> Bool {
            func resolved(_ path: String) -> String {
                URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
            }
            return resolved(first) == resolved(second)
        }

        var asOf: AsOf? {
            if let asOfPosition { return .position(asOfPosition) }
            if let asOfRecorded { return .recordedTime(Timestamp(asOfRecorded)) }
            if let asOfOccurred { return .occurredTime(Timestamp(asOfOccurred)) }
            return nil
        }

        func run() async throws {
            let chosen = CRMProjections.all.filter { names.isEmpty || names.contains($0.name) }
            if check { return try await self.check(chosen) }
            try await reportingErrors {
                let eventLog = try log.openReadOnly()
                let store = try into.map { try readModels.open(directory: $0) } ?? readModels.open(beside: log)
                let progress = ProgressLine(unit: "events")
                let started = ContinuousClock.now
                let reached = try await ProjectionBuilder.build(
                    chosen,
                    log: eventLog,
                    decoder: CRMProjections.decoder,
                    asOf: asOf,
                    into: store,
                    progress: progress.projectionReport
                )
                progress.finish()
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                print(
                    "rebuilt \(chosen.map { $0.name }.joined(separator: ", ")) to position \(reached) "
                        + "in \(String(format: "%.2f", seconds)) s (\(Int(Double(reached) / max(seconds, 0.001))) events/s) into \(store.directory)"
                )
                await eventLog.close()
            }
        }
    }
}

/// Where the read models live.
struct ReadModelOptions: ParsableArguments {
    @Option(
        name: .customLong("read-models"),
        help: "The read models' directory (default: read-models inside the data directory)."
    )
    var directory: String?

    @Option(
        name: .customLong("read-model-cache"),
        help: ArgumentHelp(
            "MiB of read-model rows kept in memory; the rest stay in the store until needed.",
            valueName: "MiB"
        )
    )
    var cacheMegabytes = ReadModelStore.defaultCacheMegabytes

    @Option(
        name: .customLong("build-cache"),
        help: ArgumentHelp(
            "MiB of read-model rows a build from scratch keeps in memory before writing them out.",
            valueName: "MiB"
        )
    )
    var buildCacheMegabytes = ReadModelStore.defaultBuildCacheMegabytes

    func validate() throws {
        let range = ReadModelStore.cacheMegabytesRange
        for (option, value) in [("--read-model-cache", cacheMegabytes), ("--build-cache", buildCacheMegabytes)]
        where !range.contains(value) {
            throw ValidationError("\(option) takes \(range.lowerBound) to \(range.upperBound) MiB, not \(value)")
        }
    }

    /// The directory, `read-models` inside the log's when none was given.
    func path(beside log: LogOptions) -> String {
        directory ?? log.directory + "/read-models"
    }

    func open(beside log: LogOptions) throws -> ReadModelStore {
        try open(directory: path(beside: log))
    }

    /// The store in `directory`, with the cache asked for.
    func open(directory: String) throws -> ReadModelStore {
        try ReadModelStore(
            directory: directory,
            cacheMegabytes: cacheMegabytes,
            buildCacheMegabytes: buildCacheMegabytes
        )
    }
}
