/// What one compaction sealed: a range of positions, how many bytes it took before and after,
/// and the chain hashes at both ends, which `verify` checks against the sealed records.
///
/// Stored in the `compactions` database under the big-endian first position. A compaction
/// that is interrupted leaves a manifest describing exactly the chunks it committed, because
/// each of its transactions seals chunks and updates the manifest together.
public struct CompactionManifest: Sendable, Hashable {
    /// The first sealed position.
    public var from: UInt64
    /// The last sealed position.
    public var through: UInt64
    /// The number of chunks the range was sealed into.
    public var chunks: UInt64
    /// The id of the dictionary the chunks were compressed with (0: none).
    public var dictionaryID: UInt32
    /// The chain hash before `from` (the genesis hash when `from` is 1).
    public var hashBefore: ChainHash
    /// The chain hash at `through`.
    public var hashAfter: ChainHash
    /// The bytes of the records before sealing.
    public var recordBytes: UInt64
    /// The bytes of the sealed chunks.
    public var sealedBytes: UInt64
    /// When the compaction ran.
    public var compactedAt: Timestamp

    /// The number of events sealed.
    public var events: UInt64 { through - from + 1 }

    /// Sealed bytes as a fraction of the records' bytes.
    public var ratio: Double { recordBytes == 0 ? 0 : Double(sealedBytes) / Double(recordBytes) }

    static let encodedSize = 8 * 3 + 4 + 32 * 2 + 8 * 3

    func encoded() -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.encodedSize)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        append(from)
        append(through)
        append(chunks)
        append(dictionaryID)
        bytes.append(contentsOf: hashBefore.bytes)
        bytes.append(contentsOf: hashAfter.bytes)
        append(recordBytes)
        append(sealedBytes)
        append(compactedAt.nanosecondsSinceEpoch)
        return bytes
    }

    init(
        from: UInt64,
        through: UInt64,
        chunks: UInt64,
        dictionaryID: UInt32,
        hashBefore: ChainHash,
        hashAfter: ChainHash,
        recordBytes: UInt64,
        sealedBytes: UInt64,
        compactedAt: Timestamp
    ) {
        self.from = from
        self.through = through
        self.chunks = chunks
        self.dictionaryID = dictionaryID
        self.hashBefore = hashBefore
        self.hashAfter = hashAfter
        self.recordBytes = recordBytes
        self.sealedBytes = sealedBytes
        self.compactedAt = compactedAt
    }

    /// Decodes a stored manifest.
    ///
    /// - Throws: `.corruptRecord` when the bytes are not ``encodedSize`` long or describe no
    ///   range of positions (`from` is 0 or past `through`).
    init(decoding bytes: UnsafeRawBufferPointer) throws(EventStoreError) {
        guard bytes.count == Self.encodedSize else {
            throw EventStoreError(
                .corruptRecord,
                "a compaction manifest holds \(bytes.count) bytes, not \(Self.encodedSize)"
            )
        }
        var offset = 0
        func next<T: FixedWidthInteger>(_: T.Type) -> T {
            defer { offset += MemoryLayout<T>.size }
            return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        func hash() -> ChainHash {
            defer { offset += 32 }
            return ChainHash(bytes: Array(bytes[offset..<offset + 32]))
        }
        from = next(UInt64.self)
        through = next(UInt64.self)
        chunks = next(UInt64.self)
        dictionaryID = next(UInt32.self)
        hashBefore = hash()
        hashAfter = hash()
        recordBytes = next(UInt64.self)
        sealedBytes = next(UInt64.self)
        compactedAt = Timestamp(nanosecondsSinceEpoch: next(Int64.self))
        // `events` is `through - from + 1`: a range that is empty or starts at 0 would trap there.
        guard from > 0, through >= from else {
            throw EventStoreError(
                .corruptRecord,
                "a compaction manifest describes positions \(from)–\(through), which is no range of the log"
            )
        }
    }
}
