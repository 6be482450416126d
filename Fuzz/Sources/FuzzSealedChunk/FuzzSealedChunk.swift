import FuzzDriver
import Zstd

@testable import EventStore

nonisolated(unsafe) private let decompressor = try! ZstdDecompressor()
nonisolated(unsafe) private let compressor = try! ZstdCompressor(level: 1)

/// Fuzzes sealed chunks as a read opens them: the header, the positions the chunk claims
/// under its key, the zstd frame, the length-prefixed records in it, and each record.
///
/// Input: a mode byte, the u64 little-endian position the chunk is stored under, then the
/// stored value. With mode bit 0 set, the value's content after its 9-byte header is
/// compressed first, so the fuzzer explores the records inside a valid frame as well as
/// damaged frames.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: count)
    guard input.count >= 9 else { return 0 }
    let mode = input[0]
    var first = input.loadUnaligned(fromByteOffset: 1, as: UInt64.self).littleEndian
    if mode & 2 == 0 { first &= 0xFFFF }  // mostly ordinary positions
    let rest = UnsafeRawBufferPointer(rebasing: input[9...])
    var value = Array(rest)
    if mode & 1 != 0, rest.count >= SealedChunk.headerSize {
        value = Array(rest[..<SealedChunk.headerSize])
        value += (try? compressor.compress(UnsafeRawBufferPointer(rebasing: rest[SealedChunk.headerSize...]))) ?? []
    }
    value.withUnsafeBytes { value in
        guard let positions = try? SealedChunk.positions(of: value, first: first) else { return }
        _ = positions.contains(first)
        guard let chunk = try? OpenedChunk(value: value, first: first, decompressor: decompressor) else { return }
        var position = chunk.first
        while chunk.contains(position) {
            chunk.withRecord(at: position) { bytes in
                do {
                    let view = try RecordView(bytes: bytes, expectedPosition: position)
                    _ = view.decode()
                } catch {}
            }
            guard position < chunk.last else { break }
            position += 1
        }
    }
    return 0
}

/// libFuzzer's entry: SwiftPM renames an executable's `main` to `<module>_main`.
@_cdecl("FuzzSealedChunk_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (argc, argv) = (argc, argv)
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}
