import CZstd

/// Decompresses zstd frames of any length a chunk at a time, so memory stays flat.
///
/// Feed it the compressed bytes in order with ``decompress(_:into:)``; at the end of input,
/// ``isAtFrameEnd`` says whether the last frame was complete (a truncated file leaves it
/// `false`). Not thread-safe.
public final class ZstdStreamDecompressor {
    private let context: OpaquePointer
    private var output: [UInt8]
    /// Whether the bytes so far end exactly at the end of a frame.
    public private(set) var isAtFrameEnd = true
    /// Compressed bytes consumed so far: where an error was found.
    public private(set) var consumed = 0

    /// Creates a streaming context.
    public init() throws {
        guard let context = ZSTD_createDStream() else {
            throw ZstdError(code: .library, detail: "cannot allocate a decompression stream")
        }
        self.context = context
        output = [UInt8](repeating: 0, count: ZSTD_DStreamOutSize())
    }

    deinit {
        ZSTD_freeDStream(context)
    }

    /// Decompresses `input`, handing `sink` the decompressed bytes as they come.
    ///
    /// - Throws: `ZstdError` `.corruptFrame` (with ``consumed`` near the bad byte) when the
    ///   input is damaged, or whatever `sink` throws.
    public func decompress(_ input: UnsafeRawBufferPointer, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while source.pos < source.size || !isAtFrameEnd {
            let before = source.pos
            let (hint, written) = try output.withUnsafeMutableBytes { out throws -> (Int, Int) in
                var target = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                defer { consumed += source.pos - before }
                let hint = try ZstdError.check(ZSTD_decompressStream(context, &target, &source), as: .corruptFrame)
                return (hint, target.pos)
            }
            isAtFrameEnd = hint == 0
            if written > 0 { try output.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[..<written])) } }
            // Out of input with the output not full: zstd needs more bytes than this chunk had.
            if source.pos == source.size && written < output.count { return }
        }
    }
}
