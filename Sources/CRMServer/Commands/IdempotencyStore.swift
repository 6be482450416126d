import Crypto
import Foundation
import LMDB

/// The first answer to each command sent with an `Idempotency-Key`, in an LMDB environment of
/// its own (`idempotency` in the data directory), so a client's retry gets that answer again
/// instead of running the command twice, also after a restart.
public final class IdempotencyStore: Sendable {
    /// The directory inside a data directory where the store lives.
    public static let directoryName = "idempotency"

    /// A stored answer.
    struct Answer: Codable {
        /// SHA-256 of the method, path and body the key was first used with.
        var request: [UInt8]
        var status: Int
        var body: [UInt8]
    }

    private let environment: Environment
    private let answers: Database

    /// Opens the store in `directory`, creating it when absent.
    public init(directory: String) throws {
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

    func answer(for storageKey: [UInt8]) throws -> Answer? {
        try environment.withReadTransaction { txn in
            try txn.get(storageKey, in: answers).map { try JSONDecoder().decode(Answer.self, from: Data($0)) }
        }
    }

    func save(_ answer: Answer, for storageKey: [UInt8]) throws {
        let bytes = Array(try JSONEncoder().encode(answer))
        try environment.withWriteTransaction { txn in try txn.put(bytes, for: storageKey, in: answers) }
    }
}
