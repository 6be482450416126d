import AsyncHTTPClient
import CRMSchema
import CRMServer
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import NIOCore
import NIOHTTP1
import RapportAPI
import Testing

/// A running server with a staff to send commands as, and ways to read back what a command
/// appended.
///
/// The staff: team North with manager Mia and reps Rui and Oto, team South with rep Sol, and
/// Ada (admin), Fei (finance) and Aud (auditor).
struct CommandServer {
    /// Who sends a command.
    enum Person: String, CaseIterable, Sendable {
        case admin, manager, rep, otherRep, outsider, finance, auditor
    }

    /// A command's answer.
    struct Answer {
        var status: Int
        var json: [String: Any]

        var code: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var facts: [String: String] { (json["error"] as? [String: Any])?["facts"] as? [String: String] ?? [:] }

        /// The string the answer holds under `key`.
        func id(_ key: String) throws -> String {
            try #require(json[key] as? String, "no \(key) in \(json)")
        }
    }

    let server: RunningServer
    /// Each person's user id.
    let ids: [Person: String]
    /// The teams' ids.
    let north: String
    let south: String
    private let tokens: [Person: String]

    /// Starts a server whose log holds the staff.
    static func start(_ name: String) async throws -> CommandServer {
        var ids: [Person: String] = [:]
        var teams: [String] = []
        let server = try await RunningServer.start(name) { log in
            let crm = CRMService(log: log, clock: RunningServer.businessClock)
            teams = [
                try await crm.createTeam(named: "North", actor: "setup"),
                try await crm.createTeam(named: "South", actor: "setup"),
            ]
            let staff: [(Person, String, CRMRole, String)] = [
                (.admin, "Ada", .admin, ""), (.manager, "Mia", .manager, teams[0]), (.rep, "Rui", .salesRep, teams[0]),
                (.otherRep, "Oto", .salesRep, teams[0]), (.outsider, "Sol", .salesRep, teams[1]),
                (.finance, "Fei", .finance, ""),
                (.auditor, "Aud", .auditor, ""),
            ]
            for (person, name, role, team) in staff {
                var user = NewUser(name: name, email: "\(name.lowercased())@example.com", role: role)
                user.teamID = team
                ids[person] = try await crm.addUser(user, actor: "setup")
            }
        }
        var tokens: [Person: String] = [:]
        for (person, id) in ids {
            tokens[person] = try server.tokens.create(for: .user(id: id), name: person.rawValue).token
        }
        return CommandServer(server: server, ids: ids, north: teams[0], south: teams[1], tokens: tokens)
    }

    /// `person`'s user id.
    func id(_ person: Person) -> String { ids[person] ?? "" }

    /// `method path` with a JSON `body`, as `person` (the subscriber service when `nil`).
    func send(_ method: HTTPMethod, _ path: String, _ body: String = "", as person: Person?) async throws -> Answer {
        try await send(method, path, body, token: person.map { tokens[$0] ?? "" } ?? server.token)
    }

    /// A client generated from `Schemas/openapi.yaml`, as any service would generate one,
    /// sending `person`'s token (the subscriber service's when `nil`).
    func client(as person: Person?) throws -> Client {
        try server.client(token: person.map { tokens[$0] ?? "" } ?? server.token)
    }

    /// `method path` with a JSON `body` and `token` (none when `nil`).
    func send(_ method: HTTPMethod, _ path: String, _ body: String = "", token: String?) async throws -> Answer {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let json = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? ["raw": text]
        return Answer(status: Int(response.status.code), json: json)
    }

    /// `POST path` with `body` as `person`.
    func post(_ path: String, _ body: String = "", as person: Person?) async throws -> Answer {
        try await send(.POST, path, body, as: person)
    }

    /// The log's head position.
    func head() throws -> UInt64 { try server.log.head().position }

    /// The events appended after `position`, decoded, with their actors.
    func events(
        after position: UInt64
    ) throws -> [(message: any Sendable, type: String, actor: String, occurredAt: Date)] {
        try server.log.readAll(from: position + 1, limit: 1_000).map { recorded in
            let message = try EventCatalogue.crm.decode(
                typeName: recorded.type,
                schemaVersion: recorded.schemaVersion,
                payload: recorded.payload
            )
            return (message, recorded.type, recorded.actor, recorded.occurredAt.date)
        }
    }

    /// The one event of type `M` appended after `position`.
    func event<M>(_ type: M.Type, after position: UInt64) throws -> M {
        let matching = try events(after: position).compactMap { $0.message as? M }
        try #require(matching.count == 1, "\(matching.count) \(M.self) after \(position)")
        return matching[0]
    }

    /// Waits until the read models have folded the whole log, so scope checks see the owners.
    func settle() async throws {
        for _ in 0..<500 {
            let health = try await server.getJSON("/health", token: .some(nil))
            if health.json["readModelsBehind"] as? Int == 0 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the read models did not catch up")
    }

    /// Shuts the server down.
    func stop() async throws { try await server.stop() }
}
