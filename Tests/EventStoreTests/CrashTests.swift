import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("Crashes")
struct CrashTests {
    @Test("a writer killed with SIGKILL mid-append loses no acknowledged event, and the chain verifies")
    func sigkillDuringAppends() async throws {
        let directory = TemporaryDirectory("crash")
        let executable = try #require(
            builtExecutable(named: "EventStoreCrashChild"),
            "the crash child is built with the tests"
        )
        for round in 0..<3 {
            let acknowledged = try await runAndKill(executable, directory: directory.path, after: 2_000 + round * 1_000)
            #expect(acknowledged.count >= 2_000)

            let log = try openTestLog(directory, durability: .durable)
            let verification = try log.verify()
            #expect(
                verification.isIntact,
                "chain broken after crash \(round): \(String(describing: verification.problem))"
            )
            let stored = try log.readAll()
            #expect(stored.map(\.position) == Array(1...UInt64(stored.count)), "positions stay gapless")
            let idsByPosition = Dictionary(uniqueKeysWithValues: stored.map { ($0.position, $0.id.uuidString) })
            let lost = acknowledged.filter { idsByPosition[$0.position] != $0.id }
            #expect(lost.isEmpty, "\(lost.count) acknowledged events lost, first \(String(describing: lost.first))")
            await log.close()
        }
    }

    @Test("a read-only process beside a live writer process sees a growing, verified, gapless log")
    func readerBesideWriterProcess() async throws {
        let directory = TemporaryDirectory("beside")
        let executable = try #require(builtExecutable(named: "EventStoreCrashChild"))
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [directory.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        _ = output.fileHandleForReading.availableData  // "ready": the log exists
        // Keep draining the child's acknowledgements, or it blocks on a full pipe.
        let drain = Thread { _ = output.fileHandleForReading.readDataToEndOfFile() }
        drain.start()
        let reader = try openReadOnlyLog(directory)
        var previousHead: UInt64 = 0
        var sawGrowth = false
        for _ in 0..<10 {
            try await Task.sleep(for: .milliseconds(30))
            let verification = try reader.verify()
            #expect(verification.isIntact)
            let head = verification.verifiedHead.position
            #expect(head >= previousHead)
            sawGrowth = sawGrowth || head > previousHead
            previousHead = head
        }
        #expect(sawGrowth, "the reader saw the writer's commits")
        var positions: [UInt64] = []
        for try await event in try reader.subscribe(from: .position(previousHead)) {
            positions.append(event.position)
            if positions.count == 500 { break }
        }
        #expect(positions == Array(previousHead..<previousHead + 500))
        await reader.close()
    }

    /// Starts the child, waits for `count` acknowledged events, kills it, and returns every
    /// acknowledgement it wrote before dying.
    private func runAndKill(
        _ executable: String,
        directory: String,
        after count: Int
    ) async throws -> [(position: UInt64, id: String)] {
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [directory]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var received = Data()
        var lines = 0
        let reader = output.fileHandleForReading
        while lines < count + 1 {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
            lines += chunk.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
        kill(process.processIdentifier, SIGKILL)
        received.append(reader.readDataToEndOfFile())
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        return String(decoding: received, as: UTF8.self)
            .split(separator: "\n")
            .dropFirst()  // "ready"
            .compactMap { line in
                let parts = line.split(separator: " ")
                guard parts.count == 2, let position = UInt64(parts[0]) else { return nil }
                return (position, String(parts[1]))
            }
    }
}
