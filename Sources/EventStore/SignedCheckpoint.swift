public import Crypto
public import Foundation

/// A head of the log signed with Ed25519: the proof an auditor keeps that the log held this
/// position with this chain hash at this time, so that a later copy can be shown to extend it.
///
/// Stored as JSON. The signature covers ``signedMessage``, four lines of text an auditor can
/// rebuild and check with any Ed25519 tool:
///
/// ```
/// rapport checkpoint v1
/// position 1144673
/// hash 9f2c…(64 hex digits)
/// signedAt 2026-11-24T20:42:04Z
/// ```
public struct SignedCheckpoint: Codable, Sendable, Hashable {
    /// The file format's name, to recognise a checkpoint file.
    public static let formatName = "rapport-checkpoint"

    /// Always ``formatName``.
    public var format: String
    /// The file format version; 1.
    public var version: Int
    /// The signed position (the head when signed).
    public var position: UInt64
    /// The chain hash at `position`, 64 lowercase hex digits.
    public var hash: String
    /// When it was signed, ISO 8601 in UTC to the second.
    public var signedAt: String
    /// The signer's Ed25519 public key, raw 32 bytes in base64.
    public var publicKey: String
    /// The Ed25519 signature of ``signedMessage``, 64 bytes in base64.
    public var signature: String

    /// The bytes the signature covers.
    public var signedMessage: Data {
        Data("rapport checkpoint v\(version)\nposition \(position)\nhash \(hash)\nsignedAt \(signedAt)\n".utf8)
    }

    /// Signs `head` with `key` at `date`.
    public init(
        signing head: LogHead,
        with key: Curve25519.Signing.PrivateKey,
        at date: Date = Date()
    ) throws(CheckpointError) {
        format = Self.formatName
        version = 1
        position = head.position
        hash = head.hash.hex
        signedAt = date.formatted(.iso8601)
        publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        signature = ""
        do {
            signature = try key.signature(for: signedMessage).base64EncodedString()
        } catch {
            throw CheckpointError(.invalidKey, "signing failed: \(error)")
        }
    }

    /// The checkpoint's chain hash, or `nil` when the file holds no valid one.
    public var chainHash: ChainHash? { ChainHash(hex: hash) }

    /// The public key named in the checkpoint, or `nil` when it is not a valid key.
    public var signer: Curve25519.Signing.PublicKey? {
        Data(base64Encoded: publicKey).flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
    }

    /// Whether `key` (by default the key the checkpoint names) signed exactly these fields.
    public func isSignatureValid(for key: Curve25519.Signing.PublicKey? = nil) -> Bool {
        guard let key = key ?? signer, let signature = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(signature, for: signedMessage)
    }

    // MARK: - Files

    /// Reads a checkpoint file.
    ///
    /// - Throws: `CheckpointError` `.unreadable` for a missing file, `.invalidCheckpoint`
    ///   for one that is not a version-1 checkpoint.
    public init(contentsOf path: String) throws(CheckpointError) {
        let data: Data
        do {
            // Through a file handle, so that a pipe (`--against <(…)`) reads as well as a file.
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw CheckpointError(.unreadable, "cannot read the checkpoint \(path): \(error.systemReason)")
        }
        do {
            self = try JSONDecoder().decode(SignedCheckpoint.self, from: data)
        } catch {
            throw CheckpointError(.invalidCheckpoint, "\(path) is not a checkpoint file: \(error)")
        }
        guard format == Self.formatName, version == 1, chainHash != nil else {
            throw CheckpointError(
                .invalidCheckpoint,
                "\(path) is not a version-1 rapport checkpoint with a 64-digit hash"
            )
        }
    }

    /// Writes the checkpoint to `path`, replacing a file there only once the whole checkpoint
    /// is on disk: a write that fails (a full disk, a directory not writable) leaves nothing.
    ///
    /// - Throws: `CheckpointError` `.unreadable`, naming `path` and the system's reason.
    public func write(to path: String) throws(CheckpointError) {
        let partial = LogBackup.temporaryPath(beside: path, purpose: "partial")
        do {
            try BackupFile.create(partial, holding: Array(jsonData()))
        } catch {
            throw CheckpointError(.unreadable, "cannot write \(path): \(error.message)")
        }
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw CheckpointError(.unreadable, "cannot write \(path): \(reason)")
        }
    }

    /// The checkpoint as pretty JSON with sorted keys, ending in a newline.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }
}

/// Why a checkpoint, or a key for one, could not be made or read.
public struct CheckpointError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A file could not be read or written.
        public static let unreadable = Code(rawValue: "file_unreadable")
        /// The file is not a checkpoint.
        public static let invalidCheckpoint = Code(rawValue: "invalid_checkpoint")
        /// The file is not an Ed25519 key in a form Rapport reads.
        public static let invalidKey = Code(rawValue: "invalid_key")
        /// A new key would overwrite an existing file.
        public static let keyExists = Code(rawValue: "key_exists")
    }

    /// The stable reason.
    public var code: Code
    /// A sentence for people.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
