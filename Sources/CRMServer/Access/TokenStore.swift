import Crypto
public import Foundation
import LMDB
import Synchronization

/// The API tokens of a data directory, in an LMDB environment of their own (`access`).
///
/// A token is `rpt_` and 43 characters of base64url (32 random bytes); the store keeps only
/// its SHA-256, so a copy of the store gives no one a working token. `rapport token` writes
/// it and the server reads it at every request, so a token revoked by the command is refused
/// by a running server from the next request on.
///
/// Tokens expire (``AccessToken/expiresAt``); the store's clock (`now`) decides when, so a
/// test sets the time instead of waiting for it.
public final class TokenStore: Sendable {
    /// The directory inside a data directory where the store lives.
    public static let directoryName = "access"

    private let environment: Environment
    private let tokens: Database
    /// Records decoded by earlier look-ups, by digest, with the stored bytes they came from: a
    /// look-up still reads the store, so a revocation made by `rapport token` counts at once,
    /// but decodes only when those bytes changed.
    private let decoded = Mutex<[[UInt8]: (stored: [UInt8], record: AccessToken)]>([:])
    /// Past this many, the decoded records are dropped and decoded again as they are used.
    private static let decodedLimit = 10_000
    /// The time now, for creation, expiry and revocation.
    public let now: @Sendable () -> Date

    /// Opens the store in `directory`, creating it when absent.
    ///
    /// - Parameter now: the clock; the system's by default.
    /// - Throws: `TokenStoreError` when the environment cannot be opened.
    public init(directory: String, now: @escaping @Sendable () -> Date = { Date() }) throws(TokenStoreError) {
        self.now = now
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var options = Environment.Options()
            options.mapSize = 16 << 20
            options.fileMode = 0o600
            environment = try Environment(path: directory, options: options)
            tokens = try environment.openDatabase("tokens", flags: [.create])
        } catch {
            throw TokenStoreError("cannot open the token store in \(directory): \(error)")
        }
    }

    /// Closes the environment.
    public func close() {
        environment.close()
    }

    /// Makes a token for `holder` that expires `lifetime` seconds from now (90 days by
    /// default) and returns the token itself, which is shown only now.
    public func create(
        for holder: AccessToken.Holder,
        name: String,
        lifetime: TimeInterval = AccessToken.defaultLifetime
    ) throws(TokenStoreError) -> (token: String, record: AccessToken) {
        let (token, record) = Self.newToken(for: holder, name: name, at: now(), lifetime: lifetime, rotatedFrom: nil)
        try write { txn in try txn.put(try Self.encode(record), for: Self.digest(token), in: tokens) }
        return (token, record)
    }

    /// Whether `record` has expired by the store's clock.
    public func hasExpired(_ record: AccessToken) -> Bool {
        record.expiresAt <= now()
    }

    /// Makes a new token for the holder of the token `id`, with its name, expiring `lifetime`
    /// seconds from now, and retires the old one: revoked at once when `grace` is zero, else
    /// left valid for `grace` seconds more (never longer than it already had), so the services
    /// using it can switch over. An expired token may be rotated; a revoked one may not.
    ///
    /// - Returns: the new token (shown only now), its record and the old one's; `nil` when no
    ///   token has that id.
    /// - Throws: `TokenStoreError` when the token was revoked or the store cannot be written.
    public func rotate(
        id: String,
        lifetime: TimeInterval = AccessToken.defaultLifetime,
        grace: TimeInterval = 0
    ) throws(TokenStoreError) -> (token: String, record: AccessToken, previous: AccessToken)? {
        let time = now()
        var rotated: (token: String, record: AccessToken, previous: AccessToken)?
        var revokedAlready: AccessToken?
        try write { txn in
            guard let (key, old) = try Self.find(id: id, in: txn, tokens) else { return }
            guard old.revokedAt == nil else {
                revokedAlready = old
                return
            }
            var previous = old
            if grace > 0 {
                previous.expiresAt = min(previous.expiresAt, time.addingTimeInterval(grace))
            } else {
                previous.revokedAt = time
            }
            let (token, record) = Self.newToken(
                for: old.holder,
                name: old.name,
                at: time,
                lifetime: lifetime,
                rotatedFrom: old.id
            )
            try txn.put(try Self.encode(previous), for: key, in: tokens)
            try txn.put(try Self.encode(record), for: Self.digest(token), in: tokens)
            rotated = (token, record, previous)
        }
        if let revokedAlready {
            throw TokenStoreError("token \(revokedAlready.id) was revoked; create a new one instead")
        }
        return rotated
    }

    /// The record of `token`, revoked or not; `nil` when the store never made it.
    public func lookUp(_ token: String) throws(TokenStoreError) -> AccessToken? {
        let digest = Self.digest(token)
        do {
            let stored = try environment.withReadTransaction { txn in try txn.get(digest, in: tokens).map { Array($0) }
            }
            guard let stored else { return nil }
            if let known = decoded.withLock({ $0[digest] }), known.stored == stored { return known.record }
            let record = try stored.withUnsafeBytes { try Self.decode($0) }
            decoded.withLock { decoded in
                if decoded.count >= Self.decodedLimit { decoded.removeAll() }
                decoded[digest] = (stored, record)
            }
            return record
        } catch {
            throw TokenStoreError("cannot read the token store: \(error)")
        }
    }

    /// Every token, oldest first.
    public func all() throws(TokenStoreError) -> [AccessToken] {
        do {
            return try environment.withReadTransaction { txn in
                try txn.withCursor(tokens) { cursor in
                    var records: [AccessToken] = []
                    var entry = try cursor.first()
                    while let current = entry {
                        records.append(try Self.decode(current.value))
                        entry = try cursor.next()
                    }
                    return records.sorted { $0.createdAt < $1.createdAt }
                }
            }
        } catch {
            throw TokenStoreError("cannot read the token store: \(error)")
        }
    }

    /// Revokes the token with `id`; returns its record, `nil` when there is none.
    public func revoke(id: String) throws(TokenStoreError) -> AccessToken? {
        var revoked: AccessToken?
        let time = now()
        try write { txn in
            guard let (key, found) = try Self.find(id: id, in: txn, tokens) else { return }
            var record = found
            if record.revokedAt == nil { record.revokedAt = time }
            revoked = record
            try txn.put(try Self.encode(record), for: key, in: tokens)
        }
        return revoked
    }

    /// The key and record of the token `id` (tokens are few: a scan is enough).
    private static func find(
        id: String,
        in txn: borrowing WriteTransaction,
        _ tokens: Database
    ) throws -> ([UInt8], AccessToken)? {
        try txn.withCursor(tokens) { cursor in
            var entry = try cursor.first()
            while let current = entry {
                let record = try decode(current.value)
                if record.id == id { return (Array(current.key), record) }
                entry = try cursor.next()
            }
            return nil
        }
    }

    private static func newToken(
        for holder: AccessToken.Holder,
        name: String,
        at time: Date,
        lifetime: TimeInterval,
        rotatedFrom: String?
    ) -> (token: String, record: AccessToken) {
        var random = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        let token =
            "rpt_"
            + Data(secret).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
                of: "=",
                with: ""
            )
        let record = AccessToken(
            id: String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)),
            holder: holder,
            name: name,
            createdAt: time,
            expiresAt: time.addingTimeInterval(lifetime),
            rotatedFrom: rotatedFrom
        )
        return (token, record)
    }

    private func write(_ body: (borrowing WriteTransaction) throws -> Void) throws(TokenStoreError) {
        do {
            try environment.withWriteTransaction(body)
        } catch {
            throw TokenStoreError("cannot write the token store: \(error)")
        }
    }

    private static func digest(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(token.utf8)))
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer) throws -> AccessToken {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(AccessToken.self, from: Data(bytes))
    }

    private static func encode(_ record: AccessToken) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(record))
    }
}

/// The token store cannot be opened, read or written.
public struct TokenStoreError: Error, Sendable, CustomStringConvertible {
    /// What failed.
    public var message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
