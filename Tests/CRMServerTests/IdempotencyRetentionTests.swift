import Foundation
import RapportTestSupport
import Synchronization
import Testing

@testable import CRMServer

@Suite("Idempotent answers expire")
struct IdempotencyRetentionTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let current = Mutex(Date(timeIntervalSince1970: 1_780_000_000))
        var now: Date { current.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
    }

    private func answer(_ text: String) -> IdempotencyStore.Answer {
        IdempotencyStore.Answer(request: Array(text.utf8), status: 201, body: Array(#"{"id":"\#(text)"}"#.utf8))
    }

    @Test("an answer is replayed within the retention, not after it, and the purge removes exactly the expired ones")
    func retention() async throws {
        let directory = TemporaryDirectory("idempotency-retention")
        let clock = ManualClock()
        let store = try IdempotencyStore(directory: directory.path, retention: .seconds(60), now: { clock.now })
        defer { store.close() }
        let keys = (0..<4).map { IdempotencyStore.storageKey(actor: "user-1", key: "key-\($0)") }
        for key in keys.prefix(3) { try await store.save(answer("early"), for: key) }
        clock.advance(50)
        try await store.save(answer("late"), for: keys[3])

        clock.advance(9)
        #expect(try await store.answer(for: keys[0])?.body == answer("early").body, "59 s old: still kept")
        clock.advance(1)
        #expect(try await store.answer(for: keys[0]) == nil, "60 s old: expired, the key is free again")
        #expect(try await store.answer(for: keys[3])?.body == answer("late").body)

        #expect(try await store.purgeExpired() == 3)
        #expect(try await store.purgeExpired() == 0)
        #expect(try await store.answer(for: keys[3]) != nil, "the purge kept the answer still within its retention")
        clock.advance(60)
        #expect(try await store.purgeExpired() == 1)
    }
}
