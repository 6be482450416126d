import CZstd

/// An error from zstd, or from using it with input it cannot take.
public struct ZstdError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, stable across releases.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// zstd reported an error; `detail` holds its name for it.
        public static let library = Code(rawValue: "zstd_library_error")
        /// The input is not a complete zstd frame, or is corrupt.
        public static let corruptFrame = Code(rawValue: "zstd_corrupt_frame")
        /// The frame does not record its decompressed size and no limit was given.
        public static let unknownContentSize = Code(rawValue: "zstd_unknown_content_size")
        /// The decompressed data would be larger than the caller's limit.
        public static let contentTooLarge = Code(rawValue: "zstd_content_too_large")
        /// The frame needs a dictionary other than the one supplied.
        public static let dictionaryMismatch = Code(rawValue: "zstd_dictionary_mismatch")
        /// Dictionary training failed, typically from too few or too small samples.
        public static let trainingFailed = Code(rawValue: "zstd_training_failed")
    }

    /// The stable code.
    public var code: Code
    /// zstd's own words or the facts, for people.
    public var detail: String

    public var description: String { "\(code.rawValue): \(detail)" }

    /// Turns a zstd size-or-error result into a size or a typed error.
    static func check(_ result: Int, as code: Code = .library) throws(ZstdError) -> Int {
        guard ZSTD_isError(result) != 0 else { return result }
        let name = String(cString: ZSTD_getErrorName(result))
        switch ZSTD_getErrorCode(result) {
        case ZSTD_error_dictionary_wrong:
            throw ZstdError(code: .dictionaryMismatch, detail: name)
        case ZSTD_error_prefix_unknown, ZSTD_error_corruption_detected, ZSTD_error_checksum_wrong,
            ZSTD_error_srcSize_wrong, ZSTD_error_frameParameter_unsupported:
            throw ZstdError(code: .corruptFrame, detail: name)
        default:
            throw ZstdError(code: code, detail: name)
        }
    }
}
