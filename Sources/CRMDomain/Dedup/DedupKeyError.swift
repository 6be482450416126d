/// Why an input cannot become a dedup key, with the input it was given.
///
/// `code` is stable and meant for programs (the HTTP layer maps it to a status and a field);
/// `message` is for people and says what is wrong with the input, such as
/// "phone 12345 has 5 digits; a Chinese mobile has 11".
public struct DedupKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable reason: one per kind of key.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A company name is blank, has no letters or digits, or is only a legal form.
        public static let invalidCompanyName = Code(rawValue: "invalid_company_name")
        /// A unified social credit code has the wrong length, a character outside its alphabet,
        /// or a check character that does not match.
        public static let invalidCreditCode = Code(rawValue: "invalid_credit_code")
        /// A phone number cannot be read as an E.164 number.
        public static let invalidPhone = Code(rawValue: "invalid_phone")
        /// An email address is not `local@domain.tld`.
        public static let invalidEmail = Code(rawValue: "invalid_email")
    }

    /// The stable reason.
    public var code: Code
    /// A sentence for people saying what is wrong with ``input``.
    public var message: String
    /// The kind of key that was asked for.
    public var kind: DedupKey.Kind
    /// The input as given, before any normalization.
    public var input: String

    /// Creates an error; the normalizers fill in the code that goes with `kind`.
    public init(_ code: Code, kind: DedupKey.Kind, input: String, message: String) {
        self.code = code
        self.kind = kind
        self.input = input
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

// MARK: - Quoting inputs in messages

extension DedupKeyError {
    /// The input as a message shows it: bare when that is unambiguous (`phone 12345 has…`), in
    /// quotes when it is empty or has spaces, and cut at 80 characters so a pasted document does
    /// not become the message.
    static func quoted(_ input: String) -> String {
        let scalars = input.unicodeScalars
        let shown = scalars.count > 80 ? String(String.UnicodeScalarView(scalars.prefix(80))) + "…" : input
        let bare = !input.isEmpty && !scalars.contains { $0.properties.isWhitespace || $0 == "\"" }
        return bare ? shown : "\"\(shown)\""
    }
}
