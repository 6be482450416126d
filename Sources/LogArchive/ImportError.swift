/// Why an import stopped, and where in the file.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    /// A stable reason.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code as written in messages: `snake_case`.
        public let rawValue: String
        /// Wraps a code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The raw value.
        public var description: String { rawValue }
        /// The file is not an export this build reads.
        public static let notAnExport = Code(rawValue: "not_an_export")
        /// A line or frame is damaged: unreadable, or not what its fields say.
        public static let corruptInput = Code(rawValue: "corrupt_input")
        /// The file ends before its end line or frame.
        public static let truncatedInput = Code(rawValue: "truncated_input")
        /// The target log's head is not where the export starts.
        public static let logMismatch = Code(rawValue: "log_mismatch")
    }

    /// Why.
    public var code: Code
    /// What was found, with the facts (positions, hashes, counts) to act on.
    public var message: String
    /// Where in the file, when the damage has a place.
    public var location: ImportLocation?

    /// `line 12: message [code]`, as `rapport import` reports it.
    public var description: String { (location.map { "\($0): " } ?? "") + "\(message) [\(code)]" }

    init(code: Code, message: String, location: ImportLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }
}

/// A place in an export: a line of NDJSON, or a byte offset of a binary export.
///
/// The offset counts bytes of the decompressed stream, the frames as written, so it means
/// the same whether or not the file went through zstd.
public enum ImportLocation: Hashable, Sendable, CustomStringConvertible {
    /// A line of an NDJSON export, counted from 1.
    case line(Int)
    /// The offset of a binary frame, from the start of the (decompressed) stream.
    case byte(Int)

    /// `line 12` or `byte 4096`.
    public var description: String {
        switch self {
        case .line(let number): "line \(number)"
        case .byte(let offset): "byte \(offset)"
        }
    }
}
