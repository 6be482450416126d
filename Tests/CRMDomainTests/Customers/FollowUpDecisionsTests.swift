import CRMDomain
import CRMSchema
import Foundation
import SwiftProtobuf
import Testing

@Suite("Follow-up decisions")
struct FollowUpDecisionsTests {
    /// 2026-03-02 10:00 China time.
    let now = Date(timeIntervalSince1970: 1_772_416_800)

    private func followUp(
        customer: String = "c-1",
        channel: CRMFollowUpChannel = .call,
        nextContact: Date? = nil
    )
        -> CRMFollowUpLogged
    {
        var logged = CRMFollowUpLogged()
        (logged.customerID, logged.channel, logged.note) = (customer, channel, "asked for a quote")
        if let nextContact { logged.nextContactAt = .init(date: nextContact) }
        return logged
    }

    private func context() throws -> CommandContext {
        try CommandContext(actor: "rep-1", occurredAt: now, now: now)
    }

    @Test(
        "a follow-up is recorded as given, with the trimmed customer and the new id",
        arguments: [CRMFollowUpChannel.call, .visit, .email, .im]
    )
    func log(_ channel: CRMFollowUpChannel) throws {
        let logged = try FollowUpDecisions.log(
            followUp(customer: " c-1 ", channel: channel, nextContact: now),
            id: "f-1",
            context: context()
        )
        #expect(logged.followUpID == "f-1")
        #expect(logged.customerID == "c-1")
        #expect(logged.channel == channel)
        #expect(logged.note == "asked for a quote")
        #expect(logged.nextContactAt.date == now, "the next contact may be at the follow-up's own time")
    }

    @Test("an id the command gives is kept")
    func keepsID() throws {
        var given = followUp()
        given.followUpID = "f-client"
        #expect(try FollowUpDecisions.log(given, id: "f-1", context: context()).followUpID == "f-client")
    }

    @Test("a follow-up needs a customer and a channel, and a next contact not before itself")
    func refusals() throws {
        let noCustomer = #expect(throws: DomainError.self) {
            try FollowUpDecisions.log(followUp(customer: "  "), id: "f-1", context: context())
        }
        #expect(noCustomer?.code == .fieldRequired)
        #expect(noCustomer?.facts == ["field": "customer"])
        let noChannel = #expect(throws: DomainError.self) {
            try FollowUpDecisions.log(followUp(channel: .unspecified), id: "f-1", context: context())
        }
        #expect(noChannel?.code == .invalidValue)
        #expect(noChannel?.facts == ["field": "channel"])
        let unknownChannel = #expect(throws: DomainError.self) {
            try FollowUpDecisions.log(followUp(channel: .UNRECOGNIZED(9)), id: "f-1", context: context())
        }
        #expect(unknownChannel?.facts == ["field": "channel"])
        let past = #expect(throws: DomainError.self) {
            try FollowUpDecisions.log(followUp(nextContact: now.addingTimeInterval(-1)), id: "f-1", context: context())
        }
        #expect(past?.code == .invalidValue)
        #expect(past?.facts == ["field": "next_contact_at"])
    }

    @Test("a logged follow-up moves the customer's last follow-up forward, never back")
    func foldsLastFollowUp() {
        var state = customer()
        state.apply(followUp(), occurredAt: now)
        state.apply(followUp(), occurredAt: now.addingTimeInterval(-86_400))
        #expect(state.lastFollowUpAt == now)
    }
}
