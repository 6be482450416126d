import CRMReadModels
import CRMWorkload
import EventStore
import Foundation
import Projections
import RapportTestSupport
import Synchronization
import Testing

/// `rapport project --follow` killed with SIGKILL in the middle of a batch, while events arrive.
@Suite("Read models survive a killed runner")
struct ProjectionCrashTests {
    let directory = TemporaryDirectory("projection-crash")

    @Test("a runner killed twice in the middle of a batch resumes to read models equal to a rebuild")
    func killedRunnerResumes() async throws {
        // A generated history, replayed into the log the runner follows a few events at a time.
        let source = try openTestLog(TemporaryDirectory("projection-crash-source"))
        var workload = WorkloadOptions()
        (workload.customers, workload.days, workload.seed) = (1_200, 240, 7)
        _ = try await WorkloadGenerator(options: workload, log: source).run()
        let history = try source.readAll()
        try #require(history.count > 12_000)
        let logDirectory = directory.appending("log")
        var options = LMDBEventLog.Options()
        options.durability = .none
        let log = try LMDBEventLog(directory: logDirectory, options: options)
        try await copy(history[0..<4_000], into: log)
        let first = try rapport("project", "--data-dir", logDirectory)
        #expect(first.status == 0, "\(first.errors)")

        var copied = 4_000
        for hangAt in [6_000, 9_000] {
            let follower = try rapportProcess([
                "project", "--follow", "--hang-before-committing", "\(hangAt)", "--data-dir", logDirectory,
            ])
            let output = Pipe()
            follower.standardOutput = output
            follower.standardError = FileHandle.nullDevice
            try follower.run()
            // Events keep arriving until the follower says it hangs: it may have caught up past
            // `hangAt` at start, and then only a later live batch reaches the hook.
            let announcement = Mutex<String?>(nil)
            let reader = Task {
                let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
                announcement.withLock { $0 = line }
            }
            while announcement.withLock({ $0 == nil }) && follower.isRunning && copied + 250 < history.count {
                try await copy(history[copied..<(copied + 250)], into: log)
                copied += 250
                try await Task.sleep(for: .milliseconds(30))
            }
            if announcement.withLock({ $0 == nil }) { kill(follower.processIdentifier, SIGKILL) }
            await reader.value
            let line = announcement.withLock { $0 } ?? ""
            let hungAt = try #require(
                UInt64(line.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""),
                "\(line)"
            )
            // The batch up to `hungAt` is applied in the follower's memory and not committed.
            let store = try ReadModelStore(directory: logDirectory + "/read-models", readOnly: true)
            let committed = try store.statuses().map(\.checkpoint)
            store.close()
            #expect(
                hungAt >= UInt64(hangAt) && committed.allSatisfy { $0 < hungAt },
                "committed \(committed), hung at \(hungAt)"
            )
            kill(follower.processIdentifier, SIGKILL)
            follower.waitUntilExit()
            #expect(follower.terminationReason == .uncaughtSignal)
        }
        try await copy(history[copied...], into: log)
        await log.close()

        let resumed = try rapport("project", "--data-dir", logDirectory)
        #expect(resumed.status == 0, "\(resumed.errors)")
        let rebuiltDirectory = directory.appending("rebuilt")
        let rebuilt = try rapport("rebuild", "--data-dir", logDirectory, "--read-models", rebuiltDirectory)
        #expect(rebuilt.status == 0, "\(rebuilt.errors)")

        let live = try ReadModelStore(directory: logDirectory + "/read-models", readOnly: true)
        let reference = try ReadModelStore(directory: rebuiltDirectory, readOnly: true)
        for projector in CRMProjections.all {
            let rows = try live.contents(of: projector.name)
            #expect(!rows.isEmpty, "\(projector.name)")
            #expect(rows == (try reference.contents(of: projector.name)), "\(projector.name)")
            #expect(try live.status(of: projector.name)?.checkpoint == UInt64(history.count))
        }
    }

    /// Appends `events` to `log` one by one, as they were recorded: same streams, ids, types,
    /// payloads and business times, so the same positions.
    private func copy(_ events: ArraySlice<RecordedEvent>, into log: LMDBEventLog) async throws {
        for event in events {
            let metadata = EventMetadata(
                actor: event.actor,
                correlationID: event.correlationID,
                causationID: event.causationID,
                occurredAt: event.occurredAt
            )
            let data = EventData(
                id: event.id,
                type: event.type,
                schemaVersion: event.schemaVersion,
                contentType: event.contentType,
                payload: event.payload,
                metadata: metadata
            )
            let result = try await log.append(to: event.stream, [data])
            #expect(result.positions == [event.position])
        }
    }

    @Test("rebuild refuses an unknown read model, and an as-of build without a directory of its own")
    func rebuildRefusals() throws {
        let unknown = try rapport("rebuild", "no-such-model", "--data-dir", directory.appending("none"))
        #expect(unknown.status == 64 && unknown.errors.contains("no read model is called \"no-such-model\""))
        let asOf = try rapport("rebuild", "--as-of-position", "10", "--data-dir", directory.appending("none"))
        #expect(asOf.status == 64 && asOf.errors.contains("--into"))
        let missing = try rapport("project", "--data-dir", directory.appending("none"))
        #expect(missing.status == 2)
    }
}
