import CRMSchema
import Foundation
import SwiftProtobuf
import Testing

@Suite("Event catalogue")
struct EventCatalogueTests {
    let catalogue = EventCatalogue.crm

    @Test("type names are the messages' full protobuf names, in package crm.v1")
    func typeNames() throws {
        #expect(catalogue.typeNames.count == 66)
        #expect(catalogue.typeNames.allSatisfy { $0.hasPrefix("crm.v1.") })
        let entry = try #require(catalogue.entry(for: "crm.v1.LeadCreated"))
        #expect(entry.currentVersion == 1)
        #expect(ObjectIdentifier(entry.messageType) == ObjectIdentifier(CRMLeadCreated.self))
    }

    @Test("every catalogued event round-trips through its payload bytes")
    func roundTrip() throws {
        for name in catalogue.typeNames {
            let entry = try #require(catalogue.entry(for: name))
            let empty = entry.messageType.init()
            let encoded = try catalogue.encode(empty)
            #expect(encoded.typeName == name)
            #expect(encoded.schemaVersion == entry.currentVersion)
            let decoded = try catalogue.decode(
                typeName: name,
                schemaVersion: encoded.schemaVersion,
                payload: encoded.payload
            )
            #expect(decoded.isEqualTo(message: empty))
        }
        var lead = CRMLeadCreated()
        lead.leadID = "0192f3c2-8d1e-7c3a-9f00-000000000001"
        lead.companyName = "北京星辰科技有限公司"
        lead.phone = "+8613800138000"
        lead.source = "trade-show"
        let encoded = try catalogue.encode(lead)
        #expect(try catalogue.decode(CRMLeadCreated.self, schemaVersion: 1, payload: encoded.payload) == lead)
    }

    @Test("a version-1 follow-up is upcast to the current message")
    func upcastFollowUp() throws {
        var old = CRMFollowUpLoggedV1()
        old.followUpID = "f-1"
        old.customerID = "c-1"
        old.channel = " WeChat "
        old.note = "sent the quote"
        old.nextContactDate = "2024-02-29"
        let stored: [UInt8] = try old.serializedBytes()

        let current = try catalogue.decode(CRMFollowUpLogged.self, schemaVersion: 1, payload: stored)
        #expect(current.followUpID == "f-1")
        #expect(current.customerID == "c-1")
        #expect(current.note == "sent the quote")
        #expect(current.channel == .im)
        // 2024-02-29 09:00 at UTC+8 is 01:00 UTC.
        #expect(current.nextContactAt.seconds == 1_709_168_400)
        #expect(try catalogue.encode(current).schemaVersion == 2)
    }

    @Test(
        "version-1 channels map to the enum",
        arguments: [
            ("phone", CRMFollowUpChannel.call), ("拜访", .visit), ("E-Mail", .email), ("qq", .im), ("fax", .unspecified),
        ]
    )
    func channels(text: String, channel: CRMFollowUpChannel) throws {
        var old = CRMFollowUpLoggedV1()
        old.channel = text
        old.nextContactDate = "not a date"
        let current = try catalogue.decode(CRMFollowUpLogged.self, schemaVersion: 1, payload: old.serializedBytes())
        #expect(current.channel == channel)
        #expect(!current.hasNextContactAt, "an unreadable date is left unset, not guessed")
    }

    @Test("unknown types, unknown versions and corrupt payloads give typed errors")
    func refusals() throws {
        let unknownType = #expect(throws: EventCatalogueError.self) {
            try catalogue.decode(typeName: "crm.v1.Nothing", schemaVersion: 1, payload: [])
        }
        #expect(unknownType?.code == .unknownEventType)
        let newer = #expect(throws: EventCatalogueError.self) {
            try catalogue.decode(typeName: "crm.v1.FollowUpLogged", schemaVersion: 3, payload: [])
        }
        #expect(newer?.code == .unknownSchemaVersion)
        #expect(newer?.message.contains("newer") == true)
        let corrupt = #expect(throws: EventCatalogueError.self) {
            try catalogue.decode(typeName: "crm.v1.LeadCreated", schemaVersion: 1, payload: [0x0A, 0xFF, 0x01])
        }
        #expect(corrupt?.code == .undecodablePayload)
        let notAnEvent = #expect(throws: EventCatalogueError.self) { try catalogue.encode(CRMMoney()) }
        #expect(notAnEvent?.code == .unknownEventType)
    }

    @Test("payloads show in protobuf's canonical JSON mapping at the edges")
    func canonicalJSON() throws {
        var won = CRMOpportunityWon()
        won.opportunityID = "o-1"
        won.amount = CRMMoney.with {
            $0.minorUnits = 12_345_00
            $0.currency = "CNY"
        }
        let json = try won.jsonString()
        #expect(json == #"{"opportunityId":"o-1","amount":{"minorUnits":"1234500","currency":"CNY"}}"#)
        #expect(try CRMOpportunityWon(jsonString: json) == won)
    }
}
