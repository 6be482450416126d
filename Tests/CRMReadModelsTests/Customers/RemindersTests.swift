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

@Suite("Reminders")
struct RemindersTests {
    typealias Kit = CustomerTestKit

    /// Ann's book, built from Monday 2026-03-02 10:00 (day 0) to Thursday 2026-03-05 11:00, and
    /// the ids of her customers by what they test.
    struct Book {
        let world: CRMWorld
        let ann: String
        let ids: [String: String]
        let store: ReadModelStore

        func reminders(on day: String, noOrderDays: Int = 90, dueWithinDays: Int = 7) throws -> RepReminders {
            try RemindersQueries(store: store).reminders(
                for: ann,
                on: Kit.day(day),
                noOrderDays: noOrderDays,
                dueWithinDays: dueWithinDays
            )
        }

        /// The test names of the customers of `list`, in its order.
        func names(_ list: [Reminder]) -> [String] {
            list.map { reminder in ids.first { $0.value == reminder.customerID }?.key ?? reminder.customerID }
        }
    }

    static func advance(_ world: CRMWorld, to date: Date) {
        world.clock.advance(days: date.timeIntervalSince(world.clock.now()) / 86_400)
    }

    static func book() async throws -> Book {
        let world = try CRMWorld("reminders")
        let crm = world.crm
        #expect(world.clock.now() == Kit.at("2026-03-02", 10))
        // Level B goes back to the pool after 5 idle days, warned 2 days before; others after 30.
        var rules = CRMPoolRulesConfigured()
        (rules.dailyClaimLimit, rules.holdingCap, rules.warningDaysBeforeRelease) = (50, 50, 2)
        rules.idleLimits = [
            CRMIdleLimit.with { ($0.customerLevel, $0.idleDays) = ("B", 5) },
            CRMIdleLimit.with { ($0.customerLevel, $0.idleDays) = ("", 30) },
        ]
        try await crm.configurePoolRules(rules, actor: "admin", occurredAt: Kit.at("2026-02-20", 9))
        let ann = try await world.user("ann")
        let bob = try await world.user("bob")
        let finance = try await world.user("finance", role: .finance)
        var ids: [String: String] = [:]
        func customer(_ name: String, owner: String, level: String = "", at time: Date? = nil) async throws -> String {
            var new = NewCustomer(name: "\(name) Co., Ltd.")
            (new.ownerID, new.level) = (owner, level)
            let id = try await crm.createCustomer(new, actor: owner, occurredAt: time)
            ids[name] = id
            return id
        }
        func followUp(_ name: String, next: Date?, at time: Date? = nil) async throws {
            try await crm.logFollowUp(Kit.call(ids[name]!, next: next), actor: ann, occurredAt: time)
        }

        // Day 0, Monday 03-02 10:00.
        for name in [
            "today", "lateToday", "tomorrow", "overdue", "fulfilled", "early", "replanned", "birthdays", "pay", "paid",
        ] {
            _ = try await customer(name, owner: ann)
        }
        for name in ["warned", "warnedFollowed"] { _ = try await customer(name, owner: ann, level: "B") }
        _ = try await customer("released", owner: ann, level: "B", at: Kit.at("2026-02-27", 10))
        _ = try await customer("bobs", owner: bob)
        // 07:30 on the 5th in Shanghai is still the 4th in UTC: it is due on the 5th all the same.
        try await followUp("today", next: Kit.at("2026-03-05", 7, 30))
        try await followUp("lateToday", next: Kit.at("2026-03-05", 23, 59))
        try await followUp("tomorrow", next: Kit.at("2026-03-06", 0))
        try await followUp("overdue", next: Kit.at("2026-03-04", 18))
        try await followUp("fulfilled", next: Kit.at("2026-03-03", 9))
        try await followUp("early", next: Kit.at("2026-03-04", 9))
        try await followUp("replanned", next: Kit.at("2026-03-04", 9))
        try await crm.logFollowUp(Kit.call(ids["bobs"]!, next: Kit.at("2026-03-05", 9)), actor: bob)
        for (name, month, day) in [
            ("on the day", 3, 5), ("monday", 3, 2), ("sunday", 3, 8), ("next monday", 3, 9), ("last sunday", 3, 1),
            ("leap day", 2, 29), ("new year", 1, 2), ("unknown", 0, 0),
        ] {
            var contact = CustomerDecisions.ContactFields()
            contact.name = name
            if month != 0 {
                contact.birthday = CRMCalendarDate.with { ($0.month, $0.day) = (Int32(month), Int32(day)) }
            }
            _ = try await crm.addContact(to: ids["birthdays"]!, contact, actor: ann)
        }
        // 10,000 yuan binding at once, in instalments due on the 3rd, 5th, 12th and 13th.
        let product = try await crm.addProduct(
            NewProduct(sku: "box", name: "Box", price: Kit.cny(10_000), cost: Kit.cny(1)),
            actor: "admin"
        )
        let contract = try await crm.draftContract(
            for: ids["pay"]!,
            lines: [.init(productID: product, quantity: 1)],
            actor: ann
        )
        try await crm.scheduleInstalments(
            contract,
            [
                .init(dueAt: Kit.at("2026-03-03", 10), amount: Kit.cny(1_000)),
                .init(dueAt: Kit.at("2026-03-05", 10), amount: Kit.cny(2_000)),
                .init(dueAt: Kit.at("2026-03-12", 10), amount: Kit.cny(3_000)),
                .init(dueAt: Kit.at("2026-03-13", 10), amount: Kit.cny(4_000)),
            ],
            actor: ann
        )

        // Day 1, Tuesday 03-03 10:00.
        advance(world, to: Kit.at("2026-03-03", 10))
        try await followUp("fulfilled", next: nil)  // on the planned day: done
        try await followUp("early", next: nil)  // the day before the plan: the plan stands
        try await followUp("replanned", next: Kit.at("2026-03-09", 9))
        // Entered now but made before the plan above: it does not override it.
        try await followUp("replanned", next: Kit.at("2026-03-05", 9), at: Kit.at("2026-03-02", 9))
        // 400 of the 1,000 due today; the rest stays overdue.
        _ = try await crm.recordPayment(contract, amount: Kit.cny(400), method: .bankTransfer, actor: finance)
        // An order on day 1, its one instalment paid in full at once.
        let small = try await crm.draftContract(
            for: ids["paid"]!,
            lines: [.init(productID: product, quantity: 1)],
            actor: ann
        )
        try await crm.scheduleInstalments(
            small,
            [.init(dueAt: Kit.at("2026-03-04", 10), amount: Kit.cny(500))],
            actor: ann
        )
        _ = try await crm.recordPayment(small, amount: Kit.cny(500), method: .cash, actor: finance)

        // Thursday 03-05 10:00: the sweep as it ran on the 3rd (warning "released", due on the
        // 4th) and now (releasing it; warning the two level-B customers idle since Monday).
        advance(world, to: Kit.at("2026-03-05", 10))
        let earlier = try await crm.sweepPool(at: Kit.at("2026-03-03", 10))
        #expect(earlier.warned.map(\.customerID) == [ids["released"]!])
        let now = try await crm.sweepPool()
        #expect(now.released.map(\.customerID) == [ids["released"]!])
        #expect(Set(now.warned.map(\.customerID)) == [ids["warned"]!, ids["warnedFollowed"]!])
        advance(world, to: Kit.at("2026-03-05", 11))
        try await followUp("warnedFollowed", next: nil)

        let store = try await world.readModels([RemindersProjector.self])
        return Book(world: world, ann: ann, ids: ids, store: store)
    }

    @Test(
        "planned contacts fall today, tomorrow or overdue by the China business day; a follow-up on the day fulfils a plan"
    )
    func contacts() async throws {
        let book = try await Self.book()
        let thursday = try book.reminders(on: "2026-03-05")
        #expect(thursday.day == "2026-03-05")
        #expect(book.names(thursday.contactToday).sorted() == ["lateToday", "today"])
        #expect(thursday.contactToday.allSatisfy { $0.date == "2026-03-05" && $0.days == 0 })
        #expect(book.names(thursday.contactTomorrow) == ["tomorrow"])
        #expect(thursday.contactTomorrow.first?.days == 1)
        // Both planned for the 4th: "overdue" never followed up, "early" only on the 3rd.
        #expect(book.names(thursday.overdueFollowUps).sorted() == ["early", "overdue"])
        #expect(thursday.overdueFollowUps.allSatisfy { $0.date == "2026-03-04" && $0.days == -1 })
        // "replanned" is due on the 9th (the back-dated plan for the 5th lost); "bobs" is Bob's.
        let all = thursday.contactToday + thursday.contactTomorrow + thursday.overdueFollowUps
        #expect(
            !book.names(all).contains("replanned") && !book.names(all).contains("fulfilled")
                && !book.names(all).contains("bobs")
        )

        // A day earlier the buckets shift: the 4th is today, the 5th tomorrow, nothing overdue.
        let wednesday = try book.reminders(on: "2026-03-04")
        #expect(book.names(wednesday.contactToday).sorted() == ["early", "overdue"])
        #expect(book.names(wednesday.contactTomorrow).sorted() == ["lateToday", "today"])
        #expect(wednesday.overdueFollowUps.isEmpty)
        // On the 9th the replanned contact is due; everything else planned is overdue.
        let monday = try book.reminders(on: "2026-03-09")
        #expect(book.names(monday.contactToday) == ["replanned"])
        #expect(book.names(monday.overdueFollowUps).sorted() == ["early", "lateToday", "overdue", "today", "tomorrow"])
        await book.world.close()
    }

    @Test("pool-release warnings stand until a follow-up or a release; instalments are due within N days or overdue")
    func warningsAndInstalments() async throws {
        let book = try await Self.book()
        let thursday = try book.reminders(on: "2026-03-05")
        // Warned at 10:00 for a release on Saturday the 7th; the other one was followed up at 11:00,
        // and "released" is no longer Ann's at all.
        #expect(book.names(thursday.releaseWarnings) == ["warned"])
        #expect(thursday.releaseWarnings.first?.date == "2026-03-07" && thursday.releaseWarnings.first?.days == 2)
        let everything =
            thursday.contactToday + thursday.contactTomorrow + thursday.overdueFollowUps + thursday.noOrder
            + thursday.birthdaysThisWeek + thursday.releaseWarnings + thursday.instalmentsDue
            + thursday.instalmentsOverdue
        #expect(!book.names(try book.reminders(on: "2026-03-05", noOrderDays: 0).noOrder).contains("released"))
        #expect(!book.names(everything).contains("released"))

        // Instalment 1 (1,000 due on the 3rd, 400 paid) is 600 overdue; 2 is due today; 3 is due
        // in exactly 7 days; 4, in 8, falls outside the default window. "paid"'s one is paid.
        #expect(thursday.instalmentsOverdue.map(\.instalment) == [1])
        #expect(thursday.instalmentsOverdue.first?.amount == CustomerMoney(minorUnits: 600_00, currency: "CNY"))
        #expect(
            thursday.instalmentsOverdue.first?.days == -2 && thursday.instalmentsOverdue.first?.date == "2026-03-03"
        )
        #expect(thursday.instalmentsDue.map(\.instalment) == [2, 3])
        #expect(thursday.instalmentsDue.map(\.days) == [0, 7])
        #expect(thursday.instalmentsDue.map(\.amount?.minorUnits) == [2_000_00, 3_000_00])
        #expect(Set(book.names(thursday.instalmentsDue + thursday.instalmentsOverdue)) == ["pay"])
        #expect(try book.reminders(on: "2026-03-05", dueWithinDays: 8).instalmentsDue.map(\.instalment) == [2, 3, 4])
        #expect(try book.reminders(on: "2026-03-05", dueWithinDays: 0).instalmentsDue.map(\.instalment) == [2])
        // On the 4th instalment 2 is due tomorrow, and only 1 is overdue.
        let wednesday = try book.reminders(on: "2026-03-04", dueWithinDays: 1)
        #expect(wednesday.instalmentsDue.map(\.instalment) == [2] && wednesday.instalmentsDue.first?.days == 1)
        #expect(wednesday.instalmentsOverdue.map(\.instalment) == [1])
        await book.world.close()
    }

    @Test("no order in N days counts from the last order, or the creation, and includes exactly N")
    func noOrder() async throws {
        let book = try await Self.book()
        // On the 5th: "pay" ordered on the 2nd (3 days), "paid" on the 3rd (2 days); the others
        // never ordered and were created on the 2nd (3 days).
        let neverOrdered = [
            "today", "lateToday", "tomorrow", "overdue", "fulfilled", "early", "replanned", "birthdays", "warned",
            "warnedFollowed",
        ]
        let three = try book.reminders(on: "2026-03-05", noOrderDays: 3).noOrder
        #expect(book.names(three).sorted() == (neverOrdered + ["pay"]).sorted())
        #expect(three.allSatisfy { $0.date == "2026-03-02" && $0.days == -3 })
        let pay = try #require(three.first { $0.customerID == book.ids["pay"] })
        #expect(pay.reason == "no order for 3 days")
        #expect(
            three.first { $0.customerID == book.ids["today"] }?.reason == "no order since it was created 3 days ago"
        )
        #expect(
            book.names(try book.reminders(on: "2026-03-05", noOrderDays: 2).noOrder).sorted()
                == (neverOrdered + ["pay", "paid"]).sorted()
        )
        #expect(try book.reminders(on: "2026-03-05", noOrderDays: 4).noOrder.isEmpty)
        #expect(try book.reminders(on: "2026-03-05").noOrder.isEmpty, "90 days by default")
        await book.world.close()
    }

    @Test("birthdays today and in the ISO week, across a year end, with 29 February on the 28th in other years")
    func birthdays() async throws {
        let book = try await Self.book()
        func contacts(_ list: [Reminder]) -> [String] { list.compactMap(\.contactName) }
        // Thursday 5 March 2026: the week runs Monday the 2nd to Sunday the 8th.
        let thursday = try book.reminders(on: "2026-03-05")
        #expect(contacts(thursday.birthdaysToday) == ["on the day"])
        #expect(contacts(thursday.birthdaysThisWeek) == ["monday", "on the day", "sunday"])
        #expect(thursday.birthdaysThisWeek.map(\.date) == ["2026-03-02", "2026-03-05", "2026-03-08"])
        #expect(thursday.birthdaysThisWeek.map(\.days) == [-3, 0, 3])
        // Monday the 9th starts the next week.
        #expect(contacts(try book.reminders(on: "2026-03-09").birthdaysThisWeek) == ["next monday"])
        #expect(contacts(try book.reminders(on: "2026-03-09").birthdaysToday) == ["next monday"])
        // 2026 has no 29 February: the leap-day birthday falls on Saturday the 28th.
        let february = try book.reminders(on: "2026-02-26")
        #expect(contacts(february.birthdaysThisWeek) == ["leap day", "last sunday"])
        #expect(february.birthdaysThisWeek.map(\.date) == ["2026-02-28", "2026-03-01"])
        #expect(contacts(try book.reminders(on: "2026-02-28").birthdaysToday) == ["leap day"])
        // 2028 has one: the 29th, not the 28th.
        #expect(contacts(try book.reminders(on: "2028-02-28").birthdaysToday).isEmpty)
        #expect(contacts(try book.reminders(on: "2028-02-29").birthdaysToday) == ["leap day"])
        // The week of Thursday 31 December 2026 ends on Sunday 3 January 2027.
        let yearEnd = try book.reminders(on: "2026-12-31")
        #expect(contacts(yearEnd.birthdaysThisWeek) == ["new year"])
        #expect(yearEnd.birthdaysThisWeek.first?.date == "2027-01-02")
        await book.world.close()
    }

    @Test("a rep with no customers has no reminders; malformed reps and negative day counts are refused")
    func refusals() async throws {
        let book = try await Self.book()
        let queries = RemindersQueries(store: book.store)
        let none = try queries.reminders(for: "nobody", on: Kit.day("2026-03-05"), noOrderDays: 0)
        #expect(none.noOrder.isEmpty && none.contactToday.isEmpty && none.instalmentsDue.isEmpty)
        let day = Kit.day("2026-03-05")
        #expect(
            Kit.refuses(#expect(throws: ReadModelQueryError.self) { try queries.reminders(for: "", on: day) }, "rep")
        )
        #expect(
            Kit.refuses(#expect(throws: ReadModelQueryError.self) { try queries.reminders(for: "a|", on: day) }, "rep")
        )
        #expect(
            Kit.refuses(
                #expect(throws: ReadModelQueryError.self) {
                    try queries.reminders(for: book.ann, on: day, noOrderDays: -1)
                },
                "noOrderDays"
            )
        )
        #expect(
            Kit.refuses(
                #expect(throws: ReadModelQueryError.self) {
                    try queries.reminders(for: book.ann, on: day, dueWithinDays: -7)
                },
                "dueWithinDays"
            )
        )
        #expect(
            Kit.refuses(
                #expect(throws: ReadModelQueryError.self) {
                    try queries.reminders(for: book.ann, on: day, dueWithinDays: 40_000)
                },
                "dueWithinDays"
            )
        )
        await book.world.close()
    }
}
