import CRMServer
import EventStore
import Foundation
import NIOHTTP1
import Projections
import RapportTestSupport
import Testing

/// The access table walked against a running server: every role × every route.
@Suite("Access: roles × routes")
struct AccessTableTests {
    /// A request to `route` (`METHOD /path/{parameter}`) whose parameters name records no one
    /// has, so an admitted role gets past the door and is refused, at most, by the handler.
    private func request(for route: String) -> (HTTPMethod, String) {
        let parts = route.split(separator: " ", maxSplits: 1)
        var path = String(parts[1])
        while let open = path.firstIndex(of: "{"), let close = path[open...].firstIndex(of: "}") {
            path.replaceSubrange(open...close, with: "unknown-" + path[path.index(after: open)..<close])
        }
        // A subscription admitted would stream for ever; a malformed `from` ends it with a 400
        // once the door has let it through.
        if path == "/v1/subscribe" { path += "?from=not-a-position" }
        return (HTTPMethod(rawValue: String(parts[0])), path)
    }

    /// A token for each role: the staff's users, and a service for each service role.
    private func tokens(_ crm: CommandServer) throws -> [AccessRole: String] {
        let store = crm.server.tokens
        let people: [AccessRole: CommandServer.Person] = [
            .admin: .admin, .manager: .manager, .salesRep: .rep, .finance: .finance, .auditor: .auditor,
        ]
        var tokens: [AccessRole: String] = [:]
        for role in AccessRole.allCases {
            if let person = people[role] {
                tokens[role] = try store.create(for: .user(id: crm.id(person)), name: role.rawValue).token
            } else {
                tokens[role] = try store.create(
                    for: .service(name: "walk-" + role.rawValue, role: role),
                    name: role.rawValue
                ).token
            }
        }
        return tokens
    }

    @Test("every role × route: a role outside the route's rule gets 403 forbidden, a role inside never does")
    func walk() async throws {
        let crm = try await CommandServer.start("access-walk")
        let tokens = try tokens(crm)
        var walked = 0
        var refused = 0
        for (route, rule) in routedRules {
            let (method, path) = request(for: route)
            for role in AccessRole.allCases {
                let answer = try await crm.send(method, path, method == .GET ? "" : "{}", token: tokens[role])
                walked += 1
                let forbidden = answer.status == 403 && answer.code == "forbidden"
                if rule.isOpen || rule.roles.contains(role) {
                    #expect(!forbidden, "\(route) as \(role.rawValue): \(answer.status) \(answer.json)")
                    #expect(answer.status != 401, "\(route) as \(role.rawValue): \(answer.json)")
                } else {
                    refused += 1
                    #expect(
                        forbidden,
                        "\(route) as \(role.rawValue) should be 403 forbidden: \(answer.status) \(answer.json)"
                    )
                    #expect(answer.facts["role"] == role.rawValue)
                }
            }
        }
        #expect(walked == AccessTable.rules.count * AccessRole.allCases.count)
        #expect(refused > 0)

        // The parts of a request only some of a route's roles may send: as a query parameter
        // of a read, as a body field of a command.
        for (route, rule) in routedRules {
            let (method, path) = request(for: route)
            for (part, allowed) in rule.narrower.sorted(by: { $0.key < $1.key }) {
                for role in rule.roles.sorted(by: { $0.rawValue < $1.rawValue }) {
                    let answer =
                        method == .GET
                        ? try await crm.send(method, path + "?\(part)=1", "", token: tokens[role])
                        : try await crm.send(method, path, #"{"\#(part)":"A"}"#, token: tokens[role])
                    let forbidden = answer.status == 403 && answer.code == "forbidden"
                    #expect(
                        forbidden == !allowed.contains(role),
                        "\(route) with \(part) as \(role.rawValue): \(answer.status) \(answer.json)"
                    )
                }
            }
        }
        try await crm.stop()
    }

    /// Every rule with the route of its operation, in route order.
    private var routedRules: [(route: String, rule: AccessRule)] {
        AccessTable.rules.map { (AccessTable.route(of: $0.key) ?? "no route for \($0.key)", $0.value) }
            .sorted { $0.route < $1.route }
    }

    @Test("the table lists exactly the routes the router answers")
    func tableMatchesRouter() async throws {
        let directory = TemporaryDirectory("access-routes")
        let log = try openTestLog(directory)
        let store = try ReadModelStore(directory: directory.appending("read-models"))
        let tokens = try TokenStore(directory: directory.appending("access"))
        let idempotency = try IdempotencyStore(directory: directory.appending("idempotency"))
        let served = Set(
            try RapportServer.routes(log: log, readModels: store, tokens: tokens, idempotency: idempotency)
        )
        tokens.close()
        idempotency.close()
        store.close()
        await log.close()
        let listed = Set(routedRules.map(\.route))
        #expect(listed.count == AccessTable.rules.count, "every operation in the table is one the spec describes")
        #expect(served.count > 100)
        #expect(served.subtracting(listed).isEmpty, "served without a rule: \(served.subtracting(listed).sorted())")
        #expect(listed.subtracting(served).isEmpty, "a rule for no route: \(listed.subtracting(served).sorted())")
    }

    @Test(
        "who may do what, printed: a row per operation in path order, with its route, roles, scope and narrowed parts"
    )
    func printedTable() {
        let lines = AccessTable.markdown().split(separator: "\n").map(String.init)
        #expect(lines.count == AccessTable.rules.count + 2, "a header, a rule, and a row per route")
        let rows = lines.dropFirst(2)
        #expect(rows.contains("| `health` | `GET /health` | anyone, without a token | the role is enough |  |"))
        #expect(
            rows.contains(
                "| `recordPayment` | `POST /v1/contracts/{contract}/payments` | admin, finance, migration | the role is enough |  |"
            )
        )
        #expect(
            rows.contains {
                $0.hasPrefix(
                    "| `createCustomer` | `POST /v1/customers` | admin, manager, sales_rep, migration | whom the body gives"
                )
                    && $0.hasSuffix("| `level`: admin, manager, migration |")
            }
        )
        let paths = rows.map { $0.split(separator: "`")[3].split(separator: " ")[1] }
        #expect(paths == paths.sorted(), "in path order")
    }

    @Test("migration sends what an admin sends and reads no more than an admin reads")
    func migrationRole() {
        for (route, rule) in routedRules where !rule.isOpen {
            let isCommand = !route.hasPrefix("GET ") && !route.hasPrefix("PUT /v1/consumers")
            if isCommand {
                #expect(rule.roles.contains(.migration) == rule.roles.contains(.admin), "\(route)")
            } else if rule.roles.contains(.migration) {
                #expect(rule.roles.contains(.admin), "\(route)")
            }
        }
    }
}
