import Crypto
public import Foundation
import LMDB
public import Projections

/// The answers to keyed commands that appended nothing — refusals, and updates that changed
/// nothing — in an LMDB environment of its own (`idempotency` in the data directory), so a
/// client's retry gets the same answer, also after a restart.
///
/// A command that appended events leaves its receipt in the log itself, in the same
/// transaction as its events (``IdempotencyMiddleware``); only answers that vouch for no
/// events are kept here, where losing one to a crash costs nothing but running a refused
/// command again.
///
/// An answer is kept for the retention (a day by default), after which ``purgeExpired()``
/// removes it, so the store does not grow with every command ever sent. Every transaction
/// runs on the `worker`'s thread, never on the cooperative pool.
public final class IdempotencyStore: Sendable {
    /// The directory inside a data directory where the store lives.
    public static let directoryName = "idempotency"

    /// A stored answer.
    struct Answer: Codable {
        /// SHA-256 of the method, path and body the key was first used with.
        var request: [UInt8]
        var status: Int
        var body: [UInt8]
        /// When it was kept; `nil` in answers kept before answers expired, which count as
        /// expired.
        var savedAt: Date?
    }

    /// How long answers and the log's receipts are kept.
    public let retention: Duration
    private let environment: Environment
    private let answers: Database
    private let worker: BlockingWorker
    private let now: @Sendable () -> Date

    /// Opens the store in `directory`, creating it when absent, keeping answers for
    /// `retention` as told by `now`, its transactions run by `worker`.
    public init(
        directory: String,
        retention: Duration = .seconds(86_400),
        worker: BlockingWorker = BlockingWorker(name: "rapport-idempotency"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.retention = retention
        self.worker = worker
        self.now = now
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var options = Environment.Options()
        options.mapSize = 64 << 20
        // The answers hold customer data.
        options.fileMode = 0o600
        environment = try Environment(path: directory, options: options)
        answers = try environment.openDatabase("answers", flags: [.create])
    }

    /// Closes the environment.
    public func close() {
        environment.close()
    }

    /// The key under which `actor`'s `key` is stored, here and in the log's receipts: one
    /// client's keys never meet another's.
    static func storageKey(actor: String, key: String) -> [UInt8] {
        Array(SHA256.hash(data: Data((actor + "\u{0}" + key).utf8)))
    }

    /// The earliest time a kept answer or receipt still counts from.
    var cutoff: Date { now().addingTimeInterval(-(retention / .seconds(1))) }

    /// The answer kept under `storageKey`, unless it has expired.
    func answer(for storageKey: [UInt8]) async throws -> Answer? {
        let (environment, answers, cutoff) = (environment, answers, cutoff)
        let answer = try await worker.run {
            try environment.withReadTransaction { txn in
                try txn.get(storageKey, in: answers).map { try JSONDecoder().decode(Answer.self, from: Data($0)) }
            }
        }
        guard let answer, let savedAt = answer.savedAt, savedAt > cutoff else { return nil }
        return answer
    }

    /// Keeps `answer` under `storageKey`, stamped with the time.
    func save(_ answer: Answer, for storageKey: [UInt8]) async throws {
        var answer = answer
        answer.savedAt = now()
        let bytes = Array(try JSONEncoder().encode(answer))
        let (environment, answers) = (environment, answers)
        try await worker.run {
            try environment.withWriteTransaction { txn in try txn.put(bytes, for: storageKey, in: answers) }
        }
    }

    /// Removes every answer kept longer than the retention, and any that cannot be read.
    ///
    /// - Returns: how many were removed.
    @discardableResult
    public func purgeExpired() async throws -> Int {
        let (environment, answers, cutoff) = (environment, answers, cutoff)
        return try await worker.run {
            try environment.withWriteTransaction { txn in
                var removed = 0
                try txn.withCursor(answers) { cursor in
                    var entry = try cursor.first()
                    while let current = entry {
                        let answer = try? JSONDecoder().decode(Answer.self, from: Data(current.value))
                        if answer.flatMap(\.savedAt).map({ $0 <= cutoff }) ?? true {
                            try cursor.deleteCurrent()
                            removed += 1
                        }
                        // After a delete, LMDB's next is the entry that followed the deleted one.
                        entry = try cursor.next()
                    }
                }
                return removed
            }
        }
    }
}
