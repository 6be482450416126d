/// Why a spreadsheet file could not be read. Each names the file's problem precisely enough for
/// a person to fix it in the file, and none changes anything.
public struct SpreadsheetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable code, the same a migration report shows.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code as reports and the API write it.
        public let rawValue: String
        /// The code written `rawValue`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code as written.
        public var description: String { rawValue }

        /// The bytes are not text in the encoding named or detected.
        public static let undecodableText = Code(rawValue: "undecodable_text")
        /// An encoding name this reader does not know.
        public static let unknownEncoding = Code(rawValue: "unknown_encoding")
        /// A quoted field runs to the end of the file, or a quote stands inside an unquoted
        /// field.
        public static let malformedCSV = Code(rawValue: "malformed_csv")
        /// A cell that should hold a date does not hold one in the column's format.
        public static let invalidDate = Code(rawValue: "invalid_date")
        /// A cell that should hold an amount does not hold one.
        public static let invalidAmount = Code(rawValue: "invalid_amount")
    }

    /// What kind of problem.
    public var code: Code
    /// What happened, for a person.
    public var message: String
    /// The 1-based line of the file it was found on, when there is one.
    public var line: Int?

    /// An error with a code, a message and the line it was found on.
    public init(_ code: Code, _ message: String, line: Int? = nil) {
        (self.code, self.message, self.line) = (code, message, line)
    }

    /// The code, the line when there is one, and the message.
    public var description: String {
        line.map { "\(code) on line \($0): \(message)" } ?? "\(code): \(message)"
    }
}
