import CRMSchema
import CRMService
import EventStore
import Foundation
import RapportTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `rapport serve` as an operator runs it: a real process on a real port, stopped by SIGTERM.
@Suite("rapport serve")
struct ServeCommandTests {
    let directory = TemporaryDirectory("serve-command")

    private func get(_ url: String, token: String? = nil) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: try #require(URL(string: url)))
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("serve answers over HTTP, logs JSON lines, and SIGTERM stops it with exit 0 and a log that verifies")
    func serveAndStop() async throws {
        let log = directory.appending("log")
        let writer = try LMDBEventLog(directory: log)
        for index in 0..<25 { try await writer.append(to: stream("lead-\(index % 4)"), [testEvent("lead.Noted")]) }
        await writer.close()
        let created = try rapport("token", "create", "--service", "auditing", "--role", "auditor", "--data-dir", log)
        #expect(created.status == 0, "\(created.errors)")
        let token = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("rpt_"))
        let port = try freeLocalPort()
        let server = try rapportProcess([
            "serve", "--data-dir", log, "--port", "\(port)", "--no-demo", "--log-format", "json",
        ])
        let output = Pipe()
        server.standardOutput = output
        server.standardError = output
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let transcript = Mutex("")
        let reader = Task.detached {
            while true {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { return }
                transcript.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
        var health: (status: Int, body: String)?
        for _ in 0..<300 where health == nil {
            health = try? await get("http://127.0.0.1:\(port)/health")
            if health == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let answered = try #require(health, "the server did not answer: \(transcript.withLock { $0 })")
        #expect(answered.status == 200)
        #expect(answered.body.contains(#""headPosition":25"#), "\(answered.body)")
        let page = try await get("http://127.0.0.1:\(port)/v1/events?from=20", token: token)
        #expect(page.status == 200)
        #expect(page.body.contains(#""next":26"#), "\(page.body)")
        #expect(try await get("http://127.0.0.1:\(port)/v1/events").status == 401)

        // Revoked beside the running server, the token is refused from the next request on.
        let listed = try rapport("token", "list", "--json", "--data-dir", log)
        let tokens = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        #expect(tokens.count == 1)
        #expect(!listed.output.contains(token), "the list never shows a token itself")
        let id = try #require(tokens.first?["id"] as? String)
        #expect(try rapport("token", "revoke", id, "--data-dir", log).status == 0)
        let unknown = try rapport("token", "revoke", "deadbeef", "--data-dir", log)
        #expect(unknown.status == 2)
        #expect(unknown.errors.contains("token_not_found"))
        #expect(try await get("http://127.0.0.1:\(port)/v1/events", token: token).status == 401)

        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        await reader.value
        #expect(server.terminationReason == .exit)
        #expect(server.terminationStatus == 0, "\(transcript.withLock { $0 })")
        // Every line is a JSON log entry; the refused request is one, with its code and request id.
        let entries = try transcript.withLock { $0 }.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
        #expect(entries.contains { $0["message"] as? String == "listening" })
        let refusal = try #require(
            entries.first { ($0["metadata"] as? [String: Any])?["code"] as? String == "token_revoked" }
        )
        let metadata = try #require(refusal["metadata"] as? [String: String])
        #expect(refusal["level"] as? String == "info")
        #expect(metadata["status"] == "401")
        #expect(metadata["hb.request.id"]?.isEmpty == false)
        let verify = try rapport("verify", "--data-dir", log)
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("25 events"))
    }

    /// Waits until the server at `port` answers its health check with no read model behind.
    private func waitUntilCaughtUp(_ port: Int, _ server: ChildProcess) async throws {
        for _ in 0..<600 {
            if let health = try? await get("http://127.0.0.1:\(port)/health"),
                health.body.contains(#""readModelsBehind":0"#)
            {
                return
            }
            #expect(server.isRunning, "the server exited")
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the server did not catch up")
    }

    @Test("serve killed under load keeps every follow-up it acknowledged, and starts again on the same data")
    func crashUnderLoad() async throws {
        let log = directory.appending("crash")
        let (_, customers, token) = try await logWithRepAndCustomers(at: log, count: 10)
        let port = try freeLocalPort()
        let arguments = ["serve", "--data-dir", log, "--port", "\(port)", "--no-demo", "--log-level", "error"]
        let first = try rapportProcess(arguments)
        try first.run()
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        try await waitUntilCaughtUp(port, first)

        // Eight clients log follow-ups as fast as they are answered, until the server is killed.
        final class Acknowledged: Sendable { let positions = Mutex<[UInt64]>([]) }
        let acknowledged = Acknowledged()
        let targets = customers
        let clients = (0..<8).map { client in
            Task {
                var sent = 0
                while true {
                    let customer = targets[(client + sent) % targets.count]
                    sent += 1
                    var request = URLRequest(
                        url: URL(string: "http://127.0.0.1:\(port)/v1/customers/\(customer)/follow-ups")!
                    )
                    request.httpMethod = "POST"
                    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                    request.httpBody = Data(#"{"channel":"call","note":"crash test"}"#.utf8)
                    guard let (data, response) = try? await URLSession.shared.data(for: request) else { return }
                    guard (response as? HTTPURLResponse)?.statusCode == 201,
                        let answer = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                        let position = (answer["position"] as? NSNumber)?.uint64Value
                    else { continue }
                    acknowledged.positions.withLock { $0.append(position) }
                }
            }
        }
        while acknowledged.positions.withLock({ $0.count }) < 200 { try await Task.sleep(for: .milliseconds(20)) }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        for client in clients { await client.value }

        let positions = acknowledged.positions.withLock { $0 }
        let reader = try LMDBEventLog(directory: log)
        for position in positions {
            let event = try #require(
                try reader.readAll(from: position, limit: 1).first,
                "acknowledged position \(position) is missing"
            )
            #expect(
                event.position == position && event.type == "crm.v1.FollowUpLogged",
                "position \(position): \(event.type)"
            )
        }
        await reader.close()
        let verify = try rapport("verify", "--data-dir", log)
        #expect(verify.status == 0, "\(verify.output)")

        // Started again on the same data, it catches its read models up and takes commands.
        let second = try rapportProcess(arguments)
        try second.run()
        defer { if second.isRunning { kill(second.processIdentifier, SIGKILL) } }
        try await waitUntilCaughtUp(port, second)
        let view = try await get("http://127.0.0.1:\(port)/v1/customers/\(customers[0])", token: token)
        #expect(view.status == 200 && view.body.contains(customers[0]), "\(view.body)")
        kill(second.processIdentifier, SIGTERM)
        second.waitUntilExit()
        #expect(second.terminationReason == .exit && second.terminationStatus == 0)
    }

    @Test("serve refuses a directory that holds something else and a port out of range; token refuses bad arguments")
    func refusals() throws {
        try Data("a spreadsheet".utf8).write(to: URL(fileURLWithPath: directory.appending("customers.csv")))
        let foreign = try rapport("serve", "--data-dir", directory.path, "--port", "0")
        #expect(foreign.status == 2)
        #expect(foreign.errors.contains("not_a_rapport_log"), "\(foreign.errors)")
        let badPort = try rapport("serve", "--port", "70000", "--data-dir", directory.appending("x"))
        #expect(badPort.status == 64)
        let noHolder = try rapport("token", "create", "--data-dir", directory.appending("x"))
        #expect(noHolder.status == 64)
        let noLog = try rapport("token", "revoke", "deadbeef", "--data-dir", directory.appending("y"))
        #expect(noLog.status == 2)
        #expect(noLog.errors.contains("log_not_found"), "\(noLog.errors)")
        #expect(!FileManager.default.fileExists(atPath: directory.appending("y")))
    }
}
