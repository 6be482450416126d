import CRMDomain
import CRMSchema
import CRMServer
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import RapportAPI
import SwiftProtobuf
import Testing

/// The people of a CRM for the report tests, and the ids of what a test's story made.
///
/// Team East: the manager `manager` and the reps `rep` and `other`; team West: the rep `west`;
/// and `admin`, `finance` and `auditor`. `tokens` holds a token per person.
struct Staff {
    var ids: [String: String] = [:]
    var tokens: [String: String] = [:]

    /// The id the story or the staffing stored under `key`.
    subscript(_ key: String) -> String { ids[key] ?? "" }
}

/// Times and money the report tests write their histories with.
enum ReportTime {
    /// `hour` o'clock China time on `day` (`yyyy-mm-dd`), in 2026, before the tests run.
    static func at(_ day: String, _ hour: Int = 10) -> Date {
        ISO8601DateFormatter().date(from: "\(day)T\(hour < 10 ? "0" : "")\(hour):00:00+08:00")!
    }
}

/// `yuan` as minor units of CNY.
func yuan(_ amount: Int64) -> CRMMoney { CRMMoney(minorUnits: amount * 100, currency: "CNY") }

extension RunningServer {
    /// A server over a log holding the ``Staff`` and what `story` appends, its read models
    /// caught up with the log.
    static func staffed(
        _ name: String,
        story: (CRMService<LMDBEventLog>, inout Staff) async throws -> Void = { _, _ in }
    ) async throws -> (RunningServer, Staff) {
        var staff = Staff()
        let server = try await RunningServer.start(name) { log in
            let crm = CRMService(log: log, clock: RunningServer.businessClock)
            let at = ReportTime.at("2026-01-02", 9)
            // The server sweeps the pool as it starts: histories written in the past must not
            // lose their customers to it.
            var rules = CRMPoolRulesConfigured()
            (rules.dailyClaimLimit, rules.holdingCap) = (50, 50)
            rules.idleLimits = [CRMIdleLimit.with { $0.idleDays = 36_500 }]
            try await crm.configurePoolRules(rules, actor: "setup", occurredAt: at)
            staff.ids["east"] = try await crm.createTeam(named: "East", actor: "setup", occurredAt: at)
            staff.ids["westTeam"] = try await crm.createTeam(named: "West", actor: "setup", occurredAt: at)
            let people: [(String, CRMRole, String)] = [
                ("admin", .admin, ""), ("manager", .manager, "east"), ("rep", .salesRep, "east"),
                ("other", .salesRep, "east"),
                ("west", .salesRep, "westTeam"), ("finance", .finance, ""), ("auditor", .auditor, ""),
            ]
            for (key, role, team) in people {
                var user = NewUser(name: key.capitalized, email: "\(key)@example.com", role: role)
                user.teamID = staff[team]
                staff.ids[key] = try await crm.addUser(user, actor: "setup", occurredAt: at)
            }
            try await story(crm, &staff)
        }
        for key in ["admin", "manager", "rep", "other", "west", "finance", "auditor"] {
            staff.tokens[key] = try server.tokens.create(for: .user(id: staff[key]), name: key).token
        }
        staff.tokens["subscriber"] = server.token
        try await server.caughtUp()
        return (server, staff)
    }

    /// Waits until every read model has applied the whole log.
    func caughtUp() async throws {
        for _ in 0..<500 {
            let health = try await getJSON("/health", token: nil)
            if health.json["readModelsBehind"] as? Int == 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the read models did not catch up")
    }

    /// The client generated from the spec, as the staff member `who` (`subscriber`: the
    /// service token).
    func client(as who: String, _ staff: Staff) throws -> Client {
        try client(token: try #require(staff.tokens[who], "no token for \(who)"))
    }

    /// `GET path` as the staff member `who`, decoded as a JSON object.
    func get(_ path: String, as who: String, _ staff: Staff) async throws -> (status: Int, json: [String: Any]) {
        try await getJSON(path, token: .some(staff.tokens[who]))
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The `code` of an error body.
    var errorCode: String? { (self["error"] as? [String: Any])?["code"] as? String }

    /// The object under `key`.
    func object(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }

    /// The array of objects under `key`.
    func objects(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }

    /// The integer under `key`.
    func int(_ key: String) -> Int? { self[key] as? Int }
}
