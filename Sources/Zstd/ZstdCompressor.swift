import CZstd

/// A reusable compression context, optionally bound to a dictionary.
///
/// Keeping the context between calls saves its allocation and set-up, which dominates for
/// small inputs. Not thread-safe: use one per thread or task.
public final class ZstdCompressor {
    private let context: OpaquePointer
    private let dictionary: OpaquePointer?
    /// The compression level, 1 (fastest) to 19 (smallest); 3 is zstd's default.
    public let level: Int32

    /// Creates a context compressing at `level`, with `dictionary` when given.
    public init(level: Int32 = 3, dictionary: ZstdDictionary? = nil) throws {
        guard let context = ZSTD_createCCtx() else {
            throw ZstdError(code: .library, detail: "cannot allocate a compression context")
        }
        self.context = context
        self.level = level
        if let dictionary {
            self.dictionary = dictionary.bytes.withUnsafeBytes { ZSTD_createCDict($0.baseAddress, $0.count, level) }
            if self.dictionary == nil {
                ZSTD_freeCCtx(context)
                throw ZstdError(code: .library, detail: "cannot load the compression dictionary")
            }
        } else {
            self.dictionary = nil
        }
    }

    deinit {
        ZSTD_freeCCtx(context)
        if let dictionary { ZSTD_freeCDict(dictionary) }
    }

    /// Compresses `input` into one zstd frame that records its decompressed size.
    public func compress(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        var output = [UInt8](repeating: 0, count: bound)
        let written = try output.withUnsafeMutableBytes { (out) -> Int in
            let result: Int
            if let dictionary {
                result = ZSTD_compress_usingCDict(
                    context,
                    out.baseAddress,
                    bound,
                    input.baseAddress,
                    input.count,
                    dictionary
                )
            } else {
                result = ZSTD_compressCCtx(context, out.baseAddress, bound, input.baseAddress, input.count, level)
            }
            return try ZstdError.check(result)
        }
        output.removeLast(bound - written)
        return output
    }

    /// Compresses `input` into one zstd frame.
    public func compress(_ input: [UInt8]) throws -> [UInt8] {
        try input.withUnsafeBytes { (input) in try compress(input) }
    }
}
