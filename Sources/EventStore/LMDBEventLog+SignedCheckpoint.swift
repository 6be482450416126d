public import Crypto

/// What ``LMDBEventLog/verify(against:trustedKey:)`` found.
public struct CheckpointVerification: Sendable {
    /// Why the log does not extend a checkpoint.
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// The signature does not match the checkpoint's fields: the file was edited, or it
        /// was not signed by the key it names.
        case badSignature
        /// The checkpoint was signed by another key than the one trusted.
        case wrongPublicKey(signer: String)
        /// The log ends before the checkpoint's position.
        case logShorter(head: UInt64, checkpoint: UInt64)
        /// The record at the checkpoint's position has another chain hash: history changed.
        case hashDiffers(position: UInt64, log: String, checkpoint: String)
        /// The chain itself breaks.
        case chainBroken(ChainProblem)

        public var description: String {
            switch self {
            case .badSignature:
                "bad signature: the checkpoint's fields are not what its key signed"
            case .wrongPublicKey(let signer):
                "wrong public key: the checkpoint was signed by \(signer), not by the trusted key"
            case .logShorter(let head, let checkpoint):
                "log shorter than the checkpoint: the head is \(head), the checkpoint is at \(checkpoint)"
            case .hashDiffers(let position, let log, let checkpoint):
                "hash differs at position \(position): the log has \(log), the checkpoint \(checkpoint)"
            case .chainBroken(let problem):
                "chain broken at \(problem)"
            }
        }
    }

    /// The checkpoint checked.
    public var checkpoint: SignedCheckpoint
    /// The log's head when checked.
    public var head: LogHead
    /// Events whose chain was walked.
    public var eventsChecked: UInt64
    /// The first problem found, or `nil` when the log extends the checkpoint.
    public var problem: Problem?
    /// Whether the signature was checked against a key the caller trusts, not only the key
    /// the checkpoint names.
    public var keyWasTrusted: Bool
}

extension LMDBEventLog {
    /// Proves the log still extends `checkpoint`: its signature holds, the record at its
    /// position has its chain hash, and the chain verifies from the first event to the head.
    ///
    /// - Parameters:
    ///   - checkpoint: a checkpoint signed earlier.
    ///   - trustedKey: the key the checkpoint must be signed with; without it the key named
    ///     in the checkpoint is used, which proves integrity but not who signed.
    ///   - progress: called during the chain walk.
    /// - Throws: `EventStoreError` when the log cannot be read; a log that does not extend the
    ///   checkpoint is a ``CheckpointVerification/problem``, not an error.
    public func verify(
        against checkpoint: SignedCheckpoint,
        trustedKey: Curve25519.Signing.PublicKey? = nil,
        progress: ((ScanProgress) -> Void)? = nil
    ) throws(EventStoreError) -> CheckpointVerification {
        let head = try head()
        var result = CheckpointVerification(
            checkpoint: checkpoint,
            head: head,
            eventsChecked: 0,
            problem: nil,
            keyWasTrusted: trustedKey != nil
        )
        if let trustedKey, checkpoint.signer?.rawRepresentation != trustedKey.rawRepresentation {
            result.problem = .wrongPublicKey(signer: checkpoint.publicKey)
            return result
        }
        guard checkpoint.isSignatureValid(for: trustedKey) else {
            result.problem = .badSignature
            return result
        }
        guard let hashAtCheckpoint = try chainHash(at: checkpoint.position) else {
            result.problem = .logShorter(head: head.position, checkpoint: checkpoint.position)
            return result
        }
        guard hashAtCheckpoint.hex == checkpoint.hash else {
            result.problem = .hashDiffers(
                position: checkpoint.position,
                log: hashAtCheckpoint.hex,
                checkpoint: checkpoint.hash
            )
            return result
        }
        let chain = try verify(progress: progress)
        result.eventsChecked = chain.eventsChecked
        if let problem = chain.problem { result.problem = .chainBroken(problem) }
        return result
    }
}
