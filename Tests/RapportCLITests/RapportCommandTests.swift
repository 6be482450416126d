import CRMReadModels
import CRMSchema
import CRMService
import EventStore
import Foundation
import Projections
import RapportTestSupport
import Testing

/// Drives the built `rapport` executable as an operator would: real processes, real files.
@Suite("The rapport command")
struct RapportCommandTests {
    let directory = TemporaryDirectory("cli")

    @Test("with no subcommand it generates a CRM history, prints its statistics, and leaves it alone the second time")
    func demo() throws {
        let log = directory.appending("log")
        let first = try rapport("demo", "--data-dir", log, "--customers", "50", "--days", "120")
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output.contains("generated"))
        #expect(first.output.contains("chain        intact"))
        let second = try rapport("demo", "--data-dir", log, "--customers", "50")
        #expect(second.status == 0)
        #expect(second.output.contains("already holds a log"))

        let stats = try rapport("stats", "--data-dir", log, "--json")
        #expect(stats.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as? [String: Any])
        let categories = try #require(json["eventsByCategory"] as? [String: Int])
        for category in ["customer", "lead", "user", "team", "settings", "opportunity", "product", "campaign"] {
            #expect((categories[category] ?? 0) > 0, "\(category)")
        }
        let types = try #require(json["eventsByType"] as? [String: Int])
        #expect(types.keys.allSatisfy { $0.hasPrefix("crm.v1.") })
        #expect(types["crm.v1.CustomerCreated"] ?? 0 >= 10)

        // One seed, one history: a second log from the same seed holds the same events.
        let twin = directory.appending("twin")
        #expect(try rapport("demo", "--data-dir", twin, "--customers", "50", "--days", "120").status == 0)
        let twinStats = try #require(
            try JSONSerialization.jsonObject(with: Data(try rapport("stats", "--data-dir", twin, "--json").output.utf8))
                as? [String: Any]
        )
        #expect(twinStats["events"] as? Int == json["events"] as? Int)
        #expect(twinStats["eventsByType"] as? [String: Int] == types)
    }

    @Test("stats shows how far each read model is behind the head of the log")
    func readModelLag() async throws {
        let log = directory.appending("lagging")
        #expect(try rapport("demo", "--data-dir", log, "--customers", "30", "--days", "30").status == 0)
        #expect(try lags(of: log).values.allSatisfy { $0 == 0 })

        let appender = try LMDBEventLog(directory: log)
        for index in 0..<7 {
            _ = try await appender.append(
                to: stream("note-\(index)"),
                [testEvent("test.Noted", payload: "note \(index)")]
            )
        }
        await appender.close()
        let behind = try lags(of: log)
        #expect(
            behind.keys.sorted() == CRMProjections.all.map { $0.name }.sorted() && behind.values.allSatisfy { $0 == 7 },
            "every read model, 7 behind: \(behind)"
        )
        let table = try rapport("stats", "--data-dir", log)
        #expect(table.output.contains("customer360                  7 behind"), "\(table.output)")

        #expect(try rapport("project", "--data-dir", log).status == 0)
        #expect(try lags(of: log).values.allSatisfy { $0 == 0 })
        let elsewhere = try rapport("stats", "--data-dir", log, "--read-models", directory.appending("none"), "--json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(elsewhere.output.utf8)) as? [String: Any])
        #expect(json["readModels"] == nil)
    }

    /// Each read model's `eventsBehind` from `rapport stats --json`.
    private func lags(of log: String) throws -> [String: Int] {
        let stats = try rapport("stats", "--data-dir", log, "--json")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as? [String: Any],
            "\(stats.errors)"
        )
        let readModels = try #require(json["readModels"] as? [[String: Any]])
        return Dictionary(
            uniqueKeysWithValues: readModels.map { ($0["name"] as? String ?? "", $0["eventsBehind"] as? Int ?? -1) }
        )
    }

    @Test("verify passes on a good log and names the first bad position on a tampered one")
    func verify() throws {
        let log = directory.appending("log")
        #expect(try rapport("demo", "--data-dir", log, "--customers", "20", "--days", "60").status == 0)
        let good = try rapport("verify", "--data-dir", log)
        #expect(good.status == 0)
        #expect(good.output.hasPrefix("ok: "))

        let file = URL(fileURLWithPath: log + "/data.mdb")
        var bytes = try Data(contentsOf: file)
        // A product's name is in its ProductAdded event and nowhere else in the file.
        let range = try #require(bytes.range(of: Data("Onboarding service".utf8)))
        bytes[range.lowerBound + 9] ^= 0x01
        try bytes.write(to: file)
        let bad = try rapport("verify", "--data-dir", log)
        #expect(bad.status == 1)
        #expect(bad.output.contains("hashMismatch"))
        #expect(bad.output.contains("position "))
    }

    @Test("a wrong data directory is refused with a message and a non-zero exit, and nothing is created")
    func wrongDataDirectory() throws {
        let missing = try rapport("stats", "--data-dir", directory.appending("absent"))
        #expect(missing.status == 2)
        #expect(missing.errors.contains("no log at"))
        #expect(!FileManager.default.fileExists(atPath: directory.appending("absent")))

        try Data("a spreadsheet".utf8).write(to: URL(fileURLWithPath: directory.appending("customers.csv")))
        let foreign = try rapport("demo", "--data-dir", directory.path)
        #expect(foreign.status == 2)
        #expect(foreign.errors.contains("not_a_rapport_log"))
        #expect(!FileManager.default.fileExists(atPath: directory.appending("data.mdb")))

        let invalid = try rapport("demo", "--customers", "0", "--data-dir", directory.appending("x"))
        #expect(invalid.status != 0)
        #expect(invalid.errors.contains("--customers"))
    }

    @Test(
        "sweep releases a customer idle past the limit, once; a future time, a bad time and a missing log are refused"
    )
    func sweep() async throws {
        let logDirectory = directory.appending("log")
        let log = try LMDBEventLog(directory: logDirectory)
        let crm = CRMService(log: log)
        let rep = try await crm.addUser(NewUser(name: "Rep", email: "rep@example.com", role: .salesRep), actor: "admin")
        let id = try await crm.createCustomer(NewCustomer(name: "Idle Trading Co., Ltd."), actor: rep)
        try await crm.claimCustomer(id, actor: rep, occurredAt: Date().addingTimeInterval(-40 * 86_400))
        await log.close()

        let first = try rapport("sweep", "--data-dir", logDirectory, "--json")
        #expect(first.status == 0, "\(first.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(first.output.utf8)) as? [String: Any])
        let released = try #require(report["released"] as? [[String: String]])
        #expect(released.map { $0["customer"] } == [id])
        #expect(released.first?["from"] == rep)
        let second = try rapport("sweep", "--data-dir", logDirectory)
        #expect(second.status == 0)
        #expect(second.output.contains("0 released, 0 warned"))

        let future = try rapport("sweep", "--data-dir", logDirectory, "--at", "2999-01-01T00:00:00Z")
        #expect(future.status == 2)
        #expect(future.errors.contains("occurred_in_future"))
        let badTime = try rapport("sweep", "--data-dir", logDirectory, "--at", "yesterday")
        #expect(badTime.status != 0)
        #expect(badTime.errors.contains("ISO 8601"))
        let missing = try rapport("sweep", "--data-dir", directory.appending("absent"))
        #expect(missing.status == 2)
        #expect(missing.errors.contains("log_not_found"))
        #expect(!FileManager.default.fileExists(atPath: directory.appending("absent")))
    }
}
