import CRMDomain
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import RapportTestSupport
import SwiftProtobuf
import Testing

@Suite("Lead lifecycle over a real log")
struct LeadLifecycleTests {
    let amount = CRMMoney(minorUnits: 500_000_00, currency: "CNY")

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
        let world = try CRMWorld("leads")
        let (crm, log) = (world.crm, world.log)
        let (rep1, rep2) = (try await world.user("rep1"), try await world.user("rep2"))
        let leadID = try await crm.createLead(newLead(), actor: rep1)
        let toAuditor = await #expect(throws: DomainError.self) {
            try await crm.assignLead(leadID, to: try await world.user("auditor", role: .auditor), actor: "manager")
        }
        #expect(toAuditor?.code == .roleCannotOwnCustomers)
        try await crm.assignLead(leadID, to: rep2, actor: "manager")
        try await crm.qualifyLead(leadID, note: "budget confirmed", actor: rep2)
        let before = try log.head().position
        var opportunity = OpportunityDecisions.NewOpportunity(name: "First order", amount: amount)
        opportunity.stageID = "nowhere"
        let unknownStage = await #expect(throws: DomainError.self) {
            try await crm.convertLead(leadID, opportunity: opportunity, actor: rep2)
        }
        #expect(unknownStage?.code == .unknownStage)
        opportunity.stageID = "proposal"
        let ids = try await crm.convertLead(leadID, opportunity: opportunity, actor: rep2)

        let appended = try log.readAll(from: before + 1)
        #expect(
            appended.map(\.type) == [
                "crm.v1.LeadConverted", "crm.v1.CustomerCreated", "crm.v1.ContactAdded", "crm.v1.OpportunityOpened",
                "crm.v1.RepHoldingChanged",
            ]
        )
        #expect(Set(appended.map(\.recordedAt)).count == 1, "one atomic append")
        let customer = try CRMCustomerCreated(serializedBytes: appended[1].payload)
        #expect(customer.ownerID == rep2)
        #expect(customer.leadID == leadID)
        #expect(customer.phone == "+8675588886666")
        let contact = try CRMContactAdded(serializedBytes: appended[2].payload)
        #expect((contact.customerID, contact.name, contact.email) == (ids.customerID, "李娜", "li.na@example.cn"))
        let opened = try CRMOpportunityOpened(serializedBytes: appended[3].payload)
        #expect(
            (opened.amount, opened.stageID, opened.ownerID, opened.customerID) == (
                amount, "proposal", rep2, ids.customerID
            )
        )
        #expect(
            try log.owner(of: UniqueKey("phone:+8675588886666")) == StreamName(category: "customer", id: ids.customerID)
        )

        let again = await #expect(throws: DomainError.self) {
            try await crm.convertLead(leadID, opportunity: opportunity, actor: rep2)
        }
        #expect(again?.code == .leadClosed)
        #expect(again?.facts["customer"] == ids.customerID)
        let duplicate = await #expect(throws: DomainError.self) { try await crm.createLead(newLead(), actor: "rep3") }
        #expect(duplicate?.code == .duplicateCustomer)
        #expect(duplicate?.facts["owner"] == rep2)
        await world.close()
    }

    @Test("a lead cannot duplicate another lead; unqualified and disqualified leads refuse conversion")
    func refusals() async throws {
        let world = try CRMWorld("leads")
        let crm = world.crm
        let leadID = try await crm.createLead(newLead(), actor: "rep-1")
        var sameEmail = NewLead(companyName: "Another Name Ltd")
        sameEmail.email = "li.na@example.cn"
        let duplicate = await #expect(throws: DomainError.self) { try await crm.createLead(sameEmail, actor: "rep-3") }
        #expect(duplicate?.code == .duplicateLead)
        #expect(duplicate?.facts["existing"] == "lead-\(leadID)")

        let unqualified = await #expect(throws: DomainError.self) {
            try await crm.convertLead(leadID, opportunity: .init(name: "x", amount: amount), actor: "rep-1")
        }
        #expect(unqualified?.code == .leadNotQualified)
        let noReason = await #expect(throws: DomainError.self) {
            try await crm.disqualifyLead(leadID, reason: "  ", actor: "rep-1")
        }
        #expect(noReason?.code == .reasonRequired)
        try await crm.disqualifyLead(leadID, reason: "no budget this year", actor: "rep-1")
        let closed = await #expect(throws: DomainError.self) { try await crm.qualifyLead(leadID, actor: "rep-1") }
        #expect(closed?.code == .leadClosed)
        let missing = await #expect(throws: DomainError.self) { try await crm.qualifyLead("nobody", actor: "rep-1") }
        #expect(missing?.code == .leadNotFound)
        await world.close()
    }
}
