import CRMDomain
import CRMSchema
import CRMService
import EventStore
import Foundation
import RapportTestSupport
import Synchronization
import Testing

/// A clock the test sets.
final class TestClock: CRMClock {
    private let current: Mutex<Date>
    init(_ date: Date) { current = Mutex(date) }
    func now() -> Date { current.withLock { $0 } }
    func advance(days: Double) { current.withLock { $0.addTimeInterval(days * 86_400) } }
}

@Suite("CRM service over a real log")
struct CRMServiceTests {
    let directory = TemporaryDirectory("crm-service")
    /// 2026-03-02 10:00 China time.
    let clock = TestClock(Date(timeIntervalSince1970: 1_772_416_800))

    private func service() throws -> (CRMService<LMDBEventLog>, LMDBEventLog) {
        let log = try openTestLog(directory)
        return (CRMService(log: log, clock: clock), log)
    }

    @Test("a customer created into the pool is claimed; both the customer's and the rep's streams record it")
    func createAndClaim() async throws {
        let (crm, log) = try service()
        var new = NewCustomer(name: "北京星辰科技有限公司")
        new.phone = "138-0013-8000"
        new.level = "B"
        let id = try await crm.createCustomer(new, actor: "rep-1")
        try await crm.claimCustomer(id, actor: "rep-1")

        let customerEvents = try log.readStream(StreamName(category: "customer", id: id))
        #expect(customerEvents.map(\.type) == ["crm.v1.CustomerCreated", "crm.v1.CustomerOwnershipChanged"])
        #expect(customerEvents.allSatisfy { $0.actor == "rep-1" })
        let created = try CRMCustomerCreated(serializedBytes: customerEvents[0].payload)
        #expect(created.phone == "+8613800138000")
        let repEvents = try log.readStream(StreamName("rep-rep-1"))
        #expect(repEvents.map(\.type) == ["crm.v1.RepHoldingChanged"])
        #expect(try log.owner(of: UniqueKey("phone:+8613800138000")) == StreamName(category: "customer", id: id))
        await log.close()
    }

    @Test("a duplicate is refused by any dedup key, naming the existing customer and its owner or the pool")
    func duplicates() async throws {
        let (crm, log) = try service()
        var first = NewCustomer(name: "Shanghai Blue Ocean Trading Co., Ltd.")
        first.email = "Sales@BlueOcean.example"
        let id = try await crm.createCustomer(first, actor: "rep-1")
        let head = try log.head().position

        let sameName = await #expect(throws: DomainError.self) {
            try await crm.createCustomer(NewCustomer(name: "SHANGHAI BLUE OCEAN TRADING CO LTD"), actor: "rep-2")
        }
        #expect(sameName?.code == .duplicateCustomer)
        #expect(sameName?.facts["existing"] == "customer-\(id)")
        #expect(sameName?.message.contains("in the public pool") == true)

        try await crm.claimCustomer(id, actor: "rep-1")
        var sameEmail = NewCustomer(name: "Blue Ocean Shanghai")
        sameEmail.email = " sales@blueocean.example "
        let byEmail = await #expect(throws: DomainError.self) { try await crm.createCustomer(sameEmail, actor: "rep-2") }
        #expect(byEmail?.facts["owner"] == "rep-1")
        #expect(byEmail?.facts["key"] == "email:sales@blueocean.example")
        #expect(try log.head().position == head + 2, "refusals appended nothing; the claim appended two events")

        let badPhone = await #expect(throws: DedupKeyError.self) {
            var new = NewCustomer(name: "Other Ltd")
            new.phone = "12345"
            try await crm.createCustomer(new, actor: "rep-2")
        }
        #expect(badPhone?.code == .invalidPhone)
        await log.close()
    }

    @Test("many reps claiming one pool customer at once: exactly one wins, the rest learn who")
    func concurrentClaims() async throws {
        let (crm, log) = try service()
        let id = try await crm.createCustomer(NewCustomer(name: "争抢客户有限公司"), actor: "admin")
        let outcomes = try await withThrowingTaskGroup(of: (String, DomainError?).self) { group in
            for rep in 0..<16 {
                group.addTask {
                    do {
                        try await crm.claimCustomer(id, actor: "rep-\(rep)")
                        return ("rep-\(rep)", nil)
                    } catch let error as DomainError {
                        return ("rep-\(rep)", error)
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
        await log.close()
    }

    @Test("one rep claiming many customers at once never exceeds the holding cap")
    func capUnderConcurrency() async throws {
        let (crm, log) = try service()
        var rules = CRMPoolRulesConfigured()
        (rules.dailyClaimLimit, rules.holdingCap, rules.previousOwnerCooldownDays) = (100, 3, 7)
        try await crm.configurePoolRules(rules, actor: "admin")
        var ids: [String] = []
        for index in 0..<10 { ids.append(try await crm.createCustomer(NewCustomer(name: "客户\(index)有限公司"), actor: "admin")) }
        let claimed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for id in ids {
                group.addTask {
                    do {
                        try await crm.claimCustomer(id, actor: "rep-1")
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
        await log.close()
    }

    @Test("rules are judged at the command's business time, and the previous owner's cooldown holds")
    func businessTime() async throws {
        let (crm, log) = try service()
        var strict = CRMPoolRulesConfigured()
        (strict.dailyClaimLimit, strict.holdingCap, strict.previousOwnerCooldownDays) = (1, 10, 7)
        try await crm.configurePoolRules(strict, actor: "admin")
        let a = try await crm.createCustomer(NewCustomer(name: "甲有限公司"), actor: "admin")
        let b = try await crm.createCustomer(NewCustomer(name: "乙有限公司"), actor: "admin")
        // Last month, before any rules were configured, the defaults (20 a day) applied.
        let lastMonth = clock.now().addingTimeInterval(-30 * 86_400)
        try await crm.claimCustomer(a, actor: "rep-1", occurredAt: lastMonth)
        try await crm.claimCustomer(b, actor: "rep-1", occurredAt: lastMonth)

        try await crm.releaseCustomer(a, actor: "rep-1", note: "no budget")
        let cooldown = await #expect(throws: DomainError.self) { try await crm.claimCustomer(a, actor: "rep-1") }
        #expect(cooldown?.code == .previousOwnerCooldown)
        let future = await #expect(throws: DomainError.self) {
            try await crm.claimCustomer(a, actor: "rep-2", occurredAt: clock.now().addingTimeInterval(3_600))
        }
        #expect(future?.code == .occurredInFuture)
        clock.advance(days: 8)
        try await crm.claimCustomer(a, actor: "rep-1")
        await log.close()
    }

    @Test("a customer created with an owner counts against that owner's holding cap")
    func createOwned() async throws {
        let (crm, log) = try service()
        var rules = CRMPoolRulesConfigured()
        (rules.dailyClaimLimit, rules.holdingCap) = (10, 2)
        try await crm.configurePoolRules(rules, actor: "admin")
        for index in 0..<2 {
            var owned = NewCustomer(name: "自有客户\(index)有限公司")
            owned.ownerID = "rep-1"
            _ = try await crm.createCustomer(owned, actor: "rep-1")
        }
        var third = NewCustomer(name: "第三个有限公司")
        third.ownerID = "rep-1"
        let full = await #expect(throws: DomainError.self) { try await crm.createCustomer(third, actor: "rep-1") }
        #expect(full?.code == .holdingCapReached)
        #expect(try log.readStream(StreamName("rep-rep-1")).count == 2)
        await log.close()
    }

    @Test("release and transfer: only the owner releases as a rep; a transfer names both reps")
    func releaseAndTransfer() async throws {
        let (crm, log) = try service()
        let id = try await crm.createCustomer(NewCustomer(name: "丙有限公司"), actor: "admin")
        try await crm.claimCustomer(id, actor: "rep-1")
        let notOwner = await #expect(throws: DomainError.self) { try await crm.releaseCustomer(id, actor: "rep-2") }
        #expect(notOwner?.code == .notCustomerOwner)
        try await crm.transferCustomer(id, to: "rep-2", actor: "manager-1", note: "territory")
        let events = try log.readStream(StreamName("rep-rep-1")) + log.readStream(StreamName("rep-rep-2"))
        let entries = try events.map { try CRMRepHoldingChanged(serializedBytes: $0.payload) }
        #expect(entries.map(\.gained) == [true, false, true])
        #expect(entries.last?.reason == .transferred)

        var followUp = CRMFollowUpLogged()
        followUp.customerID = id
        followUp.channel = .visit
        try await crm.logFollowUp(followUp, actor: "rep-2")
        var missing = CRMFollowUpLogged()
        missing.customerID = "nobody"
        let error = await #expect(throws: DomainError.self) { try await crm.logFollowUp(missing, actor: "rep-2") }
        #expect(error?.code == .customerNotFound)
        await log.close()
    }
}
