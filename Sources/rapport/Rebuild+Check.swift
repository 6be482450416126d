import ArgumentParser
import CRMReadModels
import EventStore
import Foundation
import Projections

extension Rapport.Rebuild {
    /// `rebuild --check`: builds the chosen read models from the log into a scratch directory,
    /// up to the live read models' checkpoint, and compares them row by row with the live
    /// ones, which stay as they are. Exits 1 naming the first differing row of each read model
    /// that differs, and 2 when the check could not be made.
    func check(_ chosen: [any CRMProjector.Type]) async throws {
        try await reportingErrors {
            let livePath = readModels.path(beside: log)
            guard FileManager.default.fileExists(atPath: livePath + "/data.mdb") else {
                throw ProjectionError(
                    .notComparable,
                    "there are no read models in \(livePath) to check; build them with rapport rebuild"
                )
            }
            let live = try ReadModelStore(directory: livePath, readOnly: true)
            defer { live.close() }
            let checkpoint = try Self.commonCheckpoint(of: chosen, in: live)
            Self.removeAbandonedScratch(beside: livePath)
            let scratchPath = into ?? livePath + ".check-\(ProcessInfo.processInfo.processIdentifier)"
            defer { if into == nil { try? FileManager.default.removeItem(atPath: scratchPath) } }
            let eventLog = try log.openReadOnly()
            let scratch = try readModels.open(directory: scratchPath)
            defer { scratch.close() }
            let progress = ProgressLine(unit: "events")
            do {
                try await ProjectionBuilder.build(
                    chosen,
                    log: eventLog,
                    decoder: CRMProjections.decoder,
                    asOf: .position(checkpoint),
                    into: scratch,
                    progress: progress.projectionReport
                )
                await eventLog.close()
            } catch {
                await eventLog.close()
                throw error
            }
            progress.finish()
            var differing = 0
            for projector in chosen {
                let comparison = try live.compare(projector.name, with: scratch)
                if let difference = comparison.firstDifference {
                    differing += 1
                    print("\(projector.name): DIFFERS after \(comparison.rowsCompared) equal rows: \(difference)")
                } else {
                    print("\(projector.name): \(comparison.rowsCompared) rows, identical")
                }
            }
            // Each read model is compared in one read transaction; a runner that moved the live
            // read models on meanwhile (a server started during the check) voids the comparison.
            let after = try Self.commonCheckpoint(of: chosen, in: live)
            guard after == checkpoint else {
                throw ProjectionError(
                    .inUse,
                    "the live read models moved from position \(checkpoint) to \(after) during the check; stop rapport serve and check again"
                )
            }
            guard differing == 0 else {
                print(
                    "FAILED: \(differing) of \(chosen.count) read models differ from a rebuild to position \(checkpoint)"
                )
                throw ExitCode(1)
            }
            print("ok: \(chosen.count) read models at position \(checkpoint) are identical to a rebuild from the log")
        }
    }

    /// The checkpoint every read model of `chosen` stands at in `store`.
    ///
    /// - Throws: ``ProjectionError`` when one was never built, was built as of a point or by
    ///   another projector version, or when they stand at different positions.
    private static func commonCheckpoint(
        of chosen: [any CRMProjector.Type],
        in store: ReadModelStore
    ) throws -> UInt64 {
        let statuses = Dictionary(try store.statuses().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var checkpoints: Set<UInt64> = []
        for projector in chosen {
            guard let status = statuses[projector.name] else {
                throw ProjectionError(
                    .notComparable,
                    "\(projector.name) was never built in \(store.directory); nothing to check"
                )
            }
            guard status.asOf == nil, status.version == projector.version else {
                throw ProjectionError(
                    .notComparable,
                    "\(projector.name) in \(store.directory) was built as of a point or by another version; rebuild it first"
                )
            }
            checkpoints.insert(status.checkpoint)
        }
        guard checkpoints.count <= 1 else {
            throw ProjectionError(
                .notComparable,
                "the read models stand at different positions (\(checkpoints.sorted().map(String.init).joined(separator: ", "))); run rapport project first"
            )
        }
        return checkpoints.first ?? 0
    }

    /// Removes the scratch directories (`<read models>.check-PID`) of earlier checks whose
    /// process is gone: a check killed before its own clean-up leaves a whole build behind,
    /// as large as the read models. A running check's directory is left alone.
    static func removeAbandonedScratch(beside livePath: String) {
        let live = URL(fileURLWithPath: livePath).standardizedFileURL
        let parent = live.deletingLastPathComponent().path
        let prefix = live.lastPathComponent + ".check-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid > 0, kill(pid, 0) != 0, errno == ESRCH else {
                continue
            }
            try? FileManager.default.removeItem(atPath: parent + "/" + name)
        }
    }
}
