import EventStore
import Foundation
import NIOHTTP1
import RapportAPI
import Testing

/// `GET /v1/audit/backdated`: who dated a command before the time the log recorded it, and how
/// far back.
///
/// The server's business clock is fixed (``RunningServer/businessStart``) while the log records
/// the real time, so every command here is dated some way back; each figure is checked against
/// the recorded times the log holds, which holds on any date.
@Suite("Audit of back-dated commands")
struct BackdatedAuditTests {
    @Test(
        "an admin's back-dated command is listed with its actor, positions and how far back; nearer ones are left out"
    )
    func listsBackdatedAppends() async throws {
        let crm = try await CommandServer.start("audit-backdated")
        let start = try crm.head()
        let backdated = try await crm.client(as: .admin).createCustomer(
            body: .json(.init(name: "Xiamen Port Tea Ltd", occurredAt: "2026-11-01T09:00:00Z"))
        )
        #expect(throws: Never.self, "\(backdated)") { try backdated.created }
        let current = try await crm.client(as: .rep).createCustomer(body: .json(.init(name: "Fuzhou Jasmine Ltd")))
        #expect(throws: Never.self, "\(current)") { try current.created }
        let events = try crm.server.log.readAll(from: start + 1, limit: 100)
        let admins = events.filter { $0.actor == crm.id(.admin) }
        let reps = events.filter { $0.actor == crm.id(.rep) }
        try #require(!admins.isEmpty && !reps.isEmpty)
        let adminLag =
            (admins[0].recordedAt.nanosecondsSinceEpoch - admins[0].occurredAt.nanosecondsSinceEpoch) / 1_000_000_000
        let repLag =
            (reps[0].recordedAt.nanosecondsSinceEpoch - reps[0].occurredAt.nanosecondsSinceEpoch) / 1_000_000_000
        #expect(adminLag > repLag + 18 * 86_400, "the admin dated theirs 19 days before the business clock")

        // The audit is the log's own route, which the generated client leaves out: asked by hand.
        // Past the rep's lag: the admin's command alone, whole.
        let audit = try await crm.send(
            .GET,
            "/v1/audit/backdated?from=\(start + 1)&minimumSeconds=\(repLag + 86_400)",
            as: .auditor
        )
        #expect(audit.status == 200, "\(audit.json)")
        let appends = try #require(audit.json["appends"] as? [[String: Any]])
        #expect(appends.count == 1, "\(appends)")
        let append = try #require(appends.first)
        #expect(append["actor"] as? String == crm.id(.admin))
        #expect(append["firstPosition"] as? Int == Int(admins[0].position))
        #expect(append["lastPosition"] as? Int == Int(admins[admins.count - 1].position))
        #expect(append["stream"] as? String == admins[0].stream.rawValue)
        #expect(append["occurredAt"] as? String == "2026-11-01T09:00:00.000000000Z")
        #expect(append["backdatedSeconds"] as? Int == Int(adminLag))
        #expect(audit.json["next"] == nil, "the scan reached the head")

        // From zero seconds: both commands, in position order; one actor's on request.
        let everything = try await crm.send(.GET, "/v1/audit/backdated?from=\(start + 1)&minimumSeconds=0", as: .admin)
        let all = try #require(everything.json["appends"] as? [[String: Any]])
        #expect(all.map { $0["actor"] as? String } == [crm.id(.admin), crm.id(.rep)])
        #expect(all.last?["backdatedSeconds"] as? Int == Int(repLag))
        let reps2 = try await crm.send(
            .GET,
            "/v1/audit/backdated?from=\(start + 1)&minimumSeconds=0&actor=\(crm.id(.rep))",
            as: .admin
        )
        #expect((reps2.json["appends"] as? [[String: Any]])?.map { $0["actor"] as? String } == [crm.id(.rep)])

        // A page of one ends between two appends, and `next` goes on from there.
        let first = try await crm.send(
            .GET,
            "/v1/audit/backdated?from=\(start + 1)&minimumSeconds=0&limit=1",
            as: .admin
        )
        let next = try #require(first.json["next"] as? Int)
        #expect(next == Int(admins[admins.count - 1].position) + 1)
        let second = try await crm.send(.GET, "/v1/audit/backdated?from=\(next)&minimumSeconds=0&limit=1", as: .admin)
        #expect((second.json["appends"] as? [[String: Any]])?.first?["actor"] as? String == crm.id(.rep))

        #expect(try await crm.send(.GET, "/v1/audit/backdated", as: .rep).status == 403)
        #expect(try await crm.send(.GET, "/v1/audit/backdated?minimumSeconds=-1", as: .admin).status == 400)
        try await crm.stop()
    }
}
