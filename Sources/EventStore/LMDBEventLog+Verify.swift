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
        /// A compaction manifest does not match the sealed records: a range missing, or the
        /// chain hash at one of its ends differs from the one recorded when it was sealed.
        case manifestMismatch
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
    /// breaks: a gap, an undecodable or misplaced record, bytes that were altered, or a sealed
    /// range that does not match its compaction manifest.
    ///
    /// - Parameter progress: called every 65,536 events.
    public func verify(progress: ((ScanProgress) -> Void)? = nil) throws(EventStoreError) -> ChainVerification {
        try read("verifying the log") { txn in
            let total = try storage.head(in: txn).position
            var walk = ChainWalk()
            let manifests: ManifestChecks
            do {
                manifests = ManifestChecks(
                    try storage.manifests(in: txn),
                    sealedThrough: try storage.sealedThrough(in: txn)
                )
            } catch let error as EventStoreError {
                // A damaged manifest, or a last chunk whose header cannot be read.
                let kind: ChainProblem.Kind = error.position == nil ? .manifestMismatch : .undecodable
                return walk.result(ChainProblem(position: error.position ?? 1, kind: kind, detail: error.message))
            }
            if let problem = manifests.problem { return walk.result(problem) }
            do {
                try storage.walkRecords(from: 1, direction: .forward, in: txn) { position, bytes in
                    if let problem = walk.check(position, bytes) ?? manifests.check(position, hash: walk.previous) {
                        walk.problem = problem
                        return false
                    }
                    if position & 0xFFFF == 0 { progress?(ScanProgress(done: position, total: total)) }
                    return true
                }
            } catch let error as EventStoreError where error.code == .corruptRecord {
                // A sealed chunk that cannot be opened: everything in it is unreadable.
                return walk.result(
                    ChainProblem(
                        position: error.position ?? walk.checked + 1,
                        kind: .undecodable,
                        detail: error.message
                    )
                )
            }
            if walk.problem == nil, let missing = manifests.unreached(after: walk.checked) { walk.problem = missing }
            progress?(ScanProgress(done: walk.checked, total: total))
            return walk.result(walk.problem)
        }
    }
}

/// The state of a walk along the chain: the last good position, its hash and time.
private struct ChainWalk {
    var previous = [UInt8](ChainHash.genesis.bytes)
    var previousTime = Timestamp(nanosecondsSinceEpoch: .min)
    var checked: UInt64 = 0
    var problem: ChainProblem?
    private var computed = [UInt8](repeating: 0, count: RecordFormat.hashSize)

    /// Checks the record stored at `position` against the chain so far and, when it holds,
    /// makes it the last good one.
    mutating func check(_ position: UInt64, _ bytes: UnsafeRawBufferPointer) -> ChainProblem? {
        let expected = checked + 1
        guard position == expected else {
            return ChainProblem(position: expected, kind: .gap, detail: "missing; the next record is at \(position)")
        }
        do {
            return check(try RecordView(bytes: bytes, expectedPosition: position), at: position)
        } catch {
            return ChainProblem(position: position, kind: .undecodable, detail: "\(error)")
        }
    }

    private mutating func check(_ view: borrowing RecordView, at position: UInt64) -> ChainProblem? {
        guard view.position == position else {
            return ChainProblem(
                position: position,
                kind: .misplaced,
                detail: "the record says position \(view.position)"
            )
        }
        previous.withUnsafeBytes { previousHash in
            computed.withUnsafeMutableBytes { output in
                RecordFormat.chainHash(previous: previousHash, canonical: view.canonicalBytes, into: output)
            }
        }
        guard view.hashBytes.elementsEqual(computed) else {
            return ChainProblem(
                position: position,
                kind: .hashMismatch,
                detail: "stored hash does not match the record's bytes and the chain before it"
            )
        }
        guard view.recordedAt >= previousTime else {
            return ChainProblem(
                position: position,
                kind: .timeReversed,
                detail: "recorded at \(view.recordedAt), before \(previousTime)"
            )
        }
        swap(&previous, &computed)
        previousTime = view.recordedAt
        checked = position
        return nil
    }

    func result(_ problem: ChainProblem?) -> ChainVerification {
        ChainVerification(
            eventsChecked: checked,
            verifiedHead: LogHead(position: checked, hash: ChainHash(bytes: previous), recordedAt: previousTime),
            problem: problem
        )
    }
}

/// What the compaction manifests promise about the chain: at each sealed range's ends, the
/// hash recorded when it was sealed.
private struct ManifestChecks {
    /// A problem found in the manifests themselves, before any record is read.
    private(set) var problem: ChainProblem?
    /// The hash the chain must have at a position, and the manifest that says so.
    private var expectedHashes: [UInt64: (hash: ChainHash, range: String)] = [:]
    private let lastPromised: UInt64

    init(_ manifests: [CompactionManifest], sealedThrough: UInt64) {
        var next: UInt64 = 1
        for manifest in manifests {
            let range = "the compaction of positions \(manifest.from)–\(manifest.through)"
            guard manifest.from == next, manifest.through >= manifest.from else {
                problem = ChainProblem(
                    position: next,
                    kind: .manifestMismatch,
                    detail: "\(range) does not follow the sealed range before it"
                )
                break
            }
            if manifest.from == 1 {
                if manifest.hashBefore != .genesis {
                    problem = ChainProblem(
                        position: 1,
                        kind: .manifestMismatch,
                        detail: "\(range) records a hash before the first event"
                    )
                    break
                }
            } else if let before = expectedHashes[manifest.from - 1], before.hash != manifest.hashBefore {
                problem = ChainProblem(
                    position: manifest.from - 1,
                    kind: .manifestMismatch,
                    detail: "\(range) and \(before.range) disagree on the hash here"
                )
                break
            }
            guard manifest.through < .max else {
                problem = ChainProblem(
                    position: manifest.from,
                    kind: .manifestMismatch,
                    detail: "\(range) ends at an impossible position"
                )
                break
            }
            expectedHashes[manifest.through] = (manifest.hashAfter, range)
            next = manifest.through + 1
        }
        lastPromised = next - 1
        if problem == nil, lastPromised != sealedThrough {
            problem = ChainProblem(
                position: min(lastPromised, sealedThrough) + 1,
                kind: .manifestMismatch,
                detail:
                    "the manifests describe positions up to \(lastPromised) but chunks are sealed up to \(sealedThrough)"
            )
        }
    }

    /// Checks the chain's hash at `position` against what a manifest recorded there.
    func check(_ position: UInt64, hash: [UInt8]) -> ChainProblem? {
        guard let expected = expectedHashes[position], !expected.hash.bytes.elementsEqual(hash) else { return nil }
        return ChainProblem(
            position: position,
            kind: .manifestMismatch,
            detail: "the chain hash here differs from the one \(expected.range) recorded"
        )
    }

    /// A manifest's range the walk never reached.
    func unreached(after checked: UInt64) -> ChainProblem? {
        guard checked < lastPromised else { return nil }
        return ChainProblem(position: checked + 1, kind: .gap, detail: "sealed by a compaction but missing")
    }
}
