import CZstd

/// Compresses a stream of any length into one zstd frame, a piece at a time, in constant
/// memory: what a multi-gigabyte file needs, where ``ZstdCompressor`` would hold it whole.
///
/// The frame ends with a checksum of its content, so a decompressor notices a flipped byte.
/// Not thread-safe: use one per stream.
public final class ZstdStreamCompressor {
    private let context: OpaquePointer
    /// Compressed bytes on their way to the caller's sink.
    private let output: UnsafeMutableRawBufferPointer

    /// Creates a context compressing at `level` (1 fastest to 19 smallest; 3 is zstd's default).
    ///
    /// - Parameter workers: extra threads zstd compresses on while the caller reads and writes;
    ///   0 compresses on the calling thread. Ignored by a libzstd built without threads.
    /// - Throws: `ZstdError` when the context cannot be created or `level` is out of range.
    public init(level: Int32 = 3, workers: Int32 = 0) throws(ZstdError) {
        guard let context = ZSTD_createCCtx() else {
            throw ZstdError(code: .library, detail: "cannot allocate a compression context")
        }
        self.context = context
        self.output = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 16)
        do {
            _ = try ZstdError.check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level))
            _ = try ZstdError.check(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1))
        } catch {
            ZSTD_freeCCtx(context)
            output.deallocate()
            throw error
        }
        if workers > 0 { _ = ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, workers) }
    }

    deinit {
        ZSTD_freeCCtx(context)
        output.deallocate()
    }

    /// Compresses `input`, handing each piece of the frame to `sink` as it is produced.
    ///
    /// - Parameters:
    ///   - input: the next bytes of the stream; may be empty.
    ///   - isLast: `true` for the last call: the frame is then finished and flushed.
    ///   - sink: receives compressed bytes; valid only during the call.
    /// - Throws: `ZstdError`, or whatever `sink` throws.
    public func compress(
        _ input: UnsafeRawBufferPointer,
        isLast: Bool,
        into sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        let mode = isLast ? ZSTD_e_end : ZSTD_e_continue
        while true {
            var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let remaining = try ZstdError.check(ZSTD_compressStream2(context, &target, &source, mode))
            if target.pos > 0 { try sink(UnsafeRawBufferPointer(rebasing: output[0..<target.pos])) }
            // With e_continue, done once the input is consumed; with e_end, once nothing remains to flush.
            if isLast ? remaining == 0 : source.pos == source.size { return }
        }
    }
}
