import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import Foundation
import Projections
import Testing

@Suite("Activity reports read model")
struct ActivityTests {
    /// A week of two reps in two teams. ISO week 2026-W14 runs Monday 30 March to Sunday
    /// 5 April, across a month end.
    @Test("daily, weekly (ISO, across a month end) and monthly reports, per rep and team-wide")
    func reports() async throws {
        let world = try CRMWorld("sales-activity")
        world.salesClockToNextYear()
        let crm = world.crm
        let (east, west) = (try await world.team("East"), try await world.team("West"))
        let alice = try await world.user("alice", team: east)
        let bob = try await world.user("bob", team: west)
        let eastManager = try await world.user("erin", role: .manager, team: east)
        let westManager = try await world.user("will", role: .manager, team: west)
        let product = try await crm.addProduct(
            NewProduct(sku: "kit", name: "Kit", price: salesCNY(1_000), cost: salesCNY(100)),
            actor: "admin"
        )
        func at(_ day: String, _ hour: Double = 10) -> Date { SalesTime.at(day, hour) }

        let mine = try await world.salesCustomer("广州活动甲有限公司", owner: alice, on: "2026-03-01")
        let bobs = try await world.salesCustomer("广州活动乙有限公司", owner: bob, on: "2026-03-01")
        let pooled = try await world.salesCustomer("广州活动丙有限公司", owner: "", on: "2026-03-01")

        // alice's follow-ups: a call on Sunday 29 March (week 13), a call, a visit, an email and
        // an IM in week 14, and a call on Monday 6 April (week 15).
        try await world.salesFollowUp(mine, by: alice, .call, on: "2026-03-29")
        try await world.salesFollowUp(mine, by: alice, .call, on: "2026-03-30")
        try await world.salesFollowUp(mine, by: alice, .visit, on: "2026-03-31")
        try await world.salesFollowUp(mine, by: alice, .email, on: "2026-04-01")
        try await world.salesFollowUp(mine, by: alice, .im, on: "2026-04-02")
        try await world.salesFollowUp(mine, by: alice, .call, on: "2026-04-06")

        // Leads: one created for alice by her manager (31 March: alice's); one created
        // unassigned by the manager (nobody's), assigned to alice (1 April), to bob (2 April)
        // and back to alice (3 April: already counted for her); one bob types in unassigned
        // (3 April: bob's).
        var forAlice = NewLead(companyName: "广州线索一号有限公司")
        forAlice.ownerID = alice
        _ = try await crm.createLead(forAlice, actor: eastManager, occurredAt: at("2026-03-31"))
        let passed = try await crm.createLead(
            NewLead(companyName: "广州线索二号有限公司"),
            actor: eastManager,
            occurredAt: at("2026-03-31")
        )
        try await crm.assignLead(passed, to: alice, actor: eastManager, occurredAt: at("2026-04-01"))
        try await crm.assignLead(passed, to: bob, actor: eastManager, occurredAt: at("2026-04-02"))
        try await crm.assignLead(passed, to: alice, actor: eastManager, occurredAt: at("2026-04-03"))
        _ = try await crm.createLead(NewLead(companyName: "广州线索三号有限公司"), actor: bob, occurredAt: at("2026-04-03"))

        // The pool: alice claims (2 April) and releases (3 April); bob's manager releases bob's
        // customer on Saturday 4 April.
        try await crm.claimCustomer(pooled, actor: alice, occurredAt: at("2026-04-02"))
        try await crm.releaseCustomer(pooled, actor: alice, occurredAt: at("2026-04-03"))
        try await crm.releaseCustomer(bobs, actor: westManager, occurredAt: at("2026-04-04"))

        // alice's deal: opportunity 31 March, quote 1 April, a contract binding at once 2 April,
        // one at 25% off binding on her manager's approval 7 April (week 15), one at 30% off
        // rejected (never signed).
        _ = try await crm.openOpportunity(
            .init(name: "kit", amount: salesCNY(1_000)),
            for: mine,
            actor: alice,
            occurredAt: at("2026-03-31")
        )
        _ = try await crm.createQuote(
            for: mine,
            lines: [.init(productID: product, quantity: 1)],
            validUntil: at("2026-04-30"),
            actor: alice,
            occurredAt: at("2026-04-01")
        )
        _ = try await crm.draftContract(
            for: mine,
            lines: [.init(productID: product, quantity: 1)],
            actor: alice,
            occurredAt: at("2026-04-02")
        )
        let discounted = try await crm.draftContract(
            for: mine,
            lines: [.init(productID: product, quantity: 1, discountBasisPoints: 2_500)],
            actor: alice,
            occurredAt: at("2026-04-02", 11)
        )
        try await crm.approveContract(discounted, actor: eastManager, occurredAt: at("2026-04-07"))
        let refused = try await crm.draftContract(
            for: mine,
            lines: [.init(productID: product, quantity: 1, discountBasisPoints: 3_000)],
            actor: alice,
            occurredAt: at("2026-04-02", 12)
        )
        try await crm.rejectContract(refused, comment: "too cheap", actor: eastManager, occurredAt: at("2026-04-03"))

        let activity = ActivityQueries(store: try await world.readModels([ActivityProjector.self]))

        // Week 14 for alice: 4 follow-ups (one per channel), 2 new leads (31 March, 1 April),
        // 1 claim, 1 release, 1 opportunity, 1 quote, 1 contract (the approved one binds in week 15).
        let week = try activity.report(rep: alice, week: "2026-W14")
        #expect((week.from, week.to) == ("2026-03-30", "2026-04-05"))
        #expect(week.name == "alice")
        var expected = ActivityCounts()
        (expected.calls, expected.visits, expected.emails, expected.instantMessages, expected.followUps) = (
            1, 1, 1, 1, 4
        )
        (expected.newLeads, expected.claims, expected.releases) = (2, 1, 1)
        (expected.opportunitiesOpened, expected.quotesSent, expected.contractsSigned) = (1, 1, 1)
        #expect(week.totals == expected)
        #expect(week.days.map(\.day) == ["2026-03-30", "2026-03-31", "2026-04-01", "2026-04-02", "2026-04-03"])

        // The week is the sum of its seven daily reports.
        var days = ActivityCounts()
        for offset in 0..<7 {
            let day = BusinessDay("2026-03-30")!.adding(days: offset).description
            days.add(try activity.report(rep: alice, day: day).totals)
        }
        #expect(days == week.totals)

        // 31 March: the visit, the lead made hers, the opportunity.
        var march31 = ActivityCounts()
        (march31.visits, march31.followUps, march31.newLeads, march31.opportunitiesOpened) = (1, 1, 1, 1)
        #expect(try activity.report(rep: alice, day: "2026-03-31").totals == march31)

        // March: the calls of 29 and 30 March and 31 March's visit, lead and opportunity.
        let march = try activity.report(rep: alice, month: "2026-03")
        #expect((march.from, march.to) == ("2026-03-01", "2026-03-31"))
        #expect(
            (march.totals.calls, march.totals.visits, march.totals.followUps, march.totals.newLeads) == (2, 1, 3, 1)
        )
        #expect(march.totals.opportunitiesOpened == 1 && march.totals.claims == 0)
        // April: email, IM, the call of 6 April; 1 lead; claim and release; quote; two contracts.
        let april = try activity.report(rep: alice, month: "2026-04")
        #expect(
            (april.totals.calls, april.totals.emails, april.totals.instantMessages, april.totals.followUps) == (
                1, 1, 1, 3
            )
        )
        #expect((april.totals.newLeads, april.totals.claims, april.totals.releases) == (1, 1, 1))
        #expect((april.totals.quotesSent, april.totals.contractsSigned) == (1, 2))
        // The week's March days plus its April days make the week.
        var split = ActivityCounts()
        for day in (march.days + april.days) where day.day >= "2026-03-30" && day.day <= "2026-04-05" {
            split.add(day.counts)
        }
        #expect(split == week.totals)

        // bob's week: the lead passed to him (2 April) and his own (3 April); a customer sent to
        // the pool by his manager (not his own release).
        let bobsWeek = try activity.report(rep: bob, week: "2026-W14")
        var bobsCounts = ActivityCounts()
        (bobsCounts.newLeads, bobsCounts.lostToPool) = (2, 1)
        #expect(bobsWeek.totals == bobsCounts)

        // The team: both reps, by name; the managers did nothing that counts.
        let team = try activity.teamReport(week: "2026-W14")
        #expect(team.reps.map(\.rep) == [alice, bob])
        #expect(team.reps.map(\.team) == [east, west])
        var both = expected
        both.add(bobsCounts)
        #expect(team.totals == both)
        #expect(try activity.teamReport(week: "2026-W14", team: east).reps.map(\.rep) == [alice])
        #expect(try activity.teamReport(week: "2026-W14", team: west).totals == bobsCounts)
        // Saturday: alice listed with nothing, bob with the release.
        let saturday = try activity.teamReport(day: "2026-04-04")
        #expect(saturday.reps.map(\.totals.lostToPool) == [0, 1])
        #expect(saturday.reps[0].totals.isEmpty)
        #expect(try activity.teamReport(month: "2026-04").totals.contractsSigned == 2)

        // ISO weeks at the year's ends: 2026 has 53 weeks, its first starting in 2025.
        let firstWeek = try activity.report(rep: alice, week: "2026-W01")
        #expect((firstWeek.from, firstWeek.to) == ("2025-12-29", "2026-01-04"))
        let lastWeek = try activity.report(rep: alice, week: "2026-W53")
        #expect((lastWeek.from, lastWeek.to, lastWeek.days) == ("2026-12-28", "2027-01-03", []))
        await world.close()
    }

    @Test("malformed days, weeks, months and reps are refused; an unknown rep is not found")
    func badParameters() async throws {
        let world = try CRMWorld("sales-activity")
        let rep = try await world.user("rep")
        let activity = ActivityQueries(store: try await world.readModels([ActivityProjector.self]))
        for day in ["2026-02-30", "2026-3-1", "20260301", "2026-W14", ""] {
            let error = #expect(throws: ReadModelQueryError.self) { try activity.report(rep: rep, day: day) }
            #expect(error?.parameter == "day")
            #expect(throws: ReadModelQueryError.self) { try activity.teamReport(day: day) }
        }
        // 2025 began on a Wednesday: it has 52 weeks.
        for week in ["2026-W54", "2026-W00", "2025-W53", "2026W14", "2026-w14", "2026-W4"] {
            let error = #expect(throws: ReadModelQueryError.self) { try activity.report(rep: rep, week: week) }
            #expect(error?.parameter == "week")
            #expect(throws: ReadModelQueryError.self) { try activity.teamReport(week: week) }
        }
        for month in ["2026-13", "2026-Q1", "2026"] {
            let error = #expect(throws: ReadModelQueryError.self) { try activity.report(rep: rep, month: month) }
            #expect(error?.parameter == "month")
            #expect(throws: ReadModelQueryError.self) { try activity.teamReport(month: month) }
        }
        let empty = #expect(throws: ReadModelQueryError.self) { try activity.report(rep: "", day: "2026-03-02") }
        #expect(empty?.code == .invalidParameter)
        let unknown = #expect(throws: ReadModelQueryError.self) {
            try activity.report(rep: "nobody", day: "2026-03-02")
        }
        #expect(unknown?.code == .notFound)
        #expect(throws: ReadModelQueryError.self) { try activity.teamReport(day: "2026-03-02", team: "") }
        // A rep with no activity yet has an empty report, and is listed in the team's.
        #expect(try activity.report(rep: rep, month: "2026-03").totals.isEmpty)
        #expect(try activity.teamReport(day: "2026-03-02").reps.map(\.rep) == [rep])
        await world.close()
    }
}
