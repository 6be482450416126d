import CZstd

/// Compresses a stream of any length into one zstd frame, a chunk at a time, so memory stays
/// flat however much goes through (an export of the whole log).
///
/// The frame carries a content checksum: a flipped byte anywhere is caught on decompression.
/// Not thread-safe.
public final class ZstdStreamCompressor {
    private let context: OpaquePointer
    private var output: [UInt8]

    /// Creates a streaming context at `level` (1 fastest to 19 smallest).
    public init(level: Int32 = 3) throws {
        guard let context = ZSTD_createCStream() else {
            throw ZstdError(code: .library, detail: "cannot allocate a compression stream")
        }
        self.context = context
        output = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
        do {
            _ = try ZstdError.check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level))
            _ = try ZstdError.check(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1))
        } catch {
            ZSTD_freeCStream(context)
            throw error
        }
    }

    deinit {
        ZSTD_freeCStream(context)
    }

    /// Compresses `input`, handing `sink` whatever compressed bytes are ready.
    public func compress(_ input: UnsafeRawBufferPointer, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(input, directive: ZSTD_e_continue, sink)
    }

    /// Ends the frame, handing `sink` the last compressed bytes.
    public func finish(into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), directive: ZSTD_e_end, sink)
    }

    private func run(
        _ input: UnsafeRawBufferPointer,
        directive: ZSTD_EndDirective,
        _ sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            let (remaining, written) = try output.withUnsafeMutableBytes { out throws -> (Int, Int) in
                var target = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                let remaining = try ZstdError.check(ZSTD_compressStream2(context, &target, &source, directive))
                return (remaining, target.pos)
            }
            if written > 0 { try output.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[..<written])) } }
            let done = directive == ZSTD_e_end ? remaining == 0 : source.pos == source.size
            if done { return }
        }
    }
}
