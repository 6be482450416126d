import CRMDomain
import CRMSchema
import Foundation
import SwiftProtobuf
import Testing

@Suite("Public pool decisions")
struct PoolDecisionsTests {
    /// 2026-03-02 10:00 China time (02:00 UTC), a Monday.
    let monday = Date(timeIntervalSince1970: 1_772_416_800)
    let day: TimeInterval = 86_400
    let rules = PoolRules(
        dailyClaimLimit: 2,
        holdingCap: 3,
        previousOwnerCooldownDays: 7,
        idleDaysByLevel: ["A": 60],
        defaultIdleDays: 30,
        warningDaysBeforeRelease: 3,
        businessTimeZone: TimeZone(secondsFromGMT: 8 * 3600)!
    )

    private func customer(
        _ id: String = "c-1",
        owner: String? = nil,
        since: Date? = nil,
        level: String = "B"
    ) -> CustomerState {
        var state = CustomerState(customerID: id)
        var created = CRMCustomerCreated()
        created.customerID = id
        created.level = level
        created.ownerID = owner ?? ""
        state.apply(created, occurredAt: since ?? monday.addingTimeInterval(-100 * day))
        return state
    }

    /// The manager of team-1, where the reps are.
    let manager = user("manager-1", role: .manager)

    private func context(_ actor: String, at time: Date) throws -> CommandContext {
        try CommandContext(actor: actor, occurredAt: time, now: time)
    }

    @Test("a rep claims a pool customer; the event says who, from whom, and why")
    func claimFromPool() throws {
        let event = try PoolDecisions.claim(
            customer(),
            by: user("rep-1"),
            rules: rules,
            context: context("rep-1", at: monday)
        )
        #expect(event.customerID == "c-1")
        #expect(event.fromOwnerID == "")
        #expect(event.toOwnerID == "rep-1")
        #expect(event.reason == .claimed)
    }

    @Test("a customer owned by another rep cannot be claimed, and the refusal names the owner and since when")
    func claimOwned() throws {
        let since = monday.addingTimeInterval(-5 * day)
        let error = #expect(throws: DomainError.self) {
            try PoolDecisions.claim(
                customer(owner: "rep-2", since: since),
                by: user("rep-1"),
                rules: rules,
                context: context("rep-1", at: monday)
            )
        }
        #expect(error?.code == .customerOwnedByOtherRep)
        #expect(error?.facts["owner"] == "rep-2")
        #expect(error?.facts["since"] == since.formatted(.iso8601))
        let own = #expect(throws: DomainError.self) {
            try PoolDecisions.claim(
                customer(owner: "rep-1"),
                by: user("rep-1"),
                rules: rules,
                context: context("rep-1", at: monday)
            )
        }
        #expect(own?.code == .customerAlreadyOwned)
        let missing = #expect(throws: DomainError.self) {
            try PoolDecisions.claim(
                CustomerState(customerID: "c-9"),
                by: user("rep-1"),
                rules: rules,
                context: context("rep-1", at: monday)
            )
        }
        #expect(missing?.code == .customerNotFound)
    }

    @Test("the daily claim limit counts business days in the rules' time zone")
    func dailyLimit() throws {
        var rep = user("rep-1")
        for index in 0..<2 {
            let claim = try PoolDecisions.claim(
                customer("c-\(index)"),
                by: rep,
                rules: rules,
                context: context("rep-1", at: monday)
            )
            rep.holdings.apply(claim, recordedAt: monday, rules: rules)
        }
        let error = #expect(throws: DomainError.self) {
            try PoolDecisions.claim(customer("c-2"), by: rep, rules: rules, context: context("rep-1", at: monday))
        }
        #expect(error?.code == .dailyClaimLimitReached)
        #expect(error?.facts["claimed"] == "2")
        #expect(error?.facts["day"] == "2026-03-02")
        // 23:59 China time is still Monday; 00:00 is Tuesday.
        let lateMonday = monday.addingTimeInterval(13 * 3600 + 59 * 60)
        #expect(throws: DomainError.self) {
            try PoolDecisions.claim(customer("c-2"), by: rep, rules: rules, context: context("rep-1", at: lateMonday))
        }
        let tuesday = monday.addingTimeInterval(14 * 3600)
        #expect(
            try PoolDecisions.claim(customer("c-2"), by: rep, rules: rules, context: context("rep-1", at: tuesday))
                .toOwnerID == "rep-1"
        )
    }

    @Test("a claim back-dated to yesterday still counts against the limit of the day it is recorded")
    func backdatedClaimsCountTheRecordedDay() throws {
        var rep = user("rep-1")
        for index in 0..<2 {
            let claim = try PoolDecisions.claim(
                customer("c-\(index)"),
                by: rep,
                rules: rules,
                context: context("rep-1", at: monday)
            )
            rep.holdings.apply(claim, recordedAt: monday, rules: rules)
        }
        let saysYesterday = try CommandContext(
            actor: "rep-1",
            occurredAt: monday.addingTimeInterval(-86_400),
            now: monday
        )
        let error = #expect(throws: DomainError.self) {
            try PoolDecisions.claim(customer("c-2"), by: rep, rules: rules, context: saysYesterday)
        }
        #expect(error?.code == .dailyClaimLimitReached)
        #expect(error?.facts["day"] == "2026-03-02")
    }

    @Test("a rep at the holding cap cannot claim or receive a transfer")
    func holdingCap() throws {
        var rep = user("rep-1")
        rep.holdings.customers = ["a", "b", "c"]
        let claim = #expect(throws: DomainError.self) {
            try PoolDecisions.claim(customer(), by: rep, rules: rules, context: context("rep-1", at: monday))
        }
        #expect(claim?.code == .holdingCapReached)
        #expect(claim?.facts == ["held": "3", "cap": "3"])
        let transfer = #expect(throws: DomainError.self) {
            try PoolDecisions.transfer(
                customer(owner: "rep-2"),
                by: manager,
                owner: user("rep-2"),
                to: rep,
                rules: rules,
                note: ""
            )
        }
        #expect(transfer?.code == .holdingCapReached)
    }

    @Test("the previous owner waits out the cooldown before claiming back")
    func cooldown() throws {
        var state = customer(owner: "rep-1", since: monday.addingTimeInterval(-20 * day))
        let released = try PoolDecisions.release(state, by: user("rep-1"), owner: user("rep-1"), note: "not interested")
        #expect(released.reason == .releasedByRep)
        state.apply(released, occurredAt: monday)
        #expect(state.owner == nil)

        let tooSoon = #expect(throws: DomainError.self) {
            try PoolDecisions.claim(
                state,
                by: user("rep-1"),
                rules: rules,
                context: context("rep-1", at: monday.addingTimeInterval(6 * day))
            )
        }
        #expect(tooSoon?.code == .previousOwnerCooldown)
        #expect(tooSoon?.facts["until"] == monday.addingTimeInterval(7 * day).formatted(.iso8601))
        // Another rep may claim it at once; the previous owner after the cooldown.
        #expect(
            try PoolDecisions.claim(state, by: user("rep-2"), rules: rules, context: context("rep-2", at: monday))
                .toOwnerID == "rep-2"
        )
        #expect(
            try PoolDecisions.claim(
                state,
                by: user("rep-1"),
                rules: rules,
                context: context("rep-1", at: monday.addingTimeInterval(7 * day))
            ).toOwnerID == "rep-1"
        )
    }

    @Test("the owner releases as a rep; an admin or the owner's team manager as a manager; nobody else")
    func release() throws {
        let owned = customer(owner: "rep-2")
        let error = #expect(throws: DomainError.self) {
            try PoolDecisions.release(owned, by: user("rep-1"), owner: user("rep-2"), note: "")
        }
        #expect(error?.code == .notCustomerOwner)
        #expect(error?.facts["owner"] == "rep-2")
        let byManager = try PoolDecisions.release(owned, by: manager, owner: user("rep-2"), note: "rebalancing")
        #expect(byManager.reason == .releasedByManager)
        #expect(byManager.fromOwnerID == "rep-2")
        #expect(byManager.note == "rebalancing")
        #expect(
            try PoolDecisions.release(
                owned,
                by: user("admin-1", role: .admin, team: ""),
                owner: user("rep-2"),
                note: ""
            ).reason == .releasedByManager
        )
        let otherTeam = #expect(throws: DomainError.self) {
            try PoolDecisions.release(
                owned,
                by: user("manager-2", role: .manager, team: "team-2"),
                owner: user("rep-2"),
                note: ""
            )
        }
        #expect(otherTeam?.code == .outsideScope)
        #expect(otherTeam?.facts["team"] == "team-1")
        let departed = #expect(throws: DomainError.self) {
            try PoolDecisions.release(
                owned,
                by: user("manager-1", role: .manager, active: false),
                owner: user("rep-2"),
                note: ""
            )
        }
        #expect(departed?.code == .notCustomerOwner)
        let pool = #expect(throws: DomainError.self) {
            try PoolDecisions.release(customer(), by: manager, owner: manager, note: "")
        }
        #expect(pool?.code == .customerInPool)
    }

    @Test("a manager transfers a customer between reps of the team, with its reason; reps cannot")
    func transfer() throws {
        let event = try PoolDecisions.transfer(
            customer(owner: "rep-1"),
            by: manager,
            owner: user("rep-1"),
            to: user("rep-2"),
            rules: rules,
            note: "territory change"
        )
        #expect((event.fromOwnerID, event.toOwnerID, event.reason) == ("rep-1", "rep-2", .transferred))
        let same = #expect(throws: DomainError.self) {
            try PoolDecisions.transfer(
                customer(owner: "rep-1"),
                by: manager,
                owner: user("rep-1"),
                to: user("rep-1"),
                rules: rules,
                note: ""
            )
        }
        #expect(same?.code == .customerAlreadyOwned)
        let byOwner = #expect(throws: DomainError.self) {
            try PoolDecisions.transfer(
                customer(owner: "rep-1"),
                by: user("rep-1"),
                owner: user("rep-1"),
                to: user("rep-2"),
                rules: rules,
                note: ""
            )
        }
        #expect(
            byOwner?.code == .outsideScope,
            "a rep gives a customer up by releasing it; only a manager picks the receiver"
        )
        let outsideTeam = #expect(throws: DomainError.self) {
            try PoolDecisions.transfer(
                customer(owner: "rep-1"),
                by: manager,
                owner: user("rep-1"),
                to: user("rep-9", team: "team-2"),
                rules: rules,
                note: ""
            )
        }
        #expect(outsideTeam?.code == .outsideScope)
        let toFinance = #expect(throws: DomainError.self) {
            try PoolDecisions.transfer(
                customer(owner: "rep-1"),
                by: manager,
                owner: user("rep-1"),
                to: user("clerk-1", role: .finance),
                rules: rules,
                note: ""
            )
        }
        #expect(toFinance?.code == .roleCannotOwnCustomers)
        let toDeparted = #expect(throws: DomainError.self) {
            try PoolDecisions.transfer(
                customer(owner: "rep-1"),
                by: manager,
                owner: user("rep-1"),
                to: user("rep-3", active: false),
                rules: rules,
                note: ""
            )
        }
        #expect(toDeparted?.code == .userInactive)
    }

    @Test("only an active sales rep or manager claims; a departed or unknown user cannot")
    func claimNeedsActiveRep() throws {
        for (claimant, code) in [
            (user("rep-1", active: false), DomainError.Code.userInactive),
            (UserState(userID: "ghost"), .userNotFound),
            (user("auditor-1", role: .auditor), .roleCannotOwnCustomers),
        ] {
            let error = #expect(throws: DomainError.self) {
                try PoolDecisions.claim(
                    customer(),
                    by: claimant,
                    rules: rules,
                    context: context(claimant.userID, at: monday)
                )
            }
            #expect(error?.code == code)
        }
        #expect(
            try PoolDecisions.claim(customer(), by: manager, rules: rules, context: context("manager-1", at: monday))
                .toOwnerID == "manager-1"
        )
    }

    @Test("the sweep warns once before the idle limit, then releases; sweeping again decides nothing new")
    func sweep() throws {
        let claimedAt = monday
        var state = customer(owner: "rep-1", since: claimedAt)
        var followUp = CRMFollowUpLogged()
        followUp.customerID = "c-1"
        state.apply(followUp, occurredAt: claimedAt.addingTimeInterval(10 * day))
        // Level B: 30 idle days from the follow-up on day 10, so release on day 40, warn from day 37.
        #expect(PoolDecisions.sweep(state, rules: rules, at: claimedAt.addingTimeInterval(36 * day)) == .none)
        let warnAt = claimedAt.addingTimeInterval(37 * day)
        guard case .warn(let warning) = PoolDecisions.sweep(state, rules: rules, at: warnAt) else {
            Issue.record("expected a warning on day 37")
            return
        }
        #expect(warning.ownerID == "rep-1")
        #expect(warning.idleDays == 30)
        #expect(warning.releaseDueAt.date == claimedAt.addingTimeInterval(40 * day))
        state.apply(warning, occurredAt: warnAt)
        #expect(PoolDecisions.sweep(state, rules: rules, at: warnAt) == .none, "warned once for this idle period")

        let releaseAt = claimedAt.addingTimeInterval(40 * day)
        guard case .release(let release) = PoolDecisions.sweep(state, rules: rules, at: releaseAt) else {
            Issue.record("expected a release on day 40")
            return
        }
        #expect(release.reason == .releasedBySweep)
        #expect(release.toOwnerID == "")
        state.apply(release, occurredAt: releaseAt)
        #expect(PoolDecisions.sweep(state, rules: rules, at: releaseAt) == .none)
    }

    @Test("a follow-up after the warning restarts the idle clock and earns a new warning later")
    func followUpResetsIdleClock() throws {
        var state = customer(owner: "rep-1", since: monday, level: "A")
        let warnAt = monday.addingTimeInterval(57 * day)
        guard case .warn(let warning) = PoolDecisions.sweep(state, rules: rules, at: warnAt) else {
            Issue.record("level A warns from day 57")
            return
        }
        state.apply(warning, occurredAt: warnAt)
        state.apply(CRMFollowUpLogged(), occurredAt: monday.addingTimeInterval(58 * day))
        #expect(PoolDecisions.sweep(state, rules: rules, at: monday.addingTimeInterval(60 * day)) == .none)
        if case .warn = PoolDecisions.sweep(state, rules: rules, at: monday.addingTimeInterval(115 * day)) {
        } else {
            Issue.record("a new idle period earns a new warning")
        }
    }

    @Test("a business time beyond the allowed clock skew is refused")
    func futureTime() {
        let error = #expect(throws: DomainError.self) {
            try CommandContext(actor: "rep-1", occurredAt: monday.addingTimeInterval(301), now: monday)
        }
        #expect(error?.code == .occurredInFuture)
        #expect((try? CommandContext(actor: "rep-1", occurredAt: monday.addingTimeInterval(299), now: monday)) != nil)
        #expect((try? CommandContext(actor: "rep-1", now: monday))?.occurredAt == monday)
    }
}
