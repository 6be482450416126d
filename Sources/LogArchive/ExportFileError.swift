import Foundation

/// An export that cannot be written: the file, or the range asked for.
public struct ExportFileError: Error, Sendable, CustomStringConvertible {
    /// A stable reason.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code as written in messages: `snake_case`.
        public let rawValue: String
        /// Wraps a code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The raw value.
        public var description: String { rawValue }
        /// The output file cannot be created.
        public static let cannotCreateFile = Code(rawValue: "cannot_create_file")
        /// The output file cannot be written: a full disk, a file-size limit, an I/O error.
        public static let cannotWriteFile = Code(rawValue: "cannot_write_file")
        /// The range starts past the log's head.
        public static let nothingToExport = Code(rawValue: "nothing_to_export")
    }

    /// Why.
    public var code: Code
    /// What failed, with the path or positions concerned.
    public var message: String

    /// The message alone: what `rapport` has always printed for these.
    public var description: String { message }

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The failure `errno` describes, as "ACTION PATH: reason".
    static func system(_ code: Code, _ action: String, _ path: String) -> ExportFileError {
        ExportFileError(code, "\(action) \(path): \(String(cString: strerror(errno)))")
    }
}
