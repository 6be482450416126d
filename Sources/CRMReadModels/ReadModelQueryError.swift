/// Why a read-model query was refused, with the facts to correct it.
public struct ReadModelQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A parameter is malformed or out of range (the message names it and what is accepted).
        public static let invalidParameter = Code(rawValue: "invalid_query_parameter")
        /// The thing asked about does not exist in the read model.
        public static let notFound = Code(rawValue: "not_found")
    }

    /// Why.
    public var code: Code
    /// What was wrong, for a person.
    public var message: String
    /// The parameter concerned, if one is.
    public var parameter: String?

    /// A refusal with a code, a message and the parameter concerned.
    public init(_ code: Code, _ message: String, parameter: String? = nil) {
        self.code = code
        self.message = message
        self.parameter = parameter
    }

    /// A malformed parameter.
    public static func invalid(_ parameter: String, _ message: String) -> ReadModelQueryError {
        ReadModelQueryError(.invalidParameter, message, parameter: parameter)
    }

    public var description: String { "\(code): \(message)" }
}
