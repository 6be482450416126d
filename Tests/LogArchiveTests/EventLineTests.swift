import CRMSchema
import EventStore
import Foundation
import LogArchive
import RapportTestSupport
import Testing

/// The canonical JSON line, to the byte: `replay` output and NDJSON exports depend on it.
@Suite("EventLine")
struct EventLineTests {
    private func event(type: String, payload: [UInt8]) throws -> RecordedEvent {
        RecordedEvent(
            position: 42,
            stream: stream("customer-7"),
            streamVersion: 3,
            id: UUID(uuidString: "0192F3C2-8D1E-7C3A-9F00-000000000001")!,
            type: type,
            schemaVersion: 1,
            contentType: "application/json",
            recordedAt: Timestamp(nanosecondsSinceEpoch: 1_795_512_600_000_000_001),
            occurredAt: Timestamp(nanosecondsSinceEpoch: 946_684_799_999_999_999),
            actor: "rep \"one\"\n\u{1}",
            correlationID: UUID(uuidString: "0192F3C2-8D1E-7C3A-9F00-0000000000AA")!,
            causationID: nil,
            payload: payload,
            hash: ChainHash(bytes: (0..<32).map { UInt8($0) })
        )
    }

    private func render(_ event: RecordedEvent, withStoredBytes: Bool) -> String {
        var output: [UInt8] = []
        EventLine().render(event, withStoredBytes: withStoredBytes, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test("an event of an unknown type renders its fields in order, escaped, with base64 data")
    func unknownType() throws {
        let event = try event(type: "test.Happened", payload: Array("{}".utf8))
        let replayed =
            #"{"position":42,"stream":"customer-7","streamVersion":3,"id":"0192f3c2-8d1e-7c3a-9f00-000000000001","#
            + #""type":"test.Happened","schemaVersion":1,"contentType":"application/json","#
            + #""recordedAt":"2026-11-24T09:30:00.000000001Z","occurredAt":"1999-12-31T23:59:59.999999999Z","#
            + #""actor":"rep \"one\"\n\u0001","correlationID":"0192f3c2-8d1e-7c3a-9f00-0000000000aa","causationID":null,"#
            + #""data":"e30=""#
        #expect(render(event, withStoredBytes: false) == replayed + "}")
        let hash = (0..<32).map { String(format: "%02x", $0) }.joined()
        #expect(render(event, withStoredBytes: true) == replayed + #","payload":"e30=","hash":"\#(hash)"}"#)
    }

    @Test("a catalogued event's data is its message in protobuf canonical JSON")
    func cataloguedType() throws {
        var lead = CRMLeadCreated()
        lead.leadID = "lead-1"
        lead.companyName = "北京星辰科技有限公司"
        let encoded = try EventCatalogue.crm.encode(lead)
        let line = render(try event(type: encoded.typeName, payload: encoded.payload), withStoredBytes: false)
        #expect(line.hasSuffix(#""data":{"leadId":"lead-1","companyName":"北京星辰科技有限公司"}}"#), "\(line)")
    }
}
