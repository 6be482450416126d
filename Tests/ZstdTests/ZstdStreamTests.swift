import Testing
import Zstd

@Suite("zstd streams")
struct ZstdStreamTests {
    /// Several megabytes, mostly compressible, fed in pieces of uneven size.
    private let input: [UInt8] = (0..<3_000_000).map { index in UInt8(truncatingIfNeeded: index / 7 &* 31 &+ index % 5)
    }

    private func compressed(pieces: Int) throws -> [UInt8] {
        let compressor = try ZstdStreamCompressor(level: 3)
        var output: [UInt8] = []
        let step = input.count / pieces + 1
        try input.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + step)
                try compressor.compress(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), isLast: false) {
                    output.append(contentsOf: $0)
                }
                start = end
            }
            try compressor.compress(UnsafeRawBufferPointer(start: nil, count: 0), isLast: true) {
                output.append(contentsOf: $0)
            }
        }
        return output
    }

    private func decompressed(_ frame: [UInt8], piece: Int) throws -> (bytes: [UInt8], finished: Bool) {
        let decompressor = try ZstdStreamDecompressor()
        var output: [UInt8] = []
        try frame.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + piece)
                try decompressor.decompress(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) {
                    output.append(contentsOf: $0)
                }
                start = end
            }
        }
        return (output, decompressor.isFinished)
    }

    @Test("a stream compressed in pieces decompresses in other pieces to the same bytes", arguments: [1, 7, 300])
    func roundTrip(pieces: Int) throws {
        let frame = try compressed(pieces: pieces)
        #expect(frame.count < input.count / 4)
        for piece in [1_000, 65_536, frame.count] {
            let result = try decompressed(frame, piece: piece)
            #expect(result.finished)
            #expect(result.bytes == input)
        }
    }

    @Test("a truncated stream never finishes, and a flipped byte is refused as corrupt")
    func damage() throws {
        let frame = try compressed(pieces: 3)
        #expect(try !decompressed(Array(frame.prefix(frame.count - 10)), piece: 4096).finished)
        var flipped = frame
        flipped[flipped.count / 2] ^= 0x20
        let error = #expect(throws: ZstdError.self) { try decompressed(flipped, piece: 4096) }
        #expect(error?.code == .corruptFrame)
    }
}
