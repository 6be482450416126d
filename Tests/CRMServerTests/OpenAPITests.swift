import CRMServer
import EventStore
import Foundation
import Projections
import RapportTestSupport
import Testing

/// `Schemas/openapi.yaml` and the router describe the same routes.
@Suite("The OpenAPI document")
struct OpenAPITests {
    /// `METHOD /path` for every operation under `paths:` in the spec.
    private func specifiedRoutes() throws -> Set<String> {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Schemas/openapi.yaml")
        let lines = try String(contentsOf: file, encoding: .utf8).split(
            separator: "\n",
            omittingEmptySubsequences: false
        )
        var routes: Set<String> = []
        var inPaths = false
        var path: String?
        for line in lines {
            if !line.hasPrefix(" ") { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete"].contains(method) {
                    routes.insert("\(method.uppercased()) \(path)")
                }
            }
        }
        return routes
    }

    @Test("every route the server answers is in the spec, and every route in the spec is answered")
    func routesAgree() async throws {
        let directory = TemporaryDirectory("openapi")
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
        let specified = try specifiedRoutes()
        #expect(served.count >= 5)
        #expect(
            served.subtracting(specified).isEmpty,
            "served but not in the spec: \(served.subtracting(specified).sorted())"
        )
        #expect(
            specified.subtracting(served).isEmpty,
            "in the spec but not served: \(specified.subtracting(served).sorted())"
        )
    }
}
