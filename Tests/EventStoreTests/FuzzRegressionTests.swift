import Foundation
import Testing

@testable import EventStore

/// Bytes a damaged or hostile log can hold, found by the parser fuzz targets (`Fuzz/`,
/// RELIABILITY.md "Parser fuzzing"): each is refused with a typed error, never trapped on.
/// Each input is also committed to its target's corpus, `Fuzz/Corpus/<target>/crash-*`.
@Suite("Damaged bytes in the log are refused, never trapped on")
struct FuzzRegressionTests {
    // MARK: - Compaction manifests

    /// A manifest of the right size whose range is backwards or starts at 0: `events`
    /// (`through - from + 1`) trapped on it when `stats` or `compact` read it.
    @Test(
        "a compaction manifest describing no range of positions is refused",
        arguments: [(5, 4), (0, .max), (1, 0)] as [(UInt64, UInt64)]
    )
    func manifestWithoutRange(from: UInt64, through: UInt64) throws {
        let manifest = CompactionManifest(
            from: from,
            through: through,
            chunks: 1,
            dictionaryID: 0,
            hashBefore: .genesis,
            hashAfter: .genesis,
            recordBytes: 10,
            sealedBytes: 5,
            compactedAt: Timestamp(nanosecondsSinceEpoch: 0)
        )
        let error = try #require(throws: EventStoreError.self) {
            try manifest.encoded().withUnsafeBytes { try CompactionManifest(decoding: $0) }
        }
        #expect(error.code == .corruptRecord)
    }

    @Test("a well-formed manifest still decodes to what was encoded")
    func manifestRoundTrip() throws {
        let manifest = CompactionManifest(
            from: 1,
            through: .max - 1,
            chunks: 3,
            dictionaryID: 7,
            hashBefore: .genesis,
            hashAfter: ChainHash(bytes: Array(repeating: 0xAB, count: 32)),
            recordBytes: 10,
            sealedBytes: 5,
            compactedAt: Timestamp(nanosecondsSinceEpoch: -1)
        )
        let decoded = try manifest.encoded().withUnsafeBytes { try CompactionManifest(decoding: $0) }
        #expect(decoded == manifest)
        #expect(decoded.events == UInt64.max - 1)
    }

    // MARK: - Sealed chunks

    /// A chunk header claiming records past the last position a log can have: a read seeking
    /// a position in it added `first + count` without a check and trapped.
    @Test("a sealed chunk claiming positions past the last one is refused")
    func chunkPastTheLastPosition() throws {
        let header: [UInt8] = [SealedChunk.format, 0, 0, 0, 0, 2, 0, 0, 0, 0x28]
        for first: UInt64 in [.max, .max - 1, 0] {
            let error = try #require(throws: EventStoreError.self) {
                try header.withUnsafeBytes { try SealedChunk.positions(of: $0, first: first) }
            }
            #expect(error.code == .corruptRecord)
            #expect(error.position == first)
        }
        #expect(
            try header.withUnsafeBytes { try SealedChunk.positions(of: $0, first: .max - 2) } == (.max - 2)...(.max - 1)
        )
    }
}
