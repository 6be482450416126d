import CRMDomain
import CRMSchema
import CRMService
import Foundation
import RapportAPI
import SwiftProtobuf
import Testing

/// A sales team's day, walked through the routes an app would call and nothing else: the rep
/// opens their leads by priority and their deals by expected close, searches before claiming
/// from the pool and sees a colleague's company is taken; the manager clears what waits for
/// their approval; finance clears a refund.
@Suite("A rep's, a manager's and finance's day over HTTP")
struct RepsDayTests {
    @Test("leads by priority, deals by expected close, search before claim, the approvals inbox as manager and finance")
    func day() async throws {
        let (server, staff) = try await RunningServer.staffed("reps-day") { crm, staff in
            let at = ReportTime.at("2026-11-16")
            // Two leads: a big referral and a small website lead.
            for (key, company, source, size) in [
                ("bigLead", "宁波港机械有限公司", "referral", "250+"), ("smallLead", "小店有限公司", "website", "1-49"),
            ] {
                var lead = NewLead(companyName: company)
                (lead.ownerID, lead.source, lead.companySize) = (staff["rep"], source, size)
                staff.ids[key] = try await crm.createLead(lead, actor: "setup", occurredAt: at)
            }
            // The rep's customer with two deals; a pool company; the West rep's company.
            var mine = NewCustomer(name: "苏州丝绸有限公司")
            mine.ownerID = staff["rep"]
            let customer = try await crm.createCustomer(mine, actor: "setup", occurredAt: at)
            staff.ids["customer"] = customer
            for (key, due) in [("laterDeal", "2026-12-15"), ("soonerDeal", "2026-11-27")] {
                var deal = OpportunityDecisions.NewOpportunity(name: key, amount: yuan(5_000))
                deal.expectedCloseAt = Google_Protobuf_Timestamp(date: ReportTime.at(due, 18))
                staff.ids[key] = try await crm.openOpportunity(deal, for: customer, actor: "setup", occurredAt: at)
            }
            staff.ids["pool"] = try await crm.createCustomer(
                NewCustomer(name: "杭州西湖茶叶有限公司"),
                actor: "setup",
                occurredAt: at
            )
            var taken = NewCustomer(name: "杭州龙井茶叶有限公司")
            taken.ownerID = staff["west"]
            staff.ids["taken"] = try await crm.createCustomer(taken, actor: "setup", occurredAt: at)
            // A contract at 25 % off waits for the manager; a paid one gets a refund request.
            let tea = try await crm.addProduct(
                NewProduct(sku: "tea", name: "Tea", price: yuan(100), cost: yuan(40)),
                actor: "setup",
                occurredAt: at
            )
            staff.ids["discounted"] = try await crm.draftContract(
                for: customer,
                lines: [.init(productID: tea, quantity: 10, discountBasisPoints: 2_500)],
                actor: staff["rep"],
                occurredAt: at
            )
            let paid = try await crm.draftContract(
                for: customer,
                lines: [.init(productID: tea, quantity: 5)],
                actor: staff["rep"],
                occurredAt: at
            )
            try await crm.scheduleInstalments(
                paid,
                [.init(dueAt: ReportTime.at("2026-11-30"), amount: yuan(500))],
                actor: staff["rep"],
                occurredAt: at
            )
            _ = try await crm.recordPayment(
                paid,
                amount: yuan(500),
                method: .bankTransfer,
                actor: staff["finance"],
                occurredAt: at
            )
            staff.ids["paid"] = paid
            staff.ids["refund"] = try await crm.requestRefund(
                paid,
                amount: yuan(100),
                reason: "one box damaged",
                returnGoods: false,
                actor: staff["rep"],
                occurredAt: ReportTime.at("2026-11-17")
            )
        }
        let (rep, manager, finance) = (
            try server.client(as: "rep", staff), try server.client(as: "manager", staff),
            try server.client(as: "finance", staff)
        )

        // The rep: leads by priority, with why; deals by expected close, weighted.
        let leads = try await rep.listLeads().ok.body.json.leads
        #expect(leads.map(\.leadID) == [staff["bigLead"], staff["smallLead"]])
        #expect(leads[0].priorityReasons.first { $0.factor == .source }?.points == 30)
        let deals = try await rep.listOpportunities(query: .init(status: .open)).ok.body.json.opportunities
        #expect(deals.map(\.opportunityID) == [staff["soonerDeal"], staff["laterDeal"]])
        #expect(deals.allSatisfy { $0.weightedAmount == 50_000 }, "5,000 yuan at qualification's 10 %")
        #expect(
            try await rep.approvals().forbidden.body.json.value1.error.code == "forbidden",
            "a rep approves nothing"
        )

        // Search before claim: the pool company is free, the look-alike is the West rep's.
        let hits = try await rep.search(query: .init(q: "杭州茶")).ok.body.json.hits
        let free = try #require(hits.first { $0.id == staff["pool"] })
        #expect(free.ownerID.isEmpty && free.details != nil)
        let collision = try #require(hits.first { $0.id == staff["taken"] })
        #expect(collision.ownerID == staff["west"] && collision.details == nil, "taken: who holds it, nothing more")
        #expect(try await rep.claimCustomer(path: .init(customer: staff["pool"])).ok.body.json.changed)
        try await server.caughtUp()
        let claimed = try await rep.search(query: .init(q: "hzxh")).ok.body.json.hits
        #expect(claimed.first { $0.id == staff["pool"] }?.ownerID == staff["rep"], "pinyin initials; the claim shows")

        // The manager: the discounted contract and the refund wait for them; they clear both.
        let managerInbox = try await manager.approvals().ok.body.json.items
        #expect(Set(managerInbox.map(\.kind)) == [.contractStep, .refund])
        #expect(managerInbox.first { $0.kind == .contractStep }?.contractID == staff["discounted"])
        #expect(managerInbox.map(\.waitingSince) == managerInbox.map(\.waitingSince).sorted(), "oldest first")
        #expect(try await manager.approveContract(path: .init(contract: staff["discounted"])).ok.body.json.changed)

        // Finance: the refund waits for them too; once approved it leaves both inboxes.
        let financeInbox = try await finance.approvals().ok.body.json.items
        #expect(financeInbox.map(\.refundID) == [staff["refund"]] && financeInbox.first?.amount.minorUnits == 10_000)
        #expect(
            try await finance.approveRefund(path: .init(contract: staff["paid"], refund: staff["refund"])).ok.body.json
                .changed
        )
        try await server.caughtUp()
        #expect(try await manager.approvals().ok.body.json.items.isEmpty)
        #expect(try await finance.approvals().ok.body.json.items.isEmpty)
        let contract = try await rep.contract(path: .init(contract: staff["paid"])).ok.body.json
        #expect(contract.refunds.map(\.status) == [.approved] && contract.refunds.first?.decidedBy == staff["finance"])
        try await server.stop()
    }
}
