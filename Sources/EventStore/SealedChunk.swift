import Synchronization
import Zstd

/// A run of consecutive records that `compact` sealed into one zstd frame.
///
/// Stored in the `chunks` database under the big-endian position of its first record:
///
/// | bytes   | field                                                              |
/// |---------|--------------------------------------------------------------------|
/// | 0       | chunk format (1)                                                   |
/// | 1..<5   | dictionary id, u32 little-endian (0: compressed without one)       |
/// | 5..<9   | record count, u32 little-endian                                    |
/// | 9...    | one zstd frame of, per record: u32 little-endian length ‖ the bytes |
///
/// The record bytes are exactly those the `events` database held (canonical bytes ‖ chain
/// hash), so sealing changes neither what a read returns nor the chain.
enum SealedChunk {
    static let format: UInt8 = 1
    static let headerSize = 9
    /// The most uncompressed bytes a chunk may claim; a damaged header claiming more is
    /// refused before anything is allocated.
    static let maxContentBytes = 256 << 20

    /// Seals `records` (stored record bytes, in position order) into a chunk value.
    static func seal(
        _ records: [UnsafeRawBufferPointer],
        with compressor: ZstdCompressor,
        dictionaryID: UInt32
    ) throws -> [UInt8] {
        var content = [UInt8]()
        content.reserveCapacity(records.reduce(0) { $0 + 4 + $1.count })
        for record in records {
            withUnsafeBytes(of: UInt32(record.count).littleEndian) { content.append(contentsOf: $0) }
            content.append(contentsOf: record)
        }
        var value = [format]
        withUnsafeBytes(of: dictionaryID.littleEndian) { value.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(records.count).littleEndian) { value.append(contentsOf: $0) }
        value.append(contentsOf: try compressor.compress(content))
        return value
    }

    /// A stored chunk's dictionary id and record count, after checking its header.
    static func header(
        of value: UnsafeRawBufferPointer,
        first: UInt64
    ) throws(EventStoreError) -> (dictionaryID: UInt32, count: UInt64) {
        guard value.count > headerSize, value[0] == format else {
            throw .corruptRecord(at: first, "the sealed chunk starting here has no valid header")
        }
        let dictionaryID = UInt32(littleEndian: value.loadUnaligned(fromByteOffset: 1, as: UInt32.self))
        let count = UInt32(littleEndian: value.loadUnaligned(fromByteOffset: 5, as: UInt32.self))
        guard count > 0 else {
            throw .corruptRecord(at: first, "the sealed chunk starting here says it holds no records")
        }
        return (dictionaryID, UInt64(count))
    }

    /// The positions a stored chunk claims: from `first`, the position it is stored under, for
    /// as many records as its header says.
    ///
    /// - Throws: `.corruptRecord` when the header is damaged, or the chunk is stored under
    ///   position 0 or would run past the last position a log can have.
    static func positions(
        of value: UnsafeRawBufferPointer,
        first: UInt64
    ) throws(EventStoreError) -> ClosedRange<UInt64> {
        let count = try header(of: value, first: first).count
        let (end, overflow) = first.addingReportingOverflow(count)
        guard first > 0, !overflow else {
            throw .corruptRecord(at: first, "the sealed chunk is stored under an impossible position")
        }
        return first...(end - 1)
    }
}

/// A sealed chunk, decompressed: its records addressable by position.
final class OpenedChunk {
    /// The position of the first record.
    let first: UInt64
    private let content: [UInt8]
    /// Where each record's bytes start and end in `content`.
    private let ranges: [Range<Int>]

    /// The position of the last record (checked not to overflow when the chunk was opened).
    var last: UInt64 { first + UInt64(ranges.count) - 1 }

    /// Decompresses a stored chunk and checks that its records fill the content exactly.
    init(value: UnsafeRawBufferPointer, first: UInt64, decompressor: ZstdDecompressor) throws(EventStoreError) {
        let count = try SealedChunk.header(of: value, first: first).count
        let frame = UnsafeRawBufferPointer(rebasing: value[SealedChunk.headerSize...])
        do {
            content = try decompressor.decompress(frame, limit: SealedChunk.maxContentBytes)
        } catch {
            throw .corruptRecord(at: first, "the sealed chunk starting here does not decompress: \(error)")
        }
        var ranges = [Range<Int>]()
        // A damaged header may claim billions of records: reserve only what the content can hold.
        ranges.reserveCapacity(Int(min(count, UInt64(content.count / 4))))
        var offset = 0
        while offset < content.count {
            guard offset + 4 <= content.count else { break }
            let length = content.withUnsafeBytes {
                Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            }
            guard length <= content.count - offset - 4 else { break }
            ranges.append(offset + 4..<offset + 4 + length)
            offset += 4 + length
        }
        guard offset == content.count, ranges.count == count else {
            throw .corruptRecord(
                at: first,
                "the sealed chunk starting here says \(count) records but holds \(ranges.count)"
            )
        }
        guard first > 0, first.addingReportingOverflow(count).overflow == false else {
            throw .corruptRecord(at: first, "the sealed chunk is stored under an impossible position")
        }
        self.first = first
        self.ranges = ranges
    }

    /// Whether `position` is one of this chunk's records.
    func contains(_ position: UInt64) -> Bool { position >= first && position <= last }

    /// Runs `body` with the bytes of the record at `position`, which the chunk must contain.
    func withRecord<R>(at position: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let range = ranges[Int(position - first)]
        return try content.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }
}

/// Decompression contexts for sealed chunks, one pool per dictionary, shared by every read.
///
/// Loading a dictionary costs far more than decompressing a chunk, so contexts are kept and
/// handed to one reader at a time.
final class ChunkDecompressors: Sendable {
    /// A context lent to one reader; never used by two at once.
    private final class Lent: @unchecked Sendable {
        let decompressor: ZstdDecompressor
        init(_ decompressor: ZstdDecompressor) { self.decompressor = decompressor }
    }

    private let idle = Mutex<[UInt32: [Lent]]>([:])

    /// Runs `body` with a context for frames compressed with dictionary `id`, loading the
    /// dictionary with `load` when no idle context has it.
    func with<R>(
        dictionary id: UInt32,
        load: () throws -> ZstdDictionary?,
        _ body: (ZstdDecompressor) throws -> R
    ) throws -> R {
        let lent: Lent
        if let reused = idle.withLock({ $0[id]?.popLast() }) {
            lent = reused
        } else {
            lent = Lent(try ZstdDecompressor(dictionary: try load()))
        }
        defer { idle.withLock { $0[id, default: []].append(lent) } }
        return try body(lent.decompressor)
    }
}
