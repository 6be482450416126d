import CRMSchema
import CRMService
import CRMTestSupport
import Foundation
import Testing

@testable import CRMServer

@Suite("Record owners read from each record's stream")
struct RecordOwnersTests {
    @Test(
        "owners follow claims, releases, transfers and lead assignments, exact to the head, through a cache of two records and streams longer than a page"
    )
    func ownersFollowTheLog() async throws {
        let world = try CRMWorld("record-owners")
        let crm = world.crm
        let (rep, other) = (try await world.user("rep"), try await world.user("other"))
        let admin = try await world.user("boss", role: .admin)
        let customers = RecordOwners.customers(in: world.log, capacity: 2)
        let leads = RecordOwners.leads(in: world.log, capacity: 2)
        #expect(try customers.holding(of: "never-seen") == nil)
        #expect(try customers.holding(of: "not a stream id!") == nil)

        let pooled = try await world.poolCustomer("Pooled Co., Ltd.")
        let held = try await world.poolCustomer("Held Co., Ltd.")
        #expect(try customers.holding(of: pooled) == .unowned)
        try await crm.claimCustomer(held, actor: rep)
        #expect(try customers.holding(of: held) == .owner(rep))
        // Past a page of events since the claim: the walk back from the head reaches it.
        var followUp = CRMFollowUpLogged()
        (followUp.customerID, followUp.channel) = (held, .call)
        for _ in 0..<40 { try await crm.logFollowUp(followUp, actor: rep) }
        let fresh = RecordOwners.customers(in: world.log, capacity: 2)
        #expect(try fresh.holding(of: held) == .owner(rep), "read back over 40 follow-ups")
        // Cached, then moved on: the events after the cached version are read forward.
        try await crm.releaseCustomer(held, actor: rep)
        #expect(try fresh.holding(of: held) == .unowned)
        try await crm.claimCustomer(held, actor: other)
        #expect(try customers.holding(of: held) == .owner(other))
        try await crm.transferCustomer(held, to: rep, actor: admin)
        #expect(try customers.holding(of: held) == .owner(rep))

        // More records than the cache holds: evicted ones are read again, still exact.
        var extra: [String] = []
        for index in 0..<5 { extra.append(try await world.poolCustomer("Extra \(index) Co., Ltd.")) }
        try await crm.claimCustomer(extra[0], actor: other)
        for id in extra { _ = try customers.holding(of: id) }
        #expect(try customers.holding(of: extra[0]) == .owner(other))
        #expect(try customers.holding(of: extra[4]) == .unowned)
        #expect(try customers.holding(of: held) == .owner(rep))

        let lead = try await crm.createLead(NewLead(companyName: "Lead Co., Ltd."), actor: "admin")
        #expect(try leads.holding(of: lead) == .unowned)
        try await crm.assignLead(lead, to: other, actor: "admin")
        #expect(try leads.holding(of: lead) == .owner(other))
        #expect(try leads.holding(of: held) == nil, "a customer's id is no lead")
        await world.close()
    }
}
