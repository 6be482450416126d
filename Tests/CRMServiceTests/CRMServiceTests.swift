import CRMDomain
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import RapportTestSupport
import SwiftProtobuf
import Testing

@Suite("CRM service over a real log")
struct CRMServiceTests {

    @Test("a customer created into the pool is claimed; both the customer's and the rep's streams record it")
    func createAndClaim() async throws {
        let world = try CRMWorld("crm-service")
        let rep = try await world.user("rep1")
        var new = NewCustomer(name: "北京星辰科技有限公司")
        new.phone = "138-0013-8000"
        new.level = "B"
        let id = try await world.crm.createCustomer(new, actor: rep)
        try await world.crm.claimCustomer(id, actor: rep)

        let customerEvents = try world.events(of: "customer-\(id)")
        #expect(customerEvents.map(\.type) == ["crm.v1.CustomerCreated", "crm.v1.CustomerOwnershipChanged"])
        #expect(customerEvents.allSatisfy { $0.actor == rep })
        let created = try CRMCustomerCreated(serializedBytes: customerEvents[0].payload)
        #expect(created.phone == "+8613800138000")
        #expect(try world.events(of: "user-\(rep)").map(\.type) == ["crm.v1.UserAdded", "crm.v1.RepHoldingChanged"])
        #expect(try world.log.owner(of: UniqueKey("phone:+8613800138000")) == StreamName(category: "customer", id: id))
        await world.close()
    }

    @Test("a duplicate is refused by any dedup key, naming the existing customer and its owner or the pool")
    func duplicates() async throws {
        let world = try CRMWorld("crm-service")
        let (crm, log) = (world.crm, world.log)
        let (rep1, rep2) = (try await world.user("rep1"), try await world.user("rep2"))
        var first = NewCustomer(name: "Shanghai Blue Ocean Trading Co., Ltd.")
        first.email = "Sales@BlueOcean.example"
        let id = try await crm.createCustomer(first, actor: rep1)
        let head = try log.head().position

        let sameName = await #expect(throws: DomainError.self) {
            try await crm.createCustomer(NewCustomer(name: "SHANGHAI BLUE OCEAN TRADING CO LTD"), actor: rep2)
        }
        #expect(sameName?.code == .duplicateCustomer)
        #expect(sameName?.facts["existing"] == "customer-\(id)")
        #expect(sameName?.message.contains("in the public pool") == true)

        try await crm.claimCustomer(id, actor: rep1)
        var sameEmail = NewCustomer(name: "Blue Ocean Shanghai")
        sameEmail.email = " sales@blueocean.example "
        let byEmail = await #expect(throws: DomainError.self) { try await crm.createCustomer(sameEmail, actor: rep2) }
        #expect(byEmail?.facts["owner"] == rep1)
        #expect(byEmail?.facts["key"] == "email:sales@blueocean.example")
        #expect(try log.head().position == head + 2, "refusals appended nothing; the claim appended two events")

        let badPhone = await #expect(throws: DedupKeyError.self) {
            var new = NewCustomer(name: "Other Ltd")
            new.phone = "12345"
            _ = try await crm.createCustomer(new, actor: rep2)
        }
        #expect(badPhone?.code == .invalidPhone)
        await world.close()
    }

    @Test("many reps claiming one pool customer at once: exactly one wins, the rest learn who")
    func concurrentClaims() async throws {
        let world = try CRMWorld("crm-service")
        let crm = world.crm
        var reps: [String] = []
        for index in 0..<16 { reps.append(try await world.user("rep\(index)")) }
        let id = try await world.poolCustomer("争抢客户有限公司")
        let outcomes = try await withThrowingTaskGroup(of: (String, DomainError?).self) { group in
            for rep in reps {
                group.addTask {
                    do {
                        try await crm.claimCustomer(id, actor: rep)
                        return (rep, nil)
                    } catch let error as DomainError {
                        return (rep, error)
                    }
                }
            }
            return try await group.reduce(into: [(String, DomainError?)]()) { $0.append($1) }
        }
        let winners = outcomes.filter { $0.1 == nil }.map(\.0)
        #expect(winners.count == 1)
        let losers = outcomes.compactMap(\.1)
        #expect(losers.count == 15)
        #expect(losers.allSatisfy { $0.code == .customerOwnedByOtherRep && $0.facts["owner"] == winners.first })
        await world.close()
    }

    @Test("one rep claiming many customers at once never exceeds the holding cap")
    func capUnderConcurrency() async throws {
        let world = try CRMWorld("crm-service")
        let crm = world.crm
        let rep = try await world.user("rep1")
        var rules = CRMPoolRulesConfigured()
        (rules.dailyClaimLimit, rules.holdingCap, rules.previousOwnerCooldownDays) = (100, 3, 7)
        try await crm.configurePoolRules(rules, actor: "admin")
        var ids: [String] = []
        for index in 0..<10 { ids.append(try await world.poolCustomer("客户\(index)有限公司")) }
        let claimed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for id in ids {
                group.addTask {
                    do {
                        try await crm.claimCustomer(id, actor: rep)
                        return true
                    } catch let error as DomainError {
                        #expect(error.code == .holdingCapReached)
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(claimed == 3)
        await world.close()
    }

    @Test("rules are judged at the command's business time, and the previous owner's cooldown holds")
    func businessTime() async throws {
        let world = try CRMWorld("crm-service")
        let (crm, clock) = (world.crm, world.clock)
        let (rep1, rep2) = (try await world.user("rep1"), try await world.user("rep2"))
        var strict = CRMPoolRulesConfigured()
        (strict.dailyClaimLimit, strict.holdingCap, strict.previousOwnerCooldownDays) = (1, 10, 7)
        try await crm.configurePoolRules(strict, actor: "admin")
        let a = try await world.poolCustomer("甲有限公司")
        let b = try await world.poolCustomer("乙有限公司")
        // Last month, before any rules were configured, the defaults (20 a day) applied.
        let lastMonth = clock.now().addingTimeInterval(-30 * 86_400)
        try await crm.claimCustomer(a, actor: rep1, occurredAt: lastMonth)
        try await crm.claimCustomer(b, actor: rep1, occurredAt: lastMonth)
        #expect(try await crm.poolRules(at: lastMonth) == .defaults)
        #expect(try await crm.poolRules(at: clock.now()).dailyClaimLimit == 1)

        try await crm.releaseCustomer(a, actor: rep1, note: "no budget")
        let cooldown = await #expect(throws: DomainError.self) { try await crm.claimCustomer(a, actor: rep1) }
        #expect(cooldown?.code == .previousOwnerCooldown)
        let future = await #expect(throws: DomainError.self) {
            try await crm.claimCustomer(a, actor: rep2, occurredAt: clock.now().addingTimeInterval(3_600))
        }
        #expect(future?.code == .occurredInFuture)
        clock.advance(days: 8)
        try await crm.claimCustomer(a, actor: rep1)
        await world.close()
    }

    @Test("a customer created with an owner counts against that owner's holding cap; only a rep or manager may own it")
    func createOwned() async throws {
        let world = try CRMWorld("crm-service")
        let crm = world.crm
        let rep = try await world.user("rep1")
        var rules = CRMPoolRulesConfigured()
        (rules.dailyClaimLimit, rules.holdingCap) = (10, 2)
        try await crm.configurePoolRules(rules, actor: "admin")
        for index in 0..<2 {
            var owned = NewCustomer(name: "自有客户\(index)有限公司")
            owned.ownerID = rep
            _ = try await crm.createCustomer(owned, actor: rep)
        }
        let head = try world.log.head().position
        var third = NewCustomer(name: "第三个有限公司")
        third.ownerID = rep
        let full = await #expect(throws: DomainError.self) { try await crm.createCustomer(third, actor: rep) }
        #expect(full?.code == .holdingCapReached)
        third.ownerID = try await world.user("clerk", role: .finance)
        let finance = await #expect(throws: DomainError.self) { try await crm.createCustomer(third, actor: rep) }
        #expect(finance?.code == .roleCannotOwnCustomers)
        third.ownerID = "nobody"
        let unknown = await #expect(throws: DomainError.self) { try await crm.createCustomer(third, actor: rep) }
        #expect(unknown?.code == .userNotFound)
        #expect(try world.log.head().position == head + 1, "only the finance user was added")
        #expect(try world.events(of: "user-\(rep)").count == 3)
        await world.close()
    }

    @Test("release and transfer: only the owner releases as a rep; the team's manager transfers, naming both reps")
    func releaseAndTransfer() async throws {
        let world = try CRMWorld("crm-service")
        let crm = world.crm
        let team = try await world.team("East")
        let (rep1, rep2) = (try await world.user("rep1", team: team), try await world.user("rep2", team: team))
        let manager = try await world.user("manager", role: .manager, team: team)
        let otherManager = try await world.user("west-manager", role: .manager, team: try await world.team("West"))
        let id = try await world.poolCustomer("丙有限公司")
        try await crm.claimCustomer(id, actor: rep1)
        let notOwner = await #expect(throws: DomainError.self) { try await crm.releaseCustomer(id, actor: rep2) }
        #expect(notOwner?.code == .notCustomerOwner)
        let outside = await #expect(throws: DomainError.self) {
            try await crm.transferCustomer(id, to: rep2, actor: otherManager)
        }
        #expect(outside?.code == .outsideScope)
        try await crm.transferCustomer(id, to: rep2, actor: manager, note: "territory")
        let events = try world.events(of: "user-\(rep1)") + world.events(of: "user-\(rep2)")
        let entries = try events.filter { $0.type == "crm.v1.RepHoldingChanged" }.map {
            try CRMRepHoldingChanged(serializedBytes: $0.payload)
        }
        #expect(entries.map(\.gained) == [true, false, true])
        #expect(entries.last?.reason == .transferred)
        try await crm.releaseCustomer(id, actor: manager, note: "rebalancing")
        let change = try CRMCustomerOwnershipChanged(
            serializedBytes: try world.events(of: "customer-\(id)").last!.payload
        )
        #expect((change.fromOwnerID, change.toOwnerID, change.reason) == (rep2, "", .releasedByManager))
        await world.close()
    }

    @Test("a follow-up needs an existing customer and a channel, and restarts nothing else")
    func followUps() async throws {
        let world = try CRMWorld("crm-service")
        let id = try await world.poolCustomer("丁有限公司")
        var followUp = CRMFollowUpLogged()
        followUp.customerID = id
        followUp.channel = .visit
        followUp.nextContactAt = .init(date: world.clock.now().addingTimeInterval(86_400))
        try await world.crm.logFollowUp(followUp, actor: "rep")
        let logged = try CRMFollowUpLogged(serializedBytes: try world.events(of: "customer-\(id)").last!.payload)
        #expect(!logged.followUpID.isEmpty)
        let head = try world.log.head().position

        var missing = followUp
        missing.customerID = "nobody"
        let error = await #expect(throws: DomainError.self) { try await world.crm.logFollowUp(missing, actor: "rep") }
        #expect(error?.code == .customerNotFound)
        var noChannel = followUp
        noChannel.channel = .unspecified
        let channel = await #expect(throws: DomainError.self) {
            try await world.crm.logFollowUp(noChannel, actor: "rep")
        }
        #expect(channel?.facts["field"] == "channel")
        var backwards = followUp
        backwards.nextContactAt = .init(date: world.clock.now().addingTimeInterval(-86_400))
        let next = await #expect(throws: DomainError.self) { try await world.crm.logFollowUp(backwards, actor: "rep") }
        #expect(next?.facts["field"] == "next_contact_at")
        #expect(try world.log.head().position == head)
        await world.close()
    }
}
