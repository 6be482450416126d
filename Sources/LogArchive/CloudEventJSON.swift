public import CRMSchema
public import EventStore
import Foundation

/// One event in the CloudEvents 1.0 JSON format, as the HTTP API serves it.
///
/// ```json
/// {"specversion":"1.0","id":"…","source":"/rapport/streams/lead-9","type":"crm.v1.LeadCreated",
///  "time":"2026-11-24T09:30:00.000000001Z","subject":"lead-9","datacontenttype":"application/json",
///  "position":42,"streamversion":0,"schemaversion":1,"occurredat":"…","actor":"user-7",
///  "correlationid":null,"causationid":null,"data":{…}}
/// ```
///
/// `id` is the event's id, unique within the source; `time` is when the log recorded it.
/// The extension attributes carry what a consumer of an event log needs: the global
/// `position` (also the Server-Sent Events id to resume after), the `streamversion`, the
/// business time `occurredat` and the acting user. `data` is the payload decoded through the
/// CRM event catalogue as protobuf canonical JSON; a payload the catalogue does not know goes
/// in `data_base64` instead, so nothing is lost.
public enum CloudEventJSON {
    /// Appends `event` as one JSON object to `output`.
    public static func render(_ event: RecordedEvent, catalogue: EventCatalogue = .crm, into output: inout [UInt8]) {
        output.append(contentsOf: #"{"specversion":"1.0","id":""#.utf8)
        output.append(contentsOf: event.id.uuidString.lowercased().utf8)
        output.append(contentsOf: #"","source":"#.utf8)
        appendString("/rapport/streams/" + event.stream.rawValue, to: &output)
        output.append(contentsOf: #","type":"#.utf8)
        appendString(event.type, to: &output)
        output.append(contentsOf: #","time":""#.utf8)
        appendTime(event.recordedAt, to: &output)
        output.append(contentsOf: #"","subject":"#.utf8)
        appendString(event.stream.rawValue, to: &output)
        output.append(contentsOf: #","datacontenttype":"application/json","position":"#.utf8)
        output.append(contentsOf: String(event.position).utf8)
        output.append(contentsOf: #","streamversion":"#.utf8)
        output.append(contentsOf: String(event.streamVersion).utf8)
        output.append(contentsOf: #","schemaversion":"#.utf8)
        output.append(contentsOf: String(event.schemaVersion).utf8)
        output.append(contentsOf: #","occurredat":""#.utf8)
        appendTime(event.occurredAt, to: &output)
        output.append(contentsOf: #"","actor":"#.utf8)
        appendString(event.actor, to: &output)
        output.append(contentsOf: #","correlationid":"#.utf8)
        appendOptionalUUID(event.correlationID, to: &output)
        output.append(contentsOf: #","causationid":"#.utf8)
        appendOptionalUUID(event.causationID, to: &output)
        if let json = catalogue.canonicalJSON(of: event) {
            output.append(contentsOf: #","data":"#.utf8)
            output.append(contentsOf: json.utf8)
        } else {
            output.append(contentsOf: #","data_base64":""#.utf8)
            output.append(contentsOf: Data(event.payload).base64EncodedString().utf8)
            output.append(UInt8(ascii: "\""))
        }
        output.append(UInt8(ascii: "}"))
    }
}
