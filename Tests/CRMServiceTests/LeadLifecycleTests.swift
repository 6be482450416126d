import CRMDomain
import CRMSchema
import CRMService
import EventStore
import Foundation
import RapportTestSupport
import Testing

@Suite("Lead lifecycle over a real log")
struct LeadLifecycleTests {
    let directory = TemporaryDirectory("leads")
    let clock = TestClock(Date(timeIntervalSince1970: 1_772_416_800))

    private func service() throws -> (CRMService<LMDBEventLog>, LMDBEventLog) {
        let log = try openTestLog(directory)
        return (CRMService(log: log, clock: clock), log)
    }

    private func newLead() -> NewLead {
        var lead = NewLead(companyName: "深圳市前海微众科技有限公司")
        lead.contactName = "李娜"
        lead.phone = "0755-8888 6666"
        lead.email = "Li.Na@Example.CN"
        lead.source = "trade-show"
        return lead
    }

    @Test("a qualified lead converts into customer, contact and opportunity in one append, and its dedup keys move")
    func convert() async throws {
        let (crm, log) = try service()
        let leadID = try await crm.createLead(newLead(), actor: "rep-1")
        try await crm.assignLead(leadID, to: "rep-2", actor: "manager-1")
        try await crm.qualifyLead(leadID, note: "budget confirmed", actor: "rep-2")
        let before = try log.head().position
        let amount = CRMMoney.with { ($0.minorUnits, $0.currency) = (500_000_00, "CNY") }
        let ids = try await crm.convertLead(leadID, opportunityName: "First order", amount: amount, stageID: "proposal", actor: "rep-2")

        let appended = try log.readAll(from: before + 1)
        #expect(appended.map(\.type) == [
            "crm.v1.LeadConverted", "crm.v1.CustomerCreated", "crm.v1.ContactAdded", "crm.v1.OpportunityOpened", "crm.v1.RepHoldingChanged",
        ])
        #expect(Set(appended.map(\.recordedAt)).count == 1, "one atomic append")
        let customer = try CRMCustomerCreated(serializedBytes: appended[1].payload)
        #expect(customer.ownerID == "rep-2")
        #expect(customer.leadID == leadID)
        #expect(customer.phone == "+8675588886666")
        let contact = try CRMContactAdded(serializedBytes: appended[2].payload)
        #expect((contact.customerID, contact.name, contact.email) == (ids.customerID, "李娜", "li.na@example.cn"))
        let opportunity = try CRMOpportunityOpened(serializedBytes: appended[3].payload)
        #expect(opportunity.amount == amount)
        #expect(try log.owner(of: UniqueKey("phone:+8675588886666")) == StreamName(category: "customer", id: ids.customerID))

        let again = await #expect(throws: DomainError.self) {
            try await crm.convertLead(leadID, opportunityName: "x", amount: amount, stageID: "proposal", actor: "rep-2")
        }
        #expect(again?.code == .leadClosed)
        #expect(again?.facts["customer"] == ids.customerID)
        let duplicate = await #expect(throws: DomainError.self) { try await crm.createLead(newLead(), actor: "rep-3") }
        #expect(duplicate?.code == .duplicateCustomer)
        #expect(duplicate?.facts["owner"] == "rep-2")
        await log.close()
    }

    @Test("a lead cannot duplicate another lead; unqualified and disqualified leads refuse conversion")
    func refusals() async throws {
        let (crm, log) = try service()
        let leadID = try await crm.createLead(newLead(), actor: "rep-1")
        var sameEmail = NewLead(companyName: "Another Name Ltd")
        sameEmail.email = "li.na@example.cn"
        let duplicate = await #expect(throws: DomainError.self) { try await crm.createLead(sameEmail, actor: "rep-3") }
        #expect(duplicate?.code == .duplicateLead)
        #expect(duplicate?.facts["existing"] == "lead-\(leadID)")

        let amount = CRMMoney()
        let unqualified = await #expect(throws: DomainError.self) {
            try await crm.convertLead(leadID, opportunityName: "x", amount: amount, stageID: "s", actor: "rep-1")
        }
        #expect(unqualified?.code == .leadNotQualified)
        let noReason = await #expect(throws: DomainError.self) { try await crm.disqualifyLead(leadID, reason: "  ", actor: "rep-1") }
        #expect(noReason?.code == .reasonRequired)
        try await crm.disqualifyLead(leadID, reason: "no budget this year", actor: "rep-1")
        let closed = await #expect(throws: DomainError.self) { try await crm.qualifyLead(leadID, actor: "rep-1") }
        #expect(closed?.code == .leadClosed)
        let missing = await #expect(throws: DomainError.self) { try await crm.qualifyLead("nobody", actor: "rep-1") }
        #expect(missing?.code == .leadNotFound)
        await log.close()
    }
}
