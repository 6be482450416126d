import CRMSchema
import CRMService
import EventStore
import Foundation
import RapportTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
import SwiftProtobuf
#endif

/// Clients retrying keyed commands while `rapport serve` is killed again and again, as a client
/// must retry: every request left unanswered is sent again, with the same `Idempotency-Key`,
/// until it is answered. Each command must be in the log exactly once.
@Suite("Retries across crashes", .timeLimit(.minutes(10)))
struct RetryAcrossCrashTests {
    let directory = TemporaryDirectory("retry-across-crash")

    /// How often the server is killed.
    static let kills = 50
    /// How many clients send commands at once.
    static let clients = 16

    /// What the clients have had answered: each request's note, and the position answered.
    final class Answers: Sendable {
        let positions = Mutex<[String: UInt64]>([:])
        /// Set when the test is done with the clients.
        let stopped = Atomic(false)
        var count: Int { positions.withLock { $0.count } }
    }

    @Test(
        "serve killed 50 times under keyed follow-ups: no retry recorded twice, none acknowledged lost, the chain verifies"
    )
    func killedUnderKeyedRetries() async throws {
        let log = directory.appending("log")
        let (_, customers, token) = try await logWithRepAndCustomers(at: log, count: 8)
        let port = try freeLocalPort()
        let arguments = ["serve", "--data-dir", log, "--port", "\(port)", "--no-demo", "--log-level", "critical"]

        let answers = Answers()
        let targets = customers
        // Each client sends its commands one after another; a command is sent again, with the
        // same key and body, until it is answered.
        let clients = (0..<Self.clients).map { client in
            Task {
                var sent = 0
                while !answers.stopped.load(ordering: .relaxed) {
                    let note = "client-\(client)-command-\(sent)"
                    var request = URLRequest(
                        url: URL(
                            string:
                                "http://127.0.0.1:\(port)/v1/customers/\(targets[(client + sent) % targets.count])/follow-ups"
                        )!
                    )
                    request.httpMethod = "POST"
                    request.timeoutInterval = 30
                    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                    request.setValue(note, forHTTPHeaderField: "Idempotency-Key")
                    request.httpBody = Data(#"{"channel":"call","note":"\#(note)"}"#.utf8)
                    guard let (data, response) = try? await URLSession.shared.data(for: request),
                        (response as? HTTPURLResponse)?.statusCode == 201,
                        let answer = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                        let position = (answer["position"] as? NSNumber)?.uint64Value
                    else {
                        try? await Task.sleep(for: .milliseconds(5))
                        continue
                    }
                    answers.positions.withLock { $0[note] = position }
                    sent += 1
                }
            }
        }

        for _ in 0..<Self.kills {
            let server = try rapportProcess(arguments)
            server.standardOutput = FileHandle.nullDevice
            server.standardError = FileHandle.nullDevice
            try server.run()
            let before = answers.count
            // Killed at a moment the clients do not choose: after some answers, mid-flight.
            let target = before + Int.random(in: 5...40)
            let deadline = ContinuousClock.now + .seconds(60)
            while answers.count < target && server.isRunning && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            #expect(server.isRunning, "the server exited on its own")
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        answers.stopped.store(true, ordering: .relaxed)
        // Not cancelled: cancelling a URLSession request can deadlock FoundationNetworking on
        // Linux. With no server left, each client's next request fails at once and it stops.
        for client in clients { await client.value }

        // Every note in the log exactly once; every answered one at the position answered.
        let reader = try LMDBEventLog(directory: log)
        var logged: [String: [UInt64]] = [:]
        for event in try reader.readType("crm.v1.FollowUpLogged", from: 1) {
            let followUp = try CRMFollowUpLogged(serializedBytes: event.payload)
            logged[followUp.note, default: []].append(event.position)
        }
        await reader.close()
        let acknowledged = answers.positions.withLock { $0 }
        #expect(acknowledged.count > Self.kills * 5, "the clients were answered \(acknowledged.count) times")
        let twice = logged.filter { $0.value.count > 1 }
        #expect(twice.isEmpty, "\(twice.count) recorded more than once, e.g. \(twice.keys.sorted().prefix(5))")
        let lost = acknowledged.filter { logged[$0.key] != [$0.value] }
        #expect(
            lost.isEmpty,
            "\(lost.count) acknowledged but not in the log as answered, e.g. \(lost.keys.sorted().prefix(5))"
        )
        let verify = try rapport("verify", "--data-dir", log)
        #expect(verify.status == 0, "\(verify.output)")
    }
}
