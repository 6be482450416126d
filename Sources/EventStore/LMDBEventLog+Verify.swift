import Crypto
import LMDB

/// What ``LMDBEventLog/verify(progress:)`` found.
public struct ChainVerification: Sendable {
    /// Records checked, up to the first problem or the end.
    public var eventsChecked: UInt64
    /// The last good position and its hash.
    public var verifiedHead: LogHead
    /// The first problem, or `nil` when the whole chain holds.
    public var problem: ChainProblem?

    /// Whether the whole chain holds.
    public var isIntact: Bool { problem == nil }
}

/// The first point at which the log stops being what was appended.
public struct ChainProblem: Sendable, Hashable, CustomStringConvertible {
    /// The kind of damage.
    public enum Kind: String, Sendable, Hashable {
        /// A position is missing: the log has a gap.
        case gap
        /// The record's bytes are not a well-formed envelope.
        case undecodable
        /// The record says it is at another position than where it is stored.
        case misplaced
        /// The record's hash does not follow from the previous hash and its bytes: altered.
        case hashMismatch
        /// The recorded-at time goes backwards.
        case timeReversed
    }

    /// The first bad position.
    public var position: UInt64
    /// What is wrong there.
    public var kind: Kind
    /// The details.
    public var detail: String

    public var description: String { "position \(position): \(kind.rawValue): \(detail)" }
}

/// Progress of a long walk through the log.
public struct ScanProgress: Sendable {
    /// Events done.
    public var done: UInt64
    /// Events in all.
    public var total: UInt64
}

extension LMDBEventLog {
    /// Walks the hash chain from the first event and reports the first position where it
    /// breaks: a gap, an undecodable or misplaced record, or bytes that were altered.
    ///
    /// - Parameter progress: called every 65,536 events.
    public func verify(progress: ((ScanProgress) -> Void)? = nil) throws(EventStoreError) -> ChainVerification {
        try read("verifying the log") { txn in
            let total = try storage.head(in: txn).position
            var previous = [UInt8](ChainHash.genesis.bytes)
            var previousTime = Timestamp(nanosecondsSinceEpoch: .min)
            var checked: UInt64 = 0
            var computed = [UInt8](repeating: 0, count: RecordFormat.hashSize)
            func result(_ problem: ChainProblem?) -> ChainVerification {
                ChainVerification(
                    eventsChecked: checked,
                    verifiedHead: LogHead(position: checked, hash: ChainHash(bytes: previous), recordedAt: previousTime),
                    problem: problem
                )
            }
            return try txn.withCursor(storage.events) { cursor in
                var entry = try cursor.first()
                while let current = entry {
                    let position = bigEndianUInt64(current.key)
                    let expected = checked + 1
                    guard position == expected else {
                        return result(ChainProblem(position: expected, kind: .gap, detail: "missing; the next record is at \(position)"))
                    }
                    do {
                        _ = try RecordView.fieldOffsets(of: current.value, expectedPosition: position)
                    } catch {
                        return result(ChainProblem(position: position, kind: .undecodable, detail: "\(error)"))
                    }
                    let view = try RecordView(bytes: current.value, expectedPosition: position)
                    guard view.position == position else {
                        return result(ChainProblem(position: position, kind: .misplaced, detail: "the record says position \(view.position)"))
                    }
                    previous.withUnsafeBytes { previousHash in
                        computed.withUnsafeMutableBytes { output in
                            RecordFormat.chainHash(previous: previousHash, canonical: view.canonicalBytes, into: output)
                        }
                    }
                    guard view.hashBytes.elementsEqual(computed) else {
                        return result(ChainProblem(position: position, kind: .hashMismatch, detail: "stored hash does not match the record's bytes and the chain before it"))
                    }
                    guard view.recordedAt >= previousTime else {
                        return result(ChainProblem(position: position, kind: .timeReversed, detail: "recorded at \(view.recordedAt), before \(previousTime)"))
                    }
                    swap(&previous, &computed)
                    previousTime = view.recordedAt
                    checked = position
                    if checked & 0xFFFF == 0 { progress?(ScanProgress(done: checked, total: total)) }
                    entry = try cursor.next()
                }
                progress?(ScanProgress(done: checked, total: total))
                return result(nil)
            }
        }
    }
}
