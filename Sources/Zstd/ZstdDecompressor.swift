import CZstd

/// A reusable decompression context, optionally bound to a dictionary.
///
/// Not thread-safe: use one per thread or task.
public final class ZstdDecompressor {
    private let context: OpaquePointer
    private let dictionary: OpaquePointer?

    /// Creates a context, with `dictionary` for frames compressed with it.
    public init(dictionary: ZstdDictionary? = nil) throws {
        guard let context = ZSTD_createDCtx() else {
            throw ZstdError(code: .library, detail: "cannot allocate a decompression context")
        }
        self.context = context
        if let dictionary {
            self.dictionary = dictionary.bytes.withUnsafeBytes { ZSTD_createDDict($0.baseAddress, $0.count) }
            if self.dictionary == nil {
                ZSTD_freeDCtx(context)
                throw ZstdError(code: .library, detail: "cannot load the decompression dictionary")
            }
        } else {
            self.dictionary = nil
        }
    }

    deinit {
        ZSTD_freeDCtx(context)
        if let dictionary { ZSTD_freeDDict(dictionary) }
    }

    /// Decompresses one frame.
    ///
    /// - Parameter limit: the largest output accepted; a frame claiming more is refused before
    ///   any memory is allocated for it.
    /// - Throws: `ZstdError` with `.corruptFrame`, `.contentTooLarge`, `.unknownContentSize`
    ///   or `.dictionaryMismatch`.
    public func decompress(_ input: UnsafeRawBufferPointer, limit: Int = 1 << 30) throws -> [UInt8] {
        let declared = ZSTD_getFrameContentSize(input.baseAddress, input.count)
        if declared == ZSTD_CONTENTSIZE_ERROR {
            throw ZstdError(code: .corruptFrame, detail: "not a zstd frame (\(input.count) bytes)")
        }
        if declared == ZSTD_CONTENTSIZE_UNKNOWN {
            throw ZstdError(code: .unknownContentSize, detail: "the frame does not record its size")
        }
        guard declared <= UInt64(limit) else {
            throw ZstdError(code: .contentTooLarge, detail: "frame holds \(declared) bytes, limit is \(limit)")
        }
        let size = Int(declared)
        var output = [UInt8](repeating: 0, count: size)
        let written = try output.withUnsafeMutableBytes { (out) -> Int in
            let result: Int
            if let dictionary {
                result = ZSTD_decompress_usingDDict(
                    context,
                    out.baseAddress,
                    size,
                    input.baseAddress,
                    input.count,
                    dictionary
                )
            } else {
                result = ZSTD_decompressDCtx(context, out.baseAddress, size, input.baseAddress, input.count)
            }
            return try ZstdError.check(result, as: .corruptFrame)
        }
        guard written == size else {
            throw ZstdError(code: .corruptFrame, detail: "frame declared \(size) bytes but held \(written)")
        }
        return output
    }

    /// Decompresses one frame.
    public func decompress(_ input: [UInt8], limit: Int = 1 << 30) throws -> [UInt8] {
        try input.withUnsafeBytes { (input) in try decompress(input, limit: limit) }
    }
}
