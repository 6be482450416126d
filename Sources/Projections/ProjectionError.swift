/// Why the projection engine stopped, with the facts to act on.
public struct ProjectionError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The read-model environment could not be opened, read or written.
        public static let storage = Code(rawValue: "read_model_storage")
        /// The log could not be read.
        public static let log = Code(rawValue: "log_unreadable")
        /// An event's payload could not be decoded for the projectors.
        public static let undecodableEvent = Code(rawValue: "undecodable_event")
        /// A projector refused an event.
        public static let applyFailed = Code(rawValue: "apply_failed")
        /// A row could not be encoded for storage.
        public static let unencodableRow = Code(rawValue: "unencodable_row")
        /// A stored row could not be decoded.
        public static let undecodableRow = Code(rawValue: "undecodable_row")
        /// No projector of that name is known.
        public static let unknownProjector = Code(rawValue: "unknown_projector")
        /// Two projectors, or two tables of one projector, share a name.
        public static let duplicateName = Code(rawValue: "duplicate_name")
        /// The read models are behind a log that no longer holds what they applied.
        public static let aheadOfLog = Code(rawValue: "read_model_ahead_of_log")
        /// The store is open read-only.
        public static let readOnly = Code(rawValue: "read_only")
        /// Another process (a running `rapport serve`, say) writes the read models.
        public static let inUse = Code(rawValue: "in_use")
        /// Read models to be checked against a rebuild are not all built to one position by
        /// the current projectors, so there is nothing exact to compare them with.
        public static let notComparable = Code(rawValue: "read_models_not_comparable")
    }

    /// Why.
    public var code: Code
    /// What happened, for a person.
    public var message: String
    /// The projector concerned, if one is.
    public var projector: String?
    /// The log position concerned, if one is.
    public var position: UInt64?

    /// An error with a code and a message.
    public init(_ code: Code, _ message: String, projector: String? = nil, position: UInt64? = nil) {
        self.code = code
        self.message = message
        self.projector = projector
        self.position = position
    }

    public var description: String { "\(code): \(message)" }
}
