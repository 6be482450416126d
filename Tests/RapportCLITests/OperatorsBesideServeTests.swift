import CRMService
import EventStore
import Foundation
import RapportTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
import CRMSchema
#endif

/// What an operator runs on the data directory of a live `rapport serve`: each command that
/// would write what the server writes refuses, naming why, and changes nothing.
@Suite("Operators beside a running server", .timeLimit(.minutes(5)))
struct OperatorsBesideServeTests {
    let directory = TemporaryDirectory("operators-beside-serve")

    private func health(_ port: Int) async -> String? {
        guard let url = URL(string: "http://127.0.0.1:\(port)/health"),
            let (data, _) = try? await URLSession.shared.data(from: url)
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    @Test(
        "rebuild, project, sweep, compact, import and restore refuse a directory serve holds; rebuild --into another works"
    )
    func refusedBesideServe() async throws {
        let log = directory.appending("log")
        let writer = try LMDBEventLog(directory: log)
        let crm = CRMService(log: writer)
        let rep = try await crm.addUser(NewUser(name: "Rui", email: "rui@example.com", role: .salesRep), actor: "setup")
        var customer = NewCustomer(name: "Harbour Logistics")
        customer.ownerID = rep
        _ = try await crm.createCustomer(customer, actor: rep)
        await writer.close()
        let export = directory.appending("export.zst")
        #expect(try rapport("export", "--data-dir", log, "--output", export).status == 0)
        let backup = directory.appending("backup.rbk")
        #expect(try rapport("backup", "--data-dir", log, "--to", backup).status == 0)

        let port = try freeLocalPort()
        let server = try rapportProcess([
            "serve", "--data-dir", log, "--port", "\(port)", "--no-demo", "--log-level", "error",
        ])
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        var answered: String?
        for _ in 0..<600 where answered?.contains(#""readModelsBehind":0"#) != true {
            answered = await health(port)
            if answered == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let before = try #require(answered, "serve did not start")
        let statsBefore = try rapport("stats", "--data-dir", log, "--json").output

        let refusals: [([String], String)] = [
            (["rebuild", "--data-dir", log], "in_use"),
            (["project", "--data-dir", log], "in_use"),
            (["sweep", "--data-dir", log], "writer_locked"),
            (["compact", "--data-dir", log], "writer_locked"),
            (["import", "--data-dir", log, "--input", export], "writer_locked"),
            (["restore", "--from", backup, "--data-dir", log], "target_not_empty"),
        ]
        for (arguments, code) in refusals {
            let run = try rapport(arguments)
            #expect(run.status != 0, "\(arguments[0]) ran beside serve: \(run.output)")
            #expect(run.errors.contains(code), "\(arguments[0]): \(run.errors)")
        }
        #expect(
            try rapport("stats", "--data-dir", log, "--json").output == statsBefore,
            "the log and read models are as they were"
        )
        #expect(await health(port) == before, "serve carries on")

        // A rebuild into a directory of its own reads the log beside serve.
        let into = directory.appending("rebuilt")
        let rebuilt = try rapport("rebuild", "--data-dir", log, "--as-of-position", "3", "--into", into)
        #expect(rebuilt.status == 0, "\(rebuilt.errors)")
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
    }
}
