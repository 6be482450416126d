public import CRMSchema
public import EventStore
import Foundation

/// One event as a line of canonical JSON: what `replay` prints and NDJSON `export` writes.
///
/// Keys always come in this order, with no spaces: `position`, `stream`, `streamVersion`,
/// `id`, `type`, `schemaVersion`, `contentType`, `recordedAt`, `occurredAt` (RFC 3339, UTC,
/// nanoseconds), `actor`, `correlationID`, `causationID` (a UUID or `null`), and `data`: the
/// payload decoded through the CRM event catalogue (upcast to the type's current version) as
/// protobuf canonical JSON, or the payload in base64 as a JSON string when the catalogue does
/// not know the type or version. An export line adds `payload` (the stored bytes, base64) and
/// `hash` (the chain hash, hex), which is what an import reads back.
public struct EventLine: Sendable {
    /// Decodes `data`: the CRM's catalogue unless told otherwise.
    public var catalogue: EventCatalogue

    /// A renderer whose `data` goes through `catalogue`.
    public init(catalogue: EventCatalogue = .crm) {
        self.catalogue = catalogue
    }

    /// Appends the line for `record`, without a newline, to `output`.
    public func render(_ record: borrowing RecordView, withStoredBytes: Bool, into output: inout [UInt8]) {
        render(record.decode(), withStoredBytes: withStoredBytes, into: &output)
    }

    /// Appends the line for `event`, without a newline, to `output`.
    public func render(_ event: RecordedEvent, withStoredBytes: Bool, into output: inout [UInt8]) {
        output.append(contentsOf: #"{"position":"#.utf8)
        output.append(contentsOf: String(event.position).utf8)
        output.append(contentsOf: #","stream":"#.utf8)
        appendString(event.stream.rawValue, to: &output)
        output.append(contentsOf: #","streamVersion":"#.utf8)
        output.append(contentsOf: String(event.streamVersion).utf8)
        output.append(contentsOf: #","id":""#.utf8)
        output.append(contentsOf: event.id.uuidString.lowercased().utf8)
        output.append(contentsOf: #"","type":"#.utf8)
        appendString(event.type, to: &output)
        output.append(contentsOf: #","schemaVersion":"#.utf8)
        output.append(contentsOf: String(event.schemaVersion).utf8)
        output.append(contentsOf: #","contentType":"#.utf8)
        appendString(event.contentType, to: &output)
        output.append(contentsOf: #","recordedAt":""#.utf8)
        appendTime(event.recordedAt, to: &output)
        output.append(contentsOf: #"","occurredAt":""#.utf8)
        appendTime(event.occurredAt, to: &output)
        output.append(contentsOf: #"","actor":"#.utf8)
        appendString(event.actor, to: &output)
        output.append(contentsOf: #","correlationID":"#.utf8)
        appendOptionalUUID(event.correlationID, to: &output)
        output.append(contentsOf: #","causationID":"#.utf8)
        appendOptionalUUID(event.causationID, to: &output)
        output.append(contentsOf: #","data":"#.utf8)
        if let json = catalogue.canonicalJSON(of: event) {
            output.append(contentsOf: json.utf8)
        } else {
            appendBase64(event.payload, to: &output)
        }
        if withStoredBytes {
            output.append(contentsOf: #","payload":"#.utf8)
            appendBase64(event.payload, to: &output)
            output.append(contentsOf: #","hash":""#.utf8)
            appendHex(event.hash.bytes, to: &output)
            output.append(UInt8(ascii: "\""))
        }
        output.append(UInt8(ascii: "}"))
    }

    private func appendBase64(_ bytes: [UInt8], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        output.append(contentsOf: Data(bytes).base64EncodedString().utf8)
        output.append(UInt8(ascii: "\""))
    }
}
