import EventStore
import Foundation
import RapportTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `rapport token` as an operator runs it: lifetimes, rotation, the migration role; and the
/// loopback metrics port of `rapport serve`.
@Suite("rapport token")
struct TokenCommandTests {
    let directory = TemporaryDirectory("token-command")

    private func emptyLog() async throws -> String {
        let path = directory.appending("log")
        let writer = try LMDBEventLog(directory: path)
        try await writer.append(to: stream("lead-1"), [testEvent("lead.Noted")])
        await writer.close()
        return path
    }

    private func list(_ log: String) throws -> [[String: Any]] {
        let listed = try rapport("token", "list", "--json", "--data-dir", log)
        #expect(listed.status == 0, "\(listed.errors)")
        return try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
    }

    private func date(_ value: Any?) throws -> Date {
        try #require(try Date((value as? String) ?? "", strategy: .iso8601))
    }

    @Test("create --expires sets the lifetime (90 days by default), list shows it, rotate replaces the token")
    func lifetimesAndRotation() async throws {
        let log = try await emptyLog()
        let made = try rapport(
            "token",
            "create",
            "--service",
            "legacy-crm",
            "--role",
            "migration",
            "--expires",
            "7",
            "--data-dir",
            log
        )
        #expect(made.status == 0, "\(made.errors)")
        #expect(made.errors.contains("expires"))
        #expect(try rapport("token", "create", "--service", "billing", "--data-dir", log).status == 0)
        #expect(try rapport("token", "create", "--service", "x", "--expires", "0", "--data-dir", log).status != 0)
        #expect(try rapport("token", "create", "--service", "x", "--role", "admin", "--data-dir", log).status != 0)

        var tokens = try list(log)
        #expect(tokens.count == 2)
        let migration = try #require(
            tokens.first { ($0["name"] as? String) == "" && "\($0["holder"] ?? "")".contains("migration") }
        )
        let lifetime = try date(migration["expiresAt"]).timeIntervalSince(try date(migration["createdAt"]))
        #expect(abs(lifetime - 7 * 86_400) < 2, "\(migration)")
        let billing = try #require(tokens.first { "\($0["holder"] ?? "")".contains("billing") })
        #expect(abs(try date(billing["expiresAt"]).timeIntervalSince(try date(billing["createdAt"])) - 90 * 86_400) < 2)
        let plain = try rapport("token", "list", "--data-dir", log)
        #expect(plain.output.contains("active, expires"), "\(plain.output)")

        let id = try #require(migration["id"] as? String)
        let rotated = try rapport("token", "rotate", id, "--grace", "600", "--data-dir", log)
        #expect(rotated.status == 0, "\(rotated.errors)")
        #expect(rotated.output.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("rpt_"))
        #expect(
            rotated.errors.contains("replaces \(id)") && rotated.errors.contains("valid until"),
            "\(rotated.errors)"
        )
        tokens = try list(log)
        #expect(tokens.count == 3)
        let successor = try #require(tokens.first { $0["rotatedFrom"] as? String == id })
        let old = try #require(tokens.first { $0["id"] as? String == id })
        #expect(old["revokedAt"] == nil)
        #expect(try date(old["expiresAt"]) <= Date().addingTimeInterval(601))

        let successorID = try #require(successor["id"] as? String)
        #expect(try rapport("token", "rotate", successorID, "--data-dir", log).status == 0)
        #expect(
            try list(log).first { $0["id"] as? String == successorID }?["revokedAt"] != nil,
            "no grace: revoked at once"
        )
        let again = try rapport("token", "rotate", successorID, "--data-dir", log)
        #expect(again.status == 2 && again.errors.contains("revoked"), "\(again.errors)")
        let unknown = try rapport("token", "rotate", "deadbeef", "--data-dir", log)
        #expect(unknown.status == 2 && unknown.errors.contains("token_not_found"))
    }

    @Test("access prints the server's access table, with no data directory")
    func accessTable() throws {
        let run = try rapport("access")
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.hasPrefix("| operation | route | roles | scope | only some may send |\n"))
        #expect(
            run.output.contains(
                "| `backdatedAppends` | `GET /v1/audit/backdated` | admin, auditor | the role is enough |  |"
            )
        )
    }

    @Test("serve --metrics-port answers /metrics on 127.0.0.1 without a token; the API port needs one")
    func metricsPort() async throws {
        let log = try await emptyLog()
        let (port, metricsPort) = (try freeLocalPort(), try freeLocalPort())
        let server = try rapportProcess([
            "serve", "--data-dir", log, "--port", "\(port)", "--metrics-port", "\(metricsPort)", "--no-demo",
        ])
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        var scrape: (status: Int, body: String)?
        for _ in 0..<300 where scrape == nil {
            scrape = try? await get("http://127.0.0.1:\(metricsPort)/metrics")
            if scrape == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let answered = try #require(scrape, "the metrics port did not answer")
        #expect(answered.status == 200 && answered.body.contains("rapport_log_head_position"), "\(answered.body)")
        #expect(try await get("http://127.0.0.1:\(port)/metrics").status == 401)
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
        #expect(try rapport("serve", "--data-dir", log, "--port", "9000", "--metrics-port", "9000").status != 0)
    }

    private func get(_ url: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(for: URLRequest(url: try #require(URL(string: url))))
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
