public import Crypto
import Foundation

/// Reads and writes Ed25519 keys as files: PEM (PKCS #8 private keys, SubjectPublicKeyInfo
/// public keys, as `openssl genpkey -algorithm ed25519` writes them) or the raw 32 bytes.
public enum SigningKeyFile {
    /// DER before the 32 key bytes of an Ed25519 PKCS #8 private key.
    private static let privatePrefix: [UInt8] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    /// DER before the 32 key bytes of an Ed25519 SubjectPublicKeyInfo.
    private static let publicPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// Reads a private key from a PEM or raw file.
    ///
    /// - Throws: `CheckpointError` `.unreadable` or `.invalidKey`.
    public static func readPrivateKey(_ path: String) throws(CheckpointError) -> Curve25519.Signing.PrivateKey {
        let raw = try keyBytes(path, label: "PRIVATE KEY", prefix: privatePrefix)
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        } catch {
            throw CheckpointError(.invalidKey, "\(path) is not an Ed25519 private key")
        }
    }

    /// Reads a public key from a PEM, raw or base64 file.
    ///
    /// - Throws: `CheckpointError` `.unreadable` or `.invalidKey`.
    public static func readPublicKey(_ path: String) throws(CheckpointError) -> Curve25519.Signing.PublicKey {
        let raw = try keyBytes(path, label: "PUBLIC KEY", prefix: publicPrefix)
        do {
            return try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        } catch {
            throw CheckpointError(.invalidKey, "\(path) is not an Ed25519 public key")
        }
    }

    /// Creates a key, writes it to `path` as PEM readable by its owner only (0600), and its
    /// public key to `path.pub`.
    ///
    /// - Throws: `CheckpointError` `.keyExists` when `path` exists (it is never overwritten),
    ///   `.unreadable` when a file cannot be written.
    public static func createPrivateKey(at path: String) throws(CheckpointError) -> Curve25519.Signing.PrivateKey {
        let key = Curve25519.Signing.PrivateKey()
        let privatePEM = pem("PRIVATE KEY", privatePrefix + key.rawRepresentation)
        if FileManager.default.fileExists(atPath: path) {
            throw CheckpointError(.keyExists, "\(path) exists; a key is never overwritten")
        }
        do {
            try BackupFile.create(path, holding: Array(privatePEM), mode: 0o600)
        } catch {
            throw CheckpointError(.unreadable, error.message)
        }
        do {
            // A public key left from an earlier key is replaced, never kept beside the new one.
            unlink(path + ".pub")
            try BackupFile.create(
                path + ".pub",
                holding: Array(pem("PUBLIC KEY", publicPrefix + key.publicKey.rawRepresentation))
            )
        } catch {
            // Without its public key the new key is of no use to an auditor; leave none.
            unlink(path)
            throw CheckpointError(.unreadable, error.message)
        }
        return key
    }

    /// The 32 key bytes of a PEM file with `label`, a raw 32-byte file, or 32 bytes in base64.
    private static func keyBytes(_ path: String, label: String, prefix: [UInt8]) throws(CheckpointError) -> Data {
        let contents: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            contents = try handle.readToEnd() ?? Data()
        } catch {
            throw CheckpointError(.unreadable, "cannot read the key \(path): \(error.systemReason)")
        }
        if contents.count == 32 { return contents }
        let text = String(decoding: contents, as: UTF8.self)
        if text.contains("-----BEGIN \(label)-----") {
            let body = text.components(separatedBy: "\n").filter { !$0.hasPrefix("-----") }.joined()
            guard let der = Data(base64Encoded: body.trimmingCharacters(in: .whitespacesAndNewlines)),
                der.count == prefix.count + 32, der.starts(with: prefix)
            else {
                throw CheckpointError(.invalidKey, "\(path) holds a \(label) that is not an Ed25519 key")
            }
            return der.suffix(32)
        }
        if let decoded = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), decoded.count == 32
        {
            return decoded
        }
        throw CheckpointError(
            .invalidKey,
            "\(path) is not an Ed25519 \(label.lowercased()) (PEM, raw 32 bytes or base64)"
        )
    }

    private static func pem(_ label: String, _ der: [UInt8]) -> Data {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return Data("-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n".utf8)
    }
}
