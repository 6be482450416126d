import CRMDomain
import CRMReadModels
import CRMSchema
import CRMTestSupport
import CRMWorkload
import EventStore
import Foundation
import Projections
import SwiftProtobuf
import Testing

@Suite("Customer read models over a generated history")
struct CustomerWorkloadTests {
    @Test(
        "300 customers over 90 days: every customer has a view agreeing with the log, and the three read models agree"
    )
    func generated() async throws {
        let world = try CRMWorld("customers-workload")
        var options = WorkloadOptions()
        (options.customers, options.reps, options.teams, options.days) = (300, 8, 2, 90)
        let summary = try await WorkloadGenerator(options: options, log: world.log).run()
        let store = try await world.readModels([
            Customer360Projector.self, RemindersProjector.self, RFMProjector.self, UsersProjector.self,
        ])
        let events = try world.log.readAll(from: 1).map { recorded in
            (
                recorded,
                try EventCatalogue.crm.decode(
                    typeName: recorded.type,
                    schemaVersion: recorded.schemaVersion,
                    payload: recorded.payload
                )
            )
        }
        #expect(events.count == summary.events)

        // What the log says, folded here independently of the projectors.
        var created: [String: (event: RecordedEvent, owner: String?)] = [:]
        var owner: [String: String?] = [:]
        var changes: [String: Int] = [:]
        var contracts: [String: [String]] = [:]
        var workOrders: [String: Int] = [:]
        var complaints: [String: Int] = [:]
        var surveys: [String: Int] = [:]
        var allocated: Int64 = 0
        for (recorded, payload) in events {
            switch payload {
            case let customer as CRMCustomerCreated:
                let first = customer.ownerID.isEmpty ? nil : customer.ownerID
                created[customer.customerID] = (recorded, first)
                owner[customer.customerID] = first
                changes[customer.customerID] = first == nil ? 0 : 1
            case let change as CRMCustomerOwnershipChanged:
                owner[change.customerID] = change.toOwnerID.isEmpty ? nil : change.toOwnerID
                changes[change.customerID, default: 0] += 1
            case let drafted as CRMContractDrafted:
                contracts[drafted.customerID, default: []].append(drafted.contractID)
            case let opened as CRMWorkOrderOpened: workOrders[opened.customerID, default: 0] += 1
            case let filed as CRMComplaintFiled: complaints[filed.customerID, default: 0] += 1
            case let survey as CRMSatisfactionSurveyed: surveys[survey.customerID, default: 0] += 1
            case let payment as CRMPaymentReceived:
                allocated += payment.allocations.reduce(0) { $0 + $1.amount.minorUnits }
            default: break
            }
        }
        #expect(created.count == summary.customers, "every customer the generator made is created in the log")
        #expect(
            (240...360).contains(created.count),
            "about 300 customers: imports and converted leads, less duplicates"
        )
        #expect(changes.values.reduce(0, +) > created.count, "some customers changed hands")

        let queries = Customer360Queries(store: store)
        let lastDay = BusinessDay(events.last!.0.occurredAt)
        var views: [String: Customer360] = [:]
        var collected: Int64 = 0
        for (id, (event, _)) in created {
            let view = try #require(try queries.view(customerID: id, segmentDay: lastDay), "customer \(id) has a view")
            views[id] = view
            #expect(view.profile.createdAt == event.occurredAt.nanosecondsSinceEpoch)
            #expect(view.owner == owner[id]!, "the owner is the last change's")
            #expect(view.ownerHistory.count == changes[id])
            if let last = view.ownerHistory.last { #expect(last.to == view.owner) }
            for (before, after) in zip(view.ownerHistory, view.ownerHistory.dropFirst()) {
                #expect(after.from == before.to, "each change starts where the last ended")
                #expect(after.position > before.position)
            }
            #expect(view.contracts.map(\.contractID) == contracts[id] ?? [])
            #expect(view.workOrders.count == workOrders[id] ?? 0 && view.complaints.count == complaints[id] ?? 0)
            #expect(view.satisfaction.surveys == surveys[id] ?? 0)
            collected += view.contracts.reduce(0) { $0 + $1.collected }

            // The timeline holds the customer's whole stream, in log order, and its count.
            let timeline = try queries.timeline(customerID: id, limit: 1_000)
            #expect(timeline.entries.count == view.timelineCount && timeline.next == nil)
            #expect(zip(timeline.entries, timeline.entries.dropFirst()).allSatisfy { $0.position < $1.position })
            let own = try world.events(of: "customer-\(id)").map(\.position)
            #expect(Set(own).isSubset(of: Set(timeline.entries.map(\.position))))
        }
        #expect(collected == allocated, "every allocated payment reached its customer's contract")

        // Each customer is listed once, under its owner or in the pool.
        var listed: [String: String?] = [:]
        for holder in Set(views.values.compactMap(\.owner)) {
            for listing in try allPages({ try queries.customers(ownedBy: holder, after: $0, limit: 37) }) {
                #expect(listed.updateValue(holder, forKey: listing.customerID) == nil)
            }
        }
        for listing in try allPages({ try queries.poolCustomers(after: $0, limit: 37) }) {
            #expect(listed.updateValue(nil, forKey: listing.customerID) == nil)
        }
        #expect(listed == views.mapValues(\.owner))

        // Reminders: with N = 0 every customer a rep holds has had "no order in 0 days", and the
        // instalments outstanding over any window add up to the rep's contracts' plans less
        // what was collected on them.
        let reminders = RemindersQueries(store: store)
        for holder in Set(views.values.compactMap(\.owner)) {
            let held = views.values.filter { $0.owner == holder }
            let due = try reminders.reminders(for: holder, on: lastDay, noOrderDays: 0, dueWithinDays: 36_500)
            #expect(Set(due.noOrder.map(\.customerID)) == Set(held.map(\.customerID)))
            let outstanding = (due.instalmentsDue + due.instalmentsOverdue).reduce(Int64(0)) {
                $0 + ($1.amount?.minorUnits ?? 0)
            }
            let planned = held.flatMap(\.contracts).reduce(Int64(0)) { $0 + $1.scheduled - $1.collected }
            #expect(outstanding == planned, "rep \(holder)")
        }

        // RFM: the customers scored are those with a binding contract; the distribution rows
        // score each customer as the full scan does.
        let rfm = RFMQueries(store: store)
        let counts = try rfm.segments(asOf: lastDay)
        let ordering = views.values.filter { $0.contracts.contains { $0.status == .binding } }
        #expect(counts.scored == ordering.count && counts.scored > 0)
        #expect(counts.scored + counts.withoutOrders == created.count)
        var tally: [RFMSegment: Int] = [:]
        for view in views.values {
            #expect((view.segment != nil) == ordering.contains { $0.customerID == view.customerID })
            if let segment = view.segment { tally[segment.segment, default: 0] += 1 }
        }
        let counted = Dictionary(
            uniqueKeysWithValues: counts.segments.filter { $0.customers > 0 }.map { ($0.segment, $0.customers) }
        )
        #expect(counted == tally, "the distribution rows score every customer as the full scan does")
        #expect(Set(tally.keys).count >= 3, "a realistic history spreads over several segments")
        // As of an earlier day the per-customer scores come from a full scan; they add up too.
        let earlier = lastDay.adding(days: -30)
        var earlierTally: [RFMSegment: Int] = [:]
        for id in created.keys {
            if let score = try rfm.segment(of: id, asOf: earlier) { earlierTally[score.segment, default: 0] += 1 }
        }
        let earlierCounts = try rfm.segments(asOf: earlier)
        #expect(earlierTally.values.reduce(0, +) == earlierCounts.scored)
        for count in earlierCounts.segments { #expect(earlierTally[count.segment, default: 0] == count.customers) }

        // Rebuilt from scratch, every row is the same bytes.
        let again = try await world.readModels([Customer360Projector.self, RemindersProjector.self, RFMProjector.self])
        for name in ["customer360", "reminders", "rfm"] {
            #expect(try again.contents(of: name) == store.contents(of: name), "\(name) rebuilds identically")
        }
        // Each user holds exactly the customers the log last gave them.
        var held: [String: Int] = [:]
        for case let rep? in owner.values { held[rep, default: 0] += 1 }
        let users = try UserQueries(store: store, rules: .defaults).users(now: Date())
        #expect(Set(held.keys).isSubset(of: Set(users.map(\.userID))), "every owner is a user")
        for user in users {
            #expect(user.holdings == held[user.userID, default: 0], "\(user.userID) (\(user.role))")
        }
        #expect(users.reduce(0) { $0 + $1.holdings } == held.values.reduce(0, +))
        await world.close()
    }

    /// Every row of a paged listing.
    private func allPages(_ page: (String?) throws -> CustomerListingPage) throws -> [CustomerListing] {
        var all: [CustomerListing] = []
        var after: String?
        repeat {
            let next = try page(after)
            all += next.customers
            after = next.next
        } while after != nil
        return all
    }
}
