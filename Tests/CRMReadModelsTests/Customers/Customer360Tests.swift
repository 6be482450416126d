import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import Projections
import SwiftProtobuf
import Testing

@Suite("Customer 360")
struct Customer360Tests {
    typealias Kit = CustomerTestKit

    @Test(
        "the owner history follows a claim, a release, a re-claim by another rep and a transfer; the lists follow the owner"
    )
    func ownerHistory() async throws {
        let world = try CRMWorld("c360-owners")
        let (crm, clock) = (world.crm, world.clock)
        let (manager, reps) = try await Kit.staff(world, reps: ["ann", "bob"])
        let (ann, bob) = (reps[0], reps[1])
        let customer = try await world.poolCustomer("杭州西湖贸易有限公司")  // day 0, into the pool
        let created = clock.now()
        clock.advance(days: 1)
        try await crm.claimCustomer(customer, actor: ann)  // day 1
        let claimed = clock.now()
        clock.advance(days: 1)
        try await crm.releaseCustomer(customer, actor: ann, note: "no budget this year")  // day 2
        let released = clock.now()
        clock.advance(days: 1)
        try await crm.claimCustomer(customer, actor: bob)  // day 3: Ann is in her cooldown, Bob is not
        let reclaimed = clock.now()
        clock.advance(days: 1)
        try await crm.transferCustomer(customer, to: ann, actor: manager, note: "Ann covers Hangzhou")  // day 4
        let transferred = clock.now()
        var direct = NewCustomer(name: "宁波港口物流有限公司")
        direct.ownerID = bob
        let bobs = try await crm.createCustomer(direct, actor: bob)
        let pooled = try await world.poolCustomer("温州鞋业有限公司")
        clock.advance(days: 1)
        var rename = CustomerDecisions.ProfileChanges()
        rename.name = "温州鞋业集团有限公司"
        try await crm.updateCustomerProfile(pooled, rename, actor: "admin")

        let store = try await world.readModels([Customer360Projector.self])
        let queries = Customer360Queries(store: store)
        let view = try #require(try queries.view(customerID: customer))
        // Pool → Ann (claim) → pool (release) → Bob (claim) → Ann (transfer): four changes, the
        // creation into the pool being none.
        #expect(view.ownerHistory.map(\.from) == [nil, ann, nil, bob])
        #expect(view.ownerHistory.map(\.to) == [ann, nil, bob, ann])
        #expect(view.ownerHistory.map(\.reason) == ["claimed", "released_by_rep", "claimed", "transferred"])
        #expect(view.ownerHistory.map(\.occurredAt) == [claimed, released, reclaimed, transferred].map(Kit.nanos))
        #expect(view.ownerHistory.map(\.actor) == [ann, ann, bob, manager])
        #expect(view.ownerHistory.map(\.note) == ["", "no budget this year", "", "Ann covers Hangzhou"])
        #expect(view.ownerHistory.map(\.position) == view.ownerHistory.map(\.position).sorted())
        #expect(view.owner == ann && !view.inPool)
        #expect(view.ownerSince == Kit.nanos(transferred))
        #expect(view.profile.createdAt == Kit.nanos(created) && view.profile.createdBy == "admin")
        // Created with an owner: one change, "created", from nobody.
        let direct360 = try #require(try queries.view(customerID: bobs))
        #expect(direct360.ownerHistory.map(\.reason) == ["created"])
        #expect(direct360.ownerHistory.first?.from == nil && direct360.owner == bob)
        let pooled360 = try #require(try queries.view(customerID: pooled))
        #expect(pooled360.inPool && pooled360.owner == nil && pooled360.ownerHistory.isEmpty)
        #expect(pooled360.profile.name == "温州鞋业集团有限公司")

        // Each customer is listed under exactly its current holder, since it got there.
        let annsList = try queries.customers(ownedBy: ann)
        #expect(
            annsList.customers == [
                CustomerListing(customerID: customer, name: "杭州西湖贸易有限公司", since: Kit.nanos(transferred))
            ]
        )
        #expect(annsList.next == nil)
        #expect(try queries.customers(ownedBy: bob).customers.map(\.customerID) == [bobs])
        #expect(try queries.customers(ownedBy: manager).customers.isEmpty)
        let pool = try queries.poolCustomers()
        #expect(pool.customers.map(\.customerID) == [pooled])
        #expect(pool.customers.first?.name == "温州鞋业集团有限公司", "a rename reaches the list")
        await world.close()
    }

    @Test(
        "a converted lead's customer: its timeline starts with the lead; opportunities, contracts, tickets, complaints and surveys"
    )
    func wholeCustomer() async throws {
        let world = try CRMWorld("c360-whole")
        let (crm, clock) = (world.crm, world.clock)
        let (manager, reps) = try await Kit.staff(world, reps: ["ann"])
        let ann = reps[0]
        let finance = try await world.user("finance", role: .finance)
        let seat = try await crm.addProduct(
            NewProduct(sku: "seat", name: "Seat", price: Kit.cny(1_000), cost: Kit.cny(200)),
            actor: "admin"
        )
        let campaign = try await crm.launchCampaign(
            named: "Spring",
            targetSegment: "East China",
            channel: .email,
            budget: Kit.cny(10_000),
            endsAt: clock.now().addingTimeInterval(60 * 86_400),
            actor: "admin"
        )

        var newLead = NewLead(companyName: "苏州工业园区智造有限公司")
        newLead.contactName = "陈静"
        let lead = try await crm.createLead(newLead, actor: ann)
        try await crm.recordCampaignResponse(campaign, leadID: lead, response: "registered", actor: "admin")
        try await crm.qualifyLead(lead, actor: ann)
        let converted = try await crm.convertLead(
            lead,
            opportunity: .init(name: "Pilot", amount: Kit.cny(50_000)),
            actor: ann
        )
        let customer = converted.customerID
        try await crm.recordCampaignResponse(campaign, leadID: lead, response: "attended", actor: "admin")

        // Tags and contacts.
        try await crm.tagCustomer(customer, adding: ["vip", "east", "2026"], actor: ann)
        try await crm.tagCustomer(customer, adding: ["manufacturing"], removing: ["east"], actor: ann)
        var buyer = CustomerDecisions.ContactFields()
        (buyer.name, buyer.title) = ("王磊", "Purchasing")
        let wang = try await crm.addContact(to: customer, buyer, actor: ann)
        var promoted = CustomerDecisions.ContactFields()
        promoted.title = "Head of purchasing"
        promoted.birthday = CRMCalendarDate.with { ($0.month, $0.day) = (3, 4) }
        try await crm.updateContact(wang, of: customer, promoted, actor: ann)

        // The pilot is lost, reopened and won for less; a second opportunity stays open.
        let pilot = converted.opportunityID
        try await crm.moveOpportunity(pilot, toStage: "proposal", actor: ann)
        try await crm.loseOpportunity(pilot, reason: "price", actor: ann)
        try await crm.reopenOpportunity(pilot, reason: "budget found", actor: ann)
        try await crm.winOpportunity(pilot, reason: "signed", amount: Kit.cny(45_000), actor: ann)
        let rollout = try await crm.openOpportunity(
            .init(name: "Rollout", amount: Kit.cny(200_000)),
            for: customer,
            actor: ann
        )

        // 45 seats at list price bind at once: 45,000 yuan, in two instalments of 20,000 and 25,000.
        let contract = try await crm.draftContract(
            for: customer,
            lines: [.init(productID: seat, quantity: 45)],
            opportunityID: pilot,
            actor: ann
        )
        try await crm.scheduleInstalments(
            contract,
            [
                .init(dueAt: clock.now().addingTimeInterval(10 * 86_400), amount: Kit.cny(20_000)),
                .init(dueAt: clock.now().addingTimeInterval(40 * 86_400), amount: Kit.cny(25_000)),
            ],
            actor: ann
        )
        // 30 seats at 25% off pass the 20% threshold: pending until the manager approves.
        let discounted = try await crm.draftContract(
            for: customer,
            lines: [.init(productID: seat, quantity: 30, discountBasisPoints: 2_500)],
            actor: ann
        )
        // 40 seats at 30% off, rejected.
        let rejected = try await crm.draftContract(
            for: customer,
            lines: [.init(productID: seat, quantity: 40, discountBasisPoints: 3_000)],
            actor: ann
        )
        try await crm.rejectContract(rejected, comment: "too deep", actor: manager)
        clock.advance(days: 5)
        // 26,000 paid: 20,000 fills instalment 1, 6,000 goes to instalment 2; then an invoice for 20,000.
        _ = try await crm.recordPayment(contract, amount: Kit.cny(26_000), method: .bankTransfer, actor: finance)
        let invoice = try await crm.requestInvoice(contract, amount: Kit.cny(20_000), title: "苏州工业园区智造有限公司", actor: ann)
        try await crm.issueInvoice(invoice, of: contract, number: "INV-1", actor: finance)
        let refund = try await crm.requestRefund(
            contract,
            amount: Kit.cny(1_000),
            reason: "one seat unused",
            returnGoods: false,
            actor: ann
        )
        try await crm.approveRefund(refund, of: contract, actor: manager)
        try await crm.payRefund(refund, of: contract, method: .bankTransfer, actor: finance)

        // Service: two work orders, one closed; two complaints, one resolved; three surveys.
        let order1 = try await crm.openWorkOrder(for: customer, contractID: contract, title: "Install", actor: ann)
        try await crm.assignWorkOrder(order1, to: ann, actor: manager)
        try await crm.resolveWorkOrder(order1, resolution: "installed", actor: ann)
        try await crm.closeWorkOrder(order1, actor: ann)
        let order2 = try await crm.openWorkOrder(for: customer, title: "Training", actor: ann)
        try await crm.resolveWorkOrder(order2, resolution: "trained", actor: ann)
        let late = try await crm.fileComplaint(for: customer, category: "delivery", actor: ann)
        try await crm.resolveComplaint(late, rootCause: "carrier", resolution: "refund of shipping", actor: ann)
        _ = try await crm.fileComplaint(for: customer, category: "quality", actor: ann)
        for score: Int32 in [4, 5, 5] {
            _ = try await crm.recordSurvey(for: customer, workOrderID: order1, score: score, actor: ann)
        }
        // A follow-up planning the next contact in three days.
        try await crm.logFollowUp(
            Kit.call(customer, next: clock.now().addingTimeInterval(3 * 86_400), note: "pilot went well"),
            actor: ann
        )
        let followedUp = clock.now()

        let store = try await world.readModels([Customer360Projector.self])
        let view = try #require(try Customer360Queries(store: store).view(customerID: customer))
        #expect(view.profile.name == "苏州工业园区智造有限公司" && view.profile.leadID == lead)
        #expect(view.owner == ann && view.ownerHistory.map(\.reason) == ["created"])
        #expect(view.tags == ["2026", "manufacturing", "vip"], "sorted, with east removed")
        // The lead's contact first, then Wang with his update.
        #expect(view.contacts.map(\.name) == ["陈静", "王磊"])
        #expect(view.contacts[1].title == "Head of purchasing")
        #expect(view.contacts[1].birthday == Customer360.Birthday(year: nil, month: 3, day: 4))
        #expect(view.contacts[1].updatedAt != nil && view.contacts[0].updatedAt == nil)

        #expect(view.opportunities.map(\.opportunityID) == [pilot, rollout])
        #expect(view.opportunities.map(\.status) == [.won, .open])
        #expect(view.opportunities[0].amount == CustomerMoney(minorUnits: 45_000_00, currency: "CNY"), "the amount won")
        #expect(view.opportunities[0].stage == "proposal" && view.opportunities[0].reason == "signed")
        #expect(view.opportunities[1].amount.minorUnits == 200_000_00 && view.opportunities[1].closedAt == nil)

        #expect(view.contracts.map(\.contractID) == [contract, discounted, rejected])
        #expect(view.contracts.map(\.status) == [.binding, .pendingApproval, .rejected])
        // 30 × 1,000 × 75% = 22,500; 40 × 1,000 × 70% = 28,000.
        #expect(view.contracts.map(\.amount) == [45_000_00, 22_500_00, 28_000_00])
        let signed = view.contracts[0]
        #expect((signed.scheduled, signed.collected, signed.credit) == (45_000_00, 26_000_00, 0))
        #expect((signed.invoiced, signed.refunded) == (20_000_00, 1_000_00))
        #expect(signed.outstanding == 19_000_00, "45,000 - 26,000")
        #expect(
            view.contracts[1].outstanding == 0 && view.contracts[2].outstanding == 0,
            "nothing is owed before binding or after rejection"
        )
        #expect(
            view.receivables == [
                Customer360.Receivable(currency: "CNY", amount: 45_000_00, collected: 26_000_00, outstanding: 19_000_00)
            ]
        )

        #expect(view.workOrders.map(\.status) == [.closed, .resolved])
        #expect(view.workOrders[0].assignee == ann && view.workOrders[0].contractID == contract)
        #expect(view.workOrderCounts == Customer360.OpenClosed(open: 1, closed: 1), "resolved but not closed is open")
        #expect(view.complaints.map(\.category) == ["delivery", "quality"])
        #expect(view.complaints[0].rootCause == "carrier" && view.complaints[1].resolvedAt == nil)
        #expect(view.complaintCounts == Customer360.OpenClosed(open: 1, closed: 1))
        // (4 + 5 + 5) / 3 = 4.666…: 47 tenths, rounded half up.
        #expect((view.satisfaction.surveys, view.satisfaction.scoreTotal, view.satisfaction.meanTenths) == (3, 14, 47))

        #expect(view.followUps.plan.count == 1)
        #expect(view.followUps.plan.lastAt == Kit.nanos(followedUp))
        #expect(view.followUps.plan.nextContactAt == Kit.nanos(followedUp.addingTimeInterval(3 * 86_400)))
        #expect(view.followUps.last?.note == "pilot went well" && view.followUps.last?.channel == "call")
        #expect(view.followUps.last?.actor == ann)

        // The timeline: every event naming the customer, its lead, opportunities, contracts,
        // work orders and complaints, in log order; the RepHoldingChanged on Ann's stream and
        // the product and campaign launches are not the customer's.
        let expected = [
            "LeadCreated", "CampaignResponded", "LeadQualified", "LeadConverted", "CustomerCreated", "ContactAdded",
            "OpportunityOpened", "CampaignResponded", "CustomerTagged", "CustomerTagged", "ContactAdded",
            "ContactUpdated",
            "OpportunityStageChanged", "OpportunityLost", "OpportunityReopened", "OpportunityWon", "OpportunityOpened",
            "ContractDrafted", "InstalmentsScheduled", "ContractDrafted", "ContractDrafted", "ContractRejected",
            "PaymentReceived", "InvoiceRequested", "InvoiceIssued", "RefundRequested", "RefundApproved", "RefundPaid",
            "WorkOrderOpened", "WorkOrderAssigned", "WorkOrderResolved", "WorkOrderClosed", "WorkOrderOpened",
            "WorkOrderResolved", "ComplaintFiled", "ComplaintResolved", "ComplaintFiled",
            "SatisfactionSurveyed", "SatisfactionSurveyed", "SatisfactionSurveyed", "FollowUpLogged",
        ].map { "crm.v1." + $0 }
        let timeline = try Customer360Queries(store: store).timeline(customerID: customer, limit: 1_000)
        #expect(timeline.entries.map(\.type) == expected)
        #expect(timeline.entries.map(\.position) == timeline.entries.map(\.position).sorted())
        #expect(timeline.next == nil)
        #expect(view.timelineCount == expected.count)
        #expect(view.recentTimeline == Array(timeline.entries.suffix(Customer360Queries.recentTimelineCount)))
        // Entries carry the log's positions and business times.
        let logged = try world.log.readAll(from: 1)
        for entry in timeline.entries {
            let event = try #require(logged.first { $0.position == entry.position })
            #expect(event.type == entry.type && event.occurredAt.nanosecondsSinceEpoch == entry.occurredAt)
        }
        await world.close()
    }

    @Test("the timeline pages across its rows, after any position, and says where the next page starts")
    func timelinePaging() async throws {
        let world = try CRMWorld("c360-paging")
        let rep = try await world.user("rep")
        let customer = try await world.poolCustomer("大连渔业有限公司")
        try await world.crm.claimCustomer(customer, actor: rep)
        // Created, claimed, then 150 follow-ups: 152 entries, three rows of 64, 64 and 24.
        for index in 0..<150 { try await world.crm.logFollowUp(Kit.call(customer, note: "call \(index)"), actor: rep) }
        let store = try await world.readModels([Customer360Projector.self])
        let queries = Customer360Queries(store: store)
        let all = try queries.timeline(customerID: customer, limit: 1_000).entries
        #expect(all.count == 152)
        #expect(all.prefix(2).map(\.type) == ["crm.v1.CustomerCreated", "crm.v1.CustomerOwnershipChanged"])

        // Pages of 50: 50 + 50 + 50 + 2, each starting after the last one's final position.
        var pages: [[Customer360.TimelineEntry]] = []
        var after: UInt64?
        repeat {
            let page = try queries.timeline(customerID: customer, after: after, limit: 50)
            pages.append(page.entries)
            after = page.next
            if let next = page.next { #expect(next == page.entries.last?.position) }
        } while after != nil && pages.count < 10
        #expect(pages.map(\.count) == [50, 50, 50, 2])
        #expect(pages.flatMap { $0 } == all)
        // After the 64th entry (the last of the first row) and after the 65th.
        #expect(
            try queries.timeline(customerID: customer, after: all[63].position, limit: 3).entries == Array(all[64..<67])
        )
        #expect(
            try queries.timeline(customerID: customer, after: all[64].position, limit: 100).entries
                == Array(all[65..<152])
        )
        #expect(try queries.timeline(customerID: customer, after: all[151].position).entries.isEmpty)
        // Exactly the rest: no next page.
        #expect(try queries.timeline(customerID: customer, after: all[101].position, limit: 50).next == nil)
        let view = try #require(try queries.view(customerID: customer))
        #expect(view.timelineCount == 152)
        #expect(view.recentTimeline == Array(all.suffix(20)))
        #expect(view.followUps.plan.count == 150 && view.followUps.last?.note == "call 149")
        #expect(try queries.timeline(customerID: "no-such-customer").entries.isEmpty)
        await world.close()
    }

    @Test("as of an earlier business time: the owner then, and no view of a customer not yet created")
    func asOf() async throws {
        let world = try CRMWorld("c360-as-of")
        let (crm, clock) = (world.crm, world.clock)
        let rep = try await world.user("rep")
        let customer = try await world.poolCustomer("厦门茶叶有限公司")  // day 0
        clock.advance(days: 2)
        try await crm.claimCustomer(customer, actor: rep)  // day 2
        clock.advance(days: 2)
        var late = NewCustomer(name: "泉州石材有限公司")
        late.ownerID = rep
        let lateOne = try await crm.createCustomer(late, actor: rep)  // day 4
        // A contact entered now but back-dated to day 1, before the customer existed.
        var contact = CustomerDecisions.ContactFields()
        contact.name = "林峰"
        _ = try await crm.addContact(
            to: lateOne,
            contact,
            actor: rep,
            occurredAt: clock.now().addingTimeInterval(-3 * 86_400)
        )

        let dayOne = Timestamp(clock.now().addingTimeInterval(-3 * 86_400 + 60))
        let store = try await world.readModels([Customer360Projector.self], asOf: .occurredTime(dayOne))
        let queries = Customer360Queries(store: store)
        let then = try #require(try queries.view(customerID: customer))
        #expect(then.inPool && then.ownerHistory.isEmpty, "claimed only on day 2")
        #expect(then.timelineCount == 1)
        // The back-dated contact falls within day 1, its customer's creation does not: no view,
        // no timeline, in nobody's list.
        #expect(try queries.view(customerID: lateOne) == nil)
        #expect(try queries.timeline(customerID: lateOne).entries.isEmpty)
        #expect(try queries.customers(ownedBy: rep).customers.isEmpty)
        #expect(try queries.poolCustomers().customers.map(\.customerID) == [customer])

        let now = Customer360Queries(store: try await world.readModels([Customer360Projector.self]))
        #expect(try now.view(customerID: customer)?.owner == rep)
        #expect(try now.view(customerID: lateOne)?.contacts.map(\.name) == ["林峰"])
        #expect(try now.customers(ownedBy: rep).customers.count == 2)
        await world.close()
    }

    @Test("a page of owners' and pool customers carries on after the last one")
    func listingPages() async throws {
        let world = try CRMWorld("c360-lists")
        var ids: [String] = []
        for index in 0..<5 { ids.append(try await world.poolCustomer("池塘公司\(index)")) }
        ids.sort()
        let store = try await world.readModels([Customer360Projector.self])
        let queries = Customer360Queries(store: store)
        let first = try queries.poolCustomers(limit: 2)
        #expect(first.customers.map(\.customerID) == Array(ids[0..<2]) && first.next == ids[1])
        let second = try queries.poolCustomers(after: first.next, limit: 2)
        #expect(second.customers.map(\.customerID) == Array(ids[2..<4]) && second.next == ids[3])
        let last = try queries.poolCustomers(after: second.next, limit: 2)
        #expect(last.customers.map(\.customerID) == [ids[4]] && last.next == nil)
        await world.close()
    }

    @Test("malformed ids, cursors and page sizes are refused; an unknown customer has no view")
    func refusals() async throws {
        let world = try CRMWorld("c360-refusals")
        let store = try await world.readModels([Customer360Projector.self])
        let queries = Customer360Queries(store: store)
        for bad in ["", "a|b", "with space", String(repeating: "x", count: 201), "名字"] {
            let error = #expect(throws: ReadModelQueryError.self) { try queries.view(customerID: bad) }
            #expect(Kit.refuses(error, "customerID"), "\(bad)")
        }
        #expect(
            Kit.refuses(
                #expect(throws: ReadModelQueryError.self) { try queries.timeline(customerID: "x", limit: 0) },
                "limit"
            )
        )
        #expect(
            Kit.refuses(
                #expect(throws: ReadModelQueryError.self) { try queries.timeline(customerID: "x", limit: 1_001) },
                "limit"
            )
        )
        #expect(Kit.refuses(#expect(throws: ReadModelQueryError.self) { try queries.customers(ownedBy: "") }, "owner"))
        #expect(
            Kit.refuses(#expect(throws: ReadModelQueryError.self) { try queries.customers(ownedBy: "rep|x") }, "owner")
        )
        #expect(
            Kit.refuses(#expect(throws: ReadModelQueryError.self) { try queries.poolCustomers(after: "") }, "after")
        )
        #expect(
            Kit.refuses(#expect(throws: ReadModelQueryError.self) { try queries.poolCustomers(limit: -1) }, "limit")
        )
        #expect(try queries.view(customerID: "0190c1d2-unknown") == nil)
        await world.close()
    }
}
