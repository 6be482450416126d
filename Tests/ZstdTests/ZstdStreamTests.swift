import Testing
import Zstd

@Suite("zstd streams")
struct ZstdStreamTests {
    /// 3 MB of varied bytes, compressed in uneven pieces.
    private func compressed() throws -> (plain: [UInt8], frame: [UInt8]) {
        var generator = SystemRandomNumberGenerator()
        let plain = (0..<3_000_000).map { index in index % 97 == 0 ? UInt8.random(in: 0...255, using: &generator) : UInt8(index % 251) }
        let compressor = try ZstdStreamCompressor(level: 3)
        var frame: [UInt8] = []
        var offset = 0
        for size in [1, 70_000, 1_000_000, 3_000_000] where offset < plain.count {
            let end = min(offset + size, plain.count)
            try plain[offset..<end].withUnsafeBytes { try compressor.compress($0) { frame.append(contentsOf: $0) } }
            offset = end
        }
        try compressor.finish { frame.append(contentsOf: $0) }
        return (plain, frame)
    }

    private func decompress(_ frame: some Collection<UInt8>, pieces: Int) throws -> ([UInt8], ZstdStreamDecompressor) {
        let decompressor = try ZstdStreamDecompressor()
        let bytes = Array(frame)
        var plain: [UInt8] = []
        let step = max(1, bytes.count / pieces)
        for start in stride(from: 0, to: bytes.count, by: step) {
            try bytes[start..<min(start + step, bytes.count)].withUnsafeBytes {
                try decompressor.decompress($0) { plain.append(contentsOf: $0) }
            }
        }
        return (plain, decompressor)
    }

    @Test("a stream compressed in pieces decompresses in other pieces to the same bytes", arguments: [1, 7, 1_000])
    func roundTrip(pieces: Int) throws {
        let (plain, frame) = try compressed()
        #expect(frame.count < plain.count / 5)
        let (back, decompressor) = try decompress(frame, pieces: pieces)
        #expect(back == plain)
        #expect(decompressor.isAtFrameEnd)
        #expect(decompressor.consumed == frame.count)
    }

    @Test("a cut stream is not at a frame end, and a flipped byte is caught")
    func damage() throws {
        let (_, frame) = try compressed()
        let (_, cut) = try decompress(frame.prefix(frame.count / 2), pieces: 3)
        #expect(!cut.isAtFrameEnd)
        var flipped = frame
        flipped[flipped.count / 2] ^= 0x10
        #expect(throws: ZstdError.self) { _ = try decompress(flipped, pieces: 5) }
    }
}
