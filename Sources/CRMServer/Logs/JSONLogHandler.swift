import Foundation
public import Logging
import Synchronization
import SystemPackage

/// Writes each log entry as one JSON object on one line of standard error, for log
/// collectors: `timestamp` (RFC 3339, UTC, milliseconds), `level`, `label`, `message`,
/// `source`, and the entry's metadata (the handler's own, then the entry's) under `metadata`.
///
/// Each line is written with one `write(2)`, so lines of concurrent entries never interleave.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: Int32

    /// A handler for loggers labelled `label`, writing to file descriptor `output` (2: standard
    /// error).
    public init(label: String, output: Int32 = 2) {
        self.label = label
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let entry = event.metadata { merged.merge(entry) { $1 } }
        var object: [String: Any] = [
            "timestamp": Self.timestamp(),
            "level": event.level.rawValue,
            "label": label,
            "message": event.message.description,
            "source": event.source,
        ]
        if !merged.isEmpty { object["metadata"] = merged.mapValues(Self.json) }
        guard
            var line = try? JSONSerialization.data(
                withJSONObject: object,
                options: [.sortedKeys, .withoutEscapingSlashes]
            )
        else { return }
        line.append(UInt8(ascii: "\n"))
        // Nowhere to report a failed log write: the entry is dropped, never the process.
        _ = try? FileDescriptor(rawValue: output).writeAll(line)
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }

    private static func timestamp() -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date.now)
    }
}
