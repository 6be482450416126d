import LMDB

/// Why the log refused or failed an operation, with the facts to act on.
///
/// `code` is stable and meant for programs (an HTTP layer maps it to a status); `message` is
/// for people; the optional fields carry the facts, such as which stream conflicted and at
/// which version.
public struct EventStoreError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // MARK: Append rules
        /// A stream's version was not the one the append expected.
        public static let wrongExpectedVersion = Code(rawValue: "wrong_expected_version")
        /// An event id already stands in the log for different content.
        public static let eventIDReused = Code(rawValue: "event_id_reused")
        /// Some, not all, of an append's event ids are in the log already.
        public static let partialDuplicate = Code(rawValue: "partial_duplicate_append")
        /// A unique key is held by another stream.
        public static let uniqueKeyTaken = Code(rawValue: "unique_key_taken")
        /// A stream tried to release a unique key held by another stream.
        public static let uniqueKeyNotOwned = Code(rawValue: "unique_key_not_owned")
        /// An earlier append left a receipt under the same key.
        public static let receiptTaken = Code(rawValue: "receipt_taken")

        // MARK: Input limits
        /// The append carries no events.
        public static let emptyAppend = Code(rawValue: "empty_append")
        /// One append names the same stream, event id or key twice.
        public static let duplicateInAppend = Code(rawValue: "duplicate_in_append")
        /// A stream name is not `category-id`.
        public static let invalidStreamName = Code(rawValue: "invalid_stream_name")
        /// An event type, content type, actor or unique key breaks its syntax or length limit.
        public static let invalidField = Code(rawValue: "invalid_field")
        /// An event is larger than the log accepts.
        public static let eventTooLarge = Code(rawValue: "event_too_large")

        // MARK: The log itself
        /// The log was closed.
        public static let logClosed = Code(rawValue: "log_closed")
        /// The log was opened read-only.
        public static let readOnly = Code(rawValue: "read_only")
        /// No log at the given directory.
        public static let logNotFound = Code(rawValue: "log_not_found")
        /// The directory holds something that is not a Rapport log.
        public static let notARapportLog = Code(rawValue: "not_a_rapport_log")
        /// The log was written by a newer format version than this build reads.
        public static let unsupportedFormat = Code(rawValue: "unsupported_format_version")
        /// Another process holds the log for writing.
        public static let writerLocked = Code(rawValue: "writer_locked")
        /// Another process has the log open, and the operation needs it to itself.
        public static let logInUse = Code(rawValue: "log_in_use")
        /// A stored record cannot be decoded.
        public static let corruptRecord = Code(rawValue: "corrupt_record")
        /// The storage engine failed (disk full, permissions, I/O).
        public static let storage = Code(rawValue: "storage_failure")
    }

    /// The stable reason.
    public var code: Code
    /// A sentence for people.
    public var message: String
    /// The stream concerned.
    public var stream: String?
    /// What the append expected of `stream`.
    public var expected: ExpectedVersion?
    /// `stream`'s actual version (`nil`: the stream does not exist).
    public var actual: UInt64?
    /// The unique key concerned.
    public var key: String?
    /// The event id concerned.
    public var eventID: String?
    /// The log position concerned.
    public var position: UInt64?
    /// The storage engine's own error number underneath, for `.storage` (the message names
    /// it too); the engine's types stay behind the log, whichever backend holds it.
    public var storageCode: Int32?

    /// Creates an error; prefer the factory methods below, which fill the facts.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

// MARK: - Factories

extension EventStoreError {
    static func wrongExpectedVersion(stream: StreamName, expected: ExpectedVersion, actual: UInt64?) -> Self {
        let actualText = actual.map { "is at version \($0)" } ?? "does not exist"
        var error = Self(.wrongExpectedVersion, "stream \(stream) \(actualText); the append expected \(expected)")
        error.stream = stream.rawValue
        error.expected = expected
        error.actual = actual
        return error
    }

    static func uniqueKeyTaken(_ key: UniqueKey, owner: String, claimant: StreamName) -> Self {
        var error = Self(.uniqueKeyTaken, "unique key \(key) is held by stream \(owner); \(claimant) cannot reserve it")
        error.key = key.rawValue
        error.stream = owner
        return error
    }

    static func invalidField(_ what: String, _ value: String, _ rule: String) -> Self {
        let shown = value.count > 80 ? String(value.prefix(80)) + "…" : value
        return Self(.invalidField, "\(what) \"\(shown)\" \(rule)")
    }

    static func storage(_ error: LMDBError, while action: String) -> Self {
        var wrapped = Self(.storage, "\(action) failed: \(error)")
        wrapped.storageCode = error.rawValue
        return wrapped
    }

    static func corruptRecord(at position: UInt64, _ detail: String) -> Self {
        var error = Self(.corruptRecord, "the record at position \(position) cannot be decoded: \(detail)")
        error.position = position
        return error
    }

    static let closed = Self(.logClosed, "the log is closed")
}
