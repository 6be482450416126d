import CRMServer
import Foundation
import RapportTestSupport
import Synchronization
import Testing

/// Tokens expire and are rotated, by the token store's clock, which the tests set.
@Suite("Token lifetimes")
struct TokenLifetimeTests {
    /// A clock the test moves.
    final class Clock: Sendable {
        private let time = Mutex(Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01T00:00:00Z

        var now: Date { time.withLock { $0 } }

        func advance(_ seconds: TimeInterval) {
            time.withLock { $0 = $0.addingTimeInterval(seconds) }
        }
    }

    private func code(_ response: (status: Int, json: [String: Any])) -> String? {
        (response.json["error"] as? [String: Any])?["code"] as? String
    }

    private let auditor = AccessToken.Holder.service(name: "audit", role: .auditor)

    @Test("a token lives 90 days by default, or as long as it was made for; then it is 401 token_expired")
    func expiry() async throws {
        let clock = Clock()
        let server = try await RunningServer.start("token-expiry", now: { clock.now })
        let (long, longRecord) = try server.tokens.create(for: auditor, name: "default")
        #expect(longRecord.expiresAt == clock.now.addingTimeInterval(90 * 86_400))
        let (short, shortRecord) = try server.tokens.create(for: auditor, name: "two days", lifetime: 2 * 86_400)
        #expect(try await server.getJSON("/v1/events", token: short).status == 200)
        clock.advance(86_400)
        #expect(try await server.getJSON("/v1/events", token: short).status == 200)
        clock.advance(86_400)
        let expired = try await server.getJSON("/v1/events", token: short)
        #expect(expired.status == 401 && code(expired) == "token_expired", "\(expired.json)")
        #expect(
            ((expired.json["error"] as? [String: Any])?["facts"] as? [String: String])?["tokenID"] == shortRecord.id
        )
        #expect(try await server.getJSON("/v1/events", token: long).status == 200)
        clock.advance(88 * 86_400)
        #expect(code(try await server.getJSON("/v1/events", token: long)) == "token_expired")
        try await server.stop()
    }

    @Test("rotation makes a token for the same holder and revokes the old one, or keeps it for the grace period")
    func rotation() async throws {
        let clock = Clock()
        let server = try await RunningServer.start("token-rotation", now: { clock.now })
        let (old, oldRecord) = try server.tokens.create(for: auditor, name: "scraper")
        let rotated = try #require(try server.tokens.rotate(id: oldRecord.id))
        #expect(
            rotated.record.holder == oldRecord.holder && rotated.record.name == "scraper"
                && rotated.record.rotatedFrom == oldRecord.id
        )
        #expect(rotated.previous.revokedAt == clock.now)
        #expect(code(try await server.getJSON("/v1/events", token: old)) == "token_revoked")
        #expect(try await server.getJSON("/v1/events", token: rotated.token).status == 200)
        #expect(throws: TokenStoreError.self) { try server.tokens.rotate(id: oldRecord.id) }
        #expect(try server.tokens.rotate(id: "no-such-token") == nil)

        // With a grace period the old token keeps working until it ends.
        let graced = try #require(try server.tokens.rotate(id: rotated.record.id, lifetime: 30 * 86_400, grace: 3_600))
        #expect(graced.previous.revokedAt == nil && graced.previous.expiresAt == clock.now.addingTimeInterval(3_600))
        #expect(graced.record.expiresAt == clock.now.addingTimeInterval(30 * 86_400))
        #expect(try await server.getJSON("/v1/events", token: rotated.token).status == 200)
        clock.advance(3_600)
        #expect(code(try await server.getJSON("/v1/events", token: rotated.token)) == "token_expired")
        #expect(try await server.getJSON("/v1/events", token: graced.token).status == 200)

        // An expired token may still be rotated: its holder gets a fresh one.
        clock.advance(31 * 86_400)
        #expect(code(try await server.getJSON("/v1/events", token: graced.token)) == "token_expired")
        let renewed = try #require(try server.tokens.rotate(id: graced.record.id))
        #expect(try await server.getJSON("/v1/events", token: renewed.token).status == 200)
        try await server.stop()
    }

    @Test("a token stored before tokens expired reads as expiring 90 days after it was made")
    func storedWithoutExpiry() throws {
        let record = AccessToken(
            id: "abc",
            holder: auditor,
            name: "old",
            createdAt: Date(timeIntervalSince1970: 1_700_000_000),
            expiresAt: .distantFuture
        )
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var fields = try #require(try JSONSerialization.jsonObject(with: encoder.encode(record)) as? [String: Any])
        #expect(fields.removeValue(forKey: "expiresAt") != nil)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let read = try decoder.decode(AccessToken.self, from: JSONSerialization.data(withJSONObject: fields))
        #expect(read.expiresAt == Date(timeIntervalSince1970: 1_700_000_000 + 90 * 86_400))
        #expect(read.holder == auditor && read.revokedAt == nil)
    }
}
