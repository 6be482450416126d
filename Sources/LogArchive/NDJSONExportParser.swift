import EventStore
import Foundation

/// Parses NDJSON exports line by line; an event line must be what ``EventLine`` renders for
/// the event it describes.
struct NDJSONExportParser: ExportParser {
    private var partial: [UInt8] = []
    private var lineNumber = 0
    private var sawEnd = false
    private let line = EventLine()
    private let decoder = JSONDecoder()

    var location: ImportLocation { .line(lineNumber + 1) }

    mutating func consume(_ bytes: UnsafeRawBufferPointer, _ emit: (ImportItem) -> Void) throws {
        var start = 0
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if partial.isEmpty {
                try parse(UnsafeRawBufferPointer(rebasing: bytes[start..<newline]), emit)
            } else {
                partial.append(contentsOf: bytes[start..<newline])
                let whole = partial
                partial.removeAll(keepingCapacity: true)
                try whole.withUnsafeBytes { try parse($0, emit) }
            }
            start = newline + 1
        }
        partial.append(contentsOf: bytes[start...])
    }

    mutating func finish() throws {
        guard partial.isEmpty else {
            throw ImportError(
                code: .truncatedInput,
                message: "the file ends in the middle of a line",
                location: location
            )
        }
        guard sawEnd else {
            throw ImportError(
                code: .truncatedInput,
                message: "the file ends after \(lineNumber) lines without its end line",
                location: location
            )
        }
    }

    private mutating func parse(_ text: UnsafeRawBufferPointer, _ emit: (ImportItem) -> Void) throws {
        lineNumber += 1
        let here = ImportLocation.line(lineNumber)
        func corrupt(_ why: String) -> ImportError { ImportError(code: .corruptInput, message: why, location: here) }
        guard !sawEnd else { throw corrupt("there is more after the end line") }
        if lineNumber == 1 {
            guard let header = try? decoder.decode(HeaderLine.self, from: Data(text)),
                header.rapportExport == ExportFormat.version,
                header.encoding == ExportFormat.Encoding.ndjson.rawValue,
                let previous = ChainHash(hex: header.previousHash)
            else {
                throw ImportError(
                    code: .notAnExport,
                    message: "the first line is not a Rapport export header (version \(ExportFormat.version))",
                    location: here
                )
            }
            return emit(
                .header(
                    ExportFormat.Header(
                        from: header.from,
                        through: header.through,
                        previousHash: previous,
                        carriesUniqueKeys: header.uniqueKeys
                    )
                )
            )
        }
        if text.starts(with: #"{"position":"#.utf8) {
            guard let fields = try? decoder.decode(EventFields.self, from: Data(text)) else {
                throw corrupt("not a valid event line")
            }
            let event = try fields.recordedEvent(corrupt)
            var rendered: [UInt8] = []
            rendered.reserveCapacity(text.count)
            line.render(event, withStoredBytes: true, into: &rendered)
            guard rendered.elementsEqual(text) else {
                throw corrupt("the event line at position \(event.position) is not as exported: a byte was changed")
            }
            return emit(.event(event, location: here))
        }
        if text.starts(with: #"{"uniqueKey":"#.utf8) {
            guard let fields = try? decoder.decode(KeyLine.self, from: Data(text)),
                let key = try? UniqueKey(fields.uniqueKey),
                let owner = try? StreamName(fields.owner)
            else { throw corrupt("not a valid unique-key line") }
            return emit(.uniqueKey(UniqueKeyOwnership(key: key, owner: owner), location: here))
        }
        guard let end = try? decoder.decode(EndLine.self, from: Data(text)), let hash = ChainHash(hex: end.end.lastHash)
        else {
            throw corrupt("neither an event, a unique key nor the end line")
        }
        sawEnd = true
        emit(
            .end(
                ExportFormat.End(events: end.end.events, uniqueKeys: end.end.uniqueKeys, lastHash: hash),
                location: here
            )
        )
    }

    private struct HeaderLine: Decodable {
        var rapportExport: UInt32
        var encoding: String
        var from: UInt64
        var through: UInt64
        var previousHash: String
        var uniqueKeys: Bool
    }

    private struct KeyLine: Decodable {
        var uniqueKey: String
        var owner: String
    }

    private struct EndLine: Decodable {
        struct Summary: Decodable {
            var events: UInt64
            var uniqueKeys: UInt64
            var lastHash: String
        }
        var end: Summary
    }

    private struct EventFields: Decodable {
        var position: UInt64
        var stream: String
        var streamVersion: UInt64
        var id: UUID
        var type: String
        var schemaVersion: UInt32
        var contentType: String
        var recordedAt: String
        var occurredAt: String
        var actor: String
        var correlationID: UUID?
        var causationID: UUID?
        var payload: String
        var hash: String

        func recordedEvent(_ corrupt: (String) -> ImportError) throws -> RecordedEvent {
            guard let stream = try? StreamName(stream) else {
                throw corrupt("stream \"\(stream)\" is not a stream name")
            }
            guard let recordedAt = Timestamp(rfc3339: recordedAt), let occurredAt = Timestamp(rfc3339: occurredAt)
            else {
                throw corrupt("a time is not RFC 3339 with nanoseconds")
            }
            guard let payload = Data(base64Encoded: payload) else { throw corrupt("the payload is not base64") }
            guard let hash = ChainHash(hex: hash) else { throw corrupt("the hash is not 64 hex digits") }
            return RecordedEvent(
                position: position,
                stream: stream,
                streamVersion: streamVersion,
                id: id,
                type: type,
                schemaVersion: schemaVersion,
                contentType: contentType,
                recordedAt: recordedAt,
                occurredAt: occurredAt,
                actor: actor,
                correlationID: correlationID,
                causationID: causationID,
                payload: Array(payload),
                hash: hash
            )
        }
    }
}
