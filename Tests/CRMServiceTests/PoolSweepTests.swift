import CRMDomain
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import RapportTestSupport
import SwiftProtobuf
import Testing

@Suite("The pool sweep over a real log")
struct PoolSweepTests {
    @Test(
        "the sweep warns, then releases idle customers by their level's limit; a second run at the same time does nothing"
    )
    func sweep() async throws {
        let world = try CRMWorld("sweep")
        let (crm, clock) = (world.crm, world.clock)
        var rules = CRMPoolRulesConfigured()
        (rules.dailyClaimLimit, rules.holdingCap, rules.warningDaysBeforeRelease) = (10, 10, 2)
        rules.idleLimits = [
            CRMIdleLimit.with { ($0.customerLevel, $0.idleDays) = ("A", 10) },
            CRMIdleLimit.with { ($0.customerLevel, $0.idleDays) = ("", 5) },
        ]
        try await crm.configurePoolRules(rules, actor: "admin", occurredAt: clock.now().addingTimeInterval(-1))
        let rep = try await world.user("rep")
        var ids: [String: String] = [:]
        for (name, level) in [("levelA", "A"), ("levelB", "B"), ("followedUp", "B"), ("pool", "B")] {
            var new = NewCustomer(name: "\(name) Co., Ltd.")
            new.level = level
            ids[name] = try await crm.createCustomer(new, actor: rep)
            if name != "pool" { try await crm.claimCustomer(ids[name]!, actor: rep) }
        }

        clock.advance(days: 3.5)
        var followUp = CRMFollowUpLogged()
        (followUp.customerID, followUp.channel) = (ids["followedUp"]!, .call)
        try await crm.logFollowUp(followUp, actor: rep)

        // Day 3.5: level B (5 days) is in its 2-day warning window; A (10 days) is not.
        let first = try await crm.sweepPool()
        #expect(first.customersChecked == 4)
        #expect(first.released.isEmpty)
        #expect(first.warned.map(\.customerID) == [ids["levelB"]!])
        #expect(first.warned.first?.releaseDueAt.date == clock.now().addingTimeInterval(1.5 * 86_400))
        let repeated = try await crm.sweepPool()
        #expect(repeated.warned.isEmpty && repeated.released.isEmpty, "idempotent at one time")

        // Day 5: level B released; the followed-up one's clock restarted at 3.5.
        clock.advance(days: 1.5)
        let second = try await crm.sweepPool()
        #expect(second.released.map(\.customerID) == [ids["levelB"]!])
        #expect(second.released.first?.reason == .releasedBySweep)
        #expect(second.warned.isEmpty)
        let changes = try world.events(of: "customer-\(ids["levelB"]!)").filter {
            $0.type == "crm.v1.CustomerOwnershipChanged"
        }
        #expect(changes.last?.actor == "pool-sweep")
        #expect(try CRMCustomerOwnershipChanged(serializedBytes: changes.last!.payload).fromOwnerID == rep)
        let holdings = try world.events(of: "user-\(rep)").filter { $0.type == "crm.v1.RepHoldingChanged" }
        let lost = try CRMRepHoldingChanged(serializedBytes: holdings.last!.payload)
        #expect((lost.customerID, lost.gained, lost.reason) == (ids["levelB"]!, false, .releasedBySweep))
        // Any rep but the previous owner (in cooldown) may claim it at once.
        let other = try await world.user("other")
        try await crm.claimCustomer(ids["levelB"]!, actor: other)

        // Day 7: the followed-up one is within 2 days of its release at 8.5; A warns from day 8.
        clock.advance(days: 2)
        let third = try await crm.sweepPool()
        #expect(third.warned.map(\.customerID) == [ids["followedUp"]!])
        #expect(third.released.isEmpty)
        await world.close()
    }

    @Test("deals restart the idle clock, and a customer with money still to collect is never swept")
    func businessActivity() async throws {
        let world = try CRMWorld("sweep-activity")
        let steps = try await PoolSweepScenario.businessActivity(in: world) {
            try await world.crm.sweepPool().released.map(\.customerID)
        }
        #expect(steps.count == 4)
        for step in steps { #expect(step.released == step.expected, "\(step.step)") }
        await world.close()
    }

    @Test("a sweep in the past is judged by the rules then; one in the future is refused")
    func sweepTime() async throws {
        let world = try CRMWorld("sweep")
        let rep = try await world.user("rep")
        let id = try await world.poolCustomer("Idle Co., Ltd.")
        try await world.crm.claimCustomer(id, actor: rep)
        let future = await #expect(throws: DomainError.self) {
            try await world.crm.sweepPool(at: world.clock.now().addingTimeInterval(86_400))
        }
        #expect(future?.code == .occurredInFuture)
        world.clock.advance(days: 31)
        // The defaults release after 30 idle days.
        let report = try await world.crm.sweepPool(at: world.clock.now())
        #expect(report.released.map(\.customerID) == [id])
        await world.close()
    }

    @Test("a customer whose stream holds an event this build cannot read is left as it is; the others are swept")
    func unreadableEvents() async throws {
        let world = try CRMWorld("sweep")
        let rep = try await world.user("rep")
        let (readable, foreign) = (
            try await world.poolCustomer("Idle Co., Ltd."), try await world.poolCustomer("Foreign Co., Ltd.")
        )
        try await world.crm.claimCustomer(readable, actor: rep)
        try await world.crm.claimCustomer(foreign, actor: rep)
        // Brought in from elsewhere: a type the catalogue does not know, on the customer and on
        // a deal's stream.
        try await world.log.append(to: stream("customer-\(foreign)"), [testEvent("othercrm.Visited")])
        try await world.log.append(to: stream("opportunity-elsewhere"), [testEvent("othercrm.DealMoved")])
        world.clock.advance(days: 31)
        let report = try await world.crm.sweepPool()
        #expect(report.released.map(\.customerID) == [readable])
        #expect(report.unreadable == [foreign])
        #expect(report.unreadableDealEvents == 1)
        #expect(try world.events(of: "customer-\(foreign)").last?.type == "othercrm.Visited", "nothing appended to it")
        await world.close()
    }
}
