/// Why a backup could not be made or restored, with the facts to act on.
public struct BackupError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The backup file exists already; a backup never overwrites one.
        public static let backupExists = Code(rawValue: "backup_exists")
        /// The restore target is a file or a non-empty directory.
        public static let targetNotEmpty = Code(rawValue: "target_not_empty")
        /// The file does not start with a Rapport backup header.
        public static let notABackup = Code(rawValue: "not_a_backup")
        /// The backup was written by a newer format version than this build reads.
        public static let unsupportedFormat = Code(rawValue: "unsupported_backup_format")
        /// The compressed data is damaged or truncated.
        public static let corruptBackup = Code(rawValue: "corrupt_backup")
        /// The restored log's hash chain breaks.
        public static let chainBroken = Code(rawValue: "backup_chain_broken")
        /// The restored log's head is not the one the header records.
        public static let headMismatch = Code(rawValue: "backup_head_mismatch")
        /// Reading or writing a file failed (permissions, disk full, I/O).
        public static let io = Code(rawValue: "backup_io_failure")
    }

    /// The stable reason.
    public var code: Code
    /// A sentence for people.
    public var message: String
    /// The file concerned.
    public var path: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// Whether the backup itself was found bad, as opposed to the operation failing around it.
    public var backupIsBad: Bool {
        [.notABackup, .unsupportedFormat, .corruptBackup, .chainBroken, .headMismatch].contains(code)
    }

    public var description: String { "\(code): \(message)" }
}
