import CZstd

/// Decompresses one zstd frame of any length a piece at a time, in constant memory, checking
/// the frame's content checksum at its end.
///
/// Not thread-safe: use one per stream.
public final class ZstdStreamDecompressor {
    private let context: OpaquePointer
    /// Decompressed bytes on their way to the caller's sink.
    private let output: UnsafeMutableRawBufferPointer
    /// Whether the frame has ended (and its checksum matched).
    public private(set) var isFinished = false
    /// Compressed bytes taken so far: where in the input a damaged frame was found.
    public private(set) var consumed = 0

    /// Creates a decompression context.
    ///
    /// - Throws: `ZstdError` `.library` when it cannot be allocated.
    public init() throws(ZstdError) {
        guard let context = ZSTD_createDCtx() else {
            throw ZstdError(code: .library, detail: "cannot allocate a decompression context")
        }
        self.context = context
        self.output = .allocate(byteCount: ZSTD_DStreamOutSize(), alignment: 16)
    }

    deinit {
        ZSTD_freeDCtx(context)
        output.deallocate()
    }

    /// Decompresses the next compressed bytes, handing decompressed pieces to `sink`.
    ///
    /// - Returns: how many bytes of `input` belong to the frame: fewer than `input.count` only
    ///   when the frame ended inside it (the rest is not part of it).
    /// - Throws: `ZstdError` `.corruptFrame` for damaged input or a checksum that does not
    ///   match, or whatever `sink` throws.
    @discardableResult
    public func decompress(
        _ input: UnsafeRawBufferPointer,
        into sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while !isFinished {
            var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let before = source.pos
            defer { consumed += source.pos - before }
            let hint = try ZstdError.check(ZSTD_decompressStream(context, &target, &source), as: .corruptFrame)
            let produced = target.pos
            if produced > 0 { try sink(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
            if hint == 0 { isFinished = true }
            // Input consumed and the output not full: zstd needs more input before it can go on.
            if source.pos == source.size && produced < output.count { break }
        }
        return source.pos
    }
}
