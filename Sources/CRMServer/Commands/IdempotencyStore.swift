import Crypto
public import Foundation
import LMDB

/// The first answer to each command sent with an `Idempotency-Key`, in an LMDB environment of
/// its own (`idempotency` in the data directory), so a client's retry gets that answer again
/// instead of running the command twice, also after a restart.
///
/// An answer is kept for the retention (a day by default): long enough for any client's
/// retries, after which the key is free again and ``purgeExpired()`` removes the answer, so
/// the store does not grow with every command ever sent.
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

    private let environment: Environment
    private let answers: Database
    private let retention: TimeInterval
    private let now: @Sendable () -> Date

    /// Opens the store in `directory`, creating it when absent, keeping answers for
    /// `retention` as told by `now`.
    public init(directory: String, retention: Duration = .seconds(86_400), now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.retention = retention / .seconds(1)
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

    /// The key under which `actor`'s `key` is stored: one client's keys never meet another's.
    static func storageKey(actor: String, key: String) -> [UInt8] {
        Array(SHA256.hash(data: Data((actor + "\u{0}" + key).utf8)))
    }

    /// The answer kept under `storageKey`, unless it has expired.
    func answer(for storageKey: [UInt8]) throws -> Answer? {
        let answer = try environment.withReadTransaction { txn in
            try txn.get(storageKey, in: answers).map { try JSONDecoder().decode(Answer.self, from: Data($0)) }
        }
        guard let answer, !isExpired(answer, at: now()) else { return nil }
        return answer
    }

    /// Keeps `answer` under `storageKey`, stamped with the time.
    func save(_ answer: Answer, for storageKey: [UInt8]) throws {
        var answer = answer
        answer.savedAt = now()
        let bytes = Array(try JSONEncoder().encode(answer))
        try environment.withWriteTransaction { txn in try txn.put(bytes, for: storageKey, in: answers) }
    }

    /// Removes every answer kept longer than the retention, and any that cannot be read.
    ///
    /// - Returns: how many were removed.
    @discardableResult
    public func purgeExpired() throws -> Int {
        let now = now()
        var removed = 0
        try environment.withWriteTransaction { txn in
            removed = 0
            try txn.withCursor(answers) { cursor in
                var entry = try cursor.first()
                while let current = entry {
                    let answer = try? JSONDecoder().decode(Answer.self, from: Data(current.value))
                    if answer.map({ isExpired($0, at: now) }) ?? true {
                        try cursor.deleteCurrent()
                        removed += 1
                    }
                    // After a delete, LMDB's next is the entry that followed the deleted one.
                    entry = try cursor.next()
                }
            }
        }
        return removed
    }

    private func isExpired(_ answer: Answer, at now: Date) -> Bool {
        guard let savedAt = answer.savedAt else { return true }
        return now.timeIntervalSince(savedAt) >= retention
    }
}
