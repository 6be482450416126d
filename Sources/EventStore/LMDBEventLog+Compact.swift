import LMDB
import Zstd

/// What ``LMDBEventLog/compact(_:progress:)`` seals.
public struct CompactionOptions: Sendable {
    /// The last position to seal; `nil` seals everything but the hot tail.
    public var through: UInt64?
    /// Events at the head that stay hot (uncompressed); at least one always does.
    public var keepHot: UInt64 = 65_536
    /// Records per chunk: more compress better, fewer make a random read cheaper.
    public var chunkEvents = 256
    /// The zstd level of the chunks.
    public var level: Int32 = 3

    /// Seals everything but the last 65,536 events, 256 records to a chunk.
    public init() {}
}

extension LMDBEventLog {
    /// The most uncompressed bytes one chunk takes, so a run of large events still makes
    /// chunks a read can open cheaply.
    static let maxChunkBytes = 1 << 20
    /// Chunks sealed per transaction: each commit moves this many from hot to sealed, so an
    /// interrupted compaction keeps all it committed and appends wait at most one commit.
    static let chunksPerCommit = 64

    /// Seals the cold part of the log into zstd chunks compressed with a dictionary trained on
    /// it, and records a ``CompactionManifest``.
    ///
    /// The range starts after the last sealed position. Its records move from the hot table
    /// into chunks byte for byte, so reads and the chain are unchanged; before sealing, the
    /// chain is checked across the range, and a break refuses the compaction with nothing
    /// sealed from the transaction that found it. Appends may run meanwhile: the head is never
    /// sealed. The file does not shrink by itself; ``reclaimSpace(in:)`` does that.
    ///
    /// - Returns: the manifest, or `nil` when there was nothing to seal.
    /// - Throws: `EventStoreError` `.readOnly`, `.corruptRecord` (a break in the range) or
    ///   `.storage`.
    public func compact(
        _ options: CompactionOptions = CompactionOptions(),
        progress: ((ScanProgress) -> Void)? = nil
    ) throws(EventStoreError) -> CompactionManifest? {
        guard writer != nil else { throw EventStoreError(.readOnly, "compaction needs the log opened for writing") }
        let range = try read("planning a compaction") { txn -> ClosedRange<UInt64>? in
            let head = try storage.head(in: txn).position
            let through = min(options.through ?? .max, head - min(head, max(options.keepHot, 1)))
            let from = try storage.sealedThrough(in: txn) + 1
            return from <= through ? from...through : nil
        }
        guard let range else { return nil }
        let dictionary = try trainDictionary(on: range)
        let compressor: ZstdCompressor
        do {
            compressor = try ZstdCompressor(level: options.level, dictionary: dictionary)
        } catch {
            throw EventStoreError(.storage, "cannot set up compression: \(error)")
        }
        var sealer = RangeSealer(range: range, dictionary: dictionary, chunkEvents: max(options.chunkEvents, 1))
        while !sealer.isDone {
            do {
                try storage.environment.withWriteTransaction { txn in
                    try sealer.sealNextChunks(Self.chunksPerCommit, storage: storage, compressor: compressor, in: txn)
                }
            } catch {
                throw Self.wrap(error, while: "sealing positions \(range.lowerBound)–\(range.upperBound)")
            }
            sealer.committed()
            progress?(ScanProgress(done: sealer.sealed - range.lowerBound + 1, total: UInt64(range.count)))
        }
        return sealer.manifest
    }

    /// A dictionary trained on records sampled evenly across `range`, or `nil` when the range
    /// is too small to train one (its chunks are then compressed without).
    private func trainDictionary(on range: ClosedRange<UInt64>) throws(EventStoreError) -> ZstdDictionary? {
        let sampleCount: UInt64 = 20_000
        guard range.count >= 1_000 else { return nil }
        let step = max(1, UInt64(range.count) / sampleCount)
        var samples: [[UInt8]] = []
        try read("sampling records to train a dictionary") { txn in
            try storage.walkRecords(from: range.lowerBound, direction: .forward, in: txn) { position, bytes in
                guard position <= range.upperBound else { return false }
                if (position - range.lowerBound) % step == 0 { samples.append(Array(bytes)) }
                return true
            }
        }
        return try? ZstdDictionary.train(samples: samples)
    }
}

/// Seals a range chunk by chunk across transactions, keeping what a manifest needs.
private struct RangeSealer {
    let range: ClosedRange<UInt64>
    let dictionary: ZstdDictionary?
    let chunkEvents: Int
    /// The last position sealed by a committed transaction.
    private(set) var sealed: UInt64
    /// The manifest as of the last committed transaction.
    private(set) var manifest: CompactionManifest?
    /// The manifest being built by the open transaction.
    private var pending: CompactionManifest?
    private let startedAt = Timestamp.now()

    init(range: ClosedRange<UInt64>, dictionary: ZstdDictionary?, chunkEvents: Int) {
        self.range = range
        self.dictionary = dictionary
        self.chunkEvents = chunkEvents
        sealed = range.lowerBound - 1
    }

    var isDone: Bool { sealed == range.upperBound }

    /// Makes the open transaction's progress the committed one.
    mutating func committed() {
        if let pending {
            manifest = pending
            sealed = pending.through
        }
    }

    /// Seals up to `count` chunks after the last committed position, in `txn`.
    ///
    /// Runs again from the last commit when LMDB retries the transaction (a grown map), so it
    /// only reads `sealed` and `manifest`, which change on commit.
    mutating func sealNextChunks(
        _ count: Int,
        storage: LogStorage,
        compressor: ZstdCompressor,
        in txn: borrowing WriteTransaction
    ) throws {
        guard let chunks = storage.chunks, let dictionaries = storage.dictionaries,
            let compactions = storage.compactions
        else {
            throw EventStoreError(.readOnly, "the log was opened without its sealed tables")
        }
        var manifest = try manifest ?? startManifest(storage: storage, in: txn)
        if manifest.chunks == 0 {
            if let dictionary {
                try withUnsafeBytes(of: dictionary.id.bigEndian) { key in
                    // zstd derives the id from the content: another dictionary under the same id
                    // would make the chunks sealed with it unreadable, so it is never replaced.
                    if let stored = try txn.get(key, in: dictionaries) {
                        guard stored.elementsEqual(dictionary.bytes) else {
                            throw EventStoreError(
                                .storage,
                                "a dictionary with id \(dictionary.id) is stored already; run the compaction again"
                            )
                        }
                        return
                    }
                    try dictionary.bytes.withUnsafeBytes { try txn.put($0, for: key, in: dictionaries) }
                }
            }
            try txn.put(
                withUnsafeBytes(of: LogStorage.sealedFormatVersion.littleEndian, Array.init),
                for: Array("format".utf8),
                in: storage.meta
            )
        }
        var chainHash = manifest.hashAfter.bytes
        var next = manifest.through + 1
        for _ in 0..<count where next <= range.upperBound {
            let (chunk, last, recordBytes) = try sealChunk(
                from: next,
                previousHash: &chainHash,
                storage: storage,
                compressor: compressor,
                in: txn
            )
            try withBigEndian(next) { key in try chunk.withUnsafeBytes { try txn.put($0, for: key, in: chunks) } }
            for position in next...last {
                _ = try withBigEndian(position) { try txn.delete($0, in: storage.events) }
            }
            manifest.chunks += 1
            manifest.recordBytes += UInt64(recordBytes)
            manifest.sealedBytes += UInt64(chunk.count)
            manifest.through = last
            next = last + 1
        }
        manifest.hashAfter = ChainHash(bytes: chainHash)
        try withBigEndian(range.lowerBound) { key in
            try manifest.encoded().withUnsafeBytes { try txn.put($0, for: key, in: compactions) }
        }
        pending = manifest
    }

    /// The manifest of an empty start: nothing sealed yet, the chain hash before the range.
    private func startManifest(storage: LogStorage, in txn: borrowing WriteTransaction) throws -> CompactionManifest {
        var before = ChainHash.genesis
        if range.lowerBound > 1 {
            guard
                let hash = try storage.withRecord(
                    at: range.lowerBound - 1,
                    in: txn,
                    { ChainHash(bytes: Array($0.hashBytes)) }
                )
            else {
                throw EventStoreError.corruptRecord(at: range.lowerBound - 1, "missing before the range to seal")
            }
            before = hash
        }
        return CompactionManifest(
            from: range.lowerBound,
            through: range.lowerBound - 1,
            chunks: 0,
            dictionaryID: dictionary?.id ?? 0,
            hashBefore: before,
            hashAfter: before,
            recordBytes: 0,
            sealedBytes: 0,
            compactedAt: startedAt
        )
    }

    /// Reads the hot records from `first`, checks that they continue the chain, and seals them
    /// into one chunk's bytes.
    private func sealChunk(
        from first: UInt64,
        previousHash: inout [UInt8],
        storage: LogStorage,
        compressor: ZstdCompressor,
        in txn: borrowing WriteTransaction
    ) throws -> (chunk: [UInt8], last: UInt64, recordBytes: Int) {
        try txn.withCursor(storage.events) { cursor in
            var records: [UnsafeRawBufferPointer] = []
            var bytes = 0
            var computed = [UInt8](repeating: 0, count: RecordFormat.hashSize)
            var entry = try withBigEndian(first) { try cursor.seek($0) }
            var position = first
            while let current = entry, records.count < chunkEvents, position <= range.upperBound,
                records.isEmpty || bytes + current.value.count <= LMDBEventLog.maxChunkBytes
            {
                guard bigEndianUInt64(current.key) == position else {
                    throw EventStoreError.corruptRecord(
                        at: position,
                        "missing from the hot table; nothing past it can be sealed"
                    )
                }
                let view = try RecordView(bytes: current.value, expectedPosition: position)
                previousHash.withUnsafeBytes { previous in
                    computed.withUnsafeMutableBytes {
                        RecordFormat.chainHash(previous: previous, canonical: view.canonicalBytes, into: $0)
                    }
                }
                guard view.position == position, view.hashBytes.elementsEqual(computed) else {
                    throw EventStoreError.corruptRecord(
                        at: position,
                        "the chain breaks here (run `rapport verify`); nothing past it is sealed"
                    )
                }
                swap(&previousHash, &computed)
                records.append(current.value)
                bytes += current.value.count
                position += 1
                entry = try cursor.next()
            }
            guard !records.isEmpty else {
                throw EventStoreError.corruptRecord(
                    at: first,
                    "missing from the hot table; nothing past it can be sealed"
                )
            }
            let chunk = try SealedChunk.seal(records, with: compressor, dictionaryID: dictionary?.id ?? 0)
            return (chunk, position - 1, bytes)
        }
    }
}
