public import Projections

/// Questions answered by the `reminders` read model: what a rep should act on, on a day.
public struct RemindersQueries: Sendable {
    /// The store holding the read model.
    public let store: ReadModelStore

    /// Queries over `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    /// The reminders of `rep` on business day `day`, over the customers the rep owns now.
    ///
    /// - Contact today / tomorrow: the next contact planned by the follow-ups falls on `day` /
    ///   the day after (see ``FollowUpPlan`` for which plan stands).
    /// - Overdue follow-ups: the planned next contact's day is before `day`, and no follow-up
    ///   on or after that day fulfilled it.
    /// - No order in `noOrderDays` days: the last order (a contract becoming binding), or the
    ///   customer's creation when it never ordered, is at least `noOrderDays` days before `day`
    ///   (so no order falls in the `noOrderDays` days ending with `day`).
    /// - Birthdays today / this week: contacts whose birthday (month and day) falls on `day` /
    ///   in the ISO week (Monday to Sunday) holding `day`, today's included; a 29 February
    ///   birthday falls on 28 February in other years.
    /// - Pool-release warnings: the sweep warned the rep and nobody has followed up since.
    /// - Instalments due within `dueWithinDays` days (from `day` to `day + dueWithinDays`) and
    ///   overdue (due before `day`) with money still outstanding.
    ///
    /// Each list is sorted by date, then customer, then what it is about.
    ///
    /// - Throws: ``ReadModelQueryError`` for a malformed rep id or a negative (or absurd) count of days.
    public func reminders(for rep: String, on day: BusinessDay, noOrderDays: Int = 90, dueWithinDays: Int = 7) throws
        -> RepReminders
    {
        try CustomerQueryParameters.requireID(rep, "rep")
        try CustomerQueryParameters.requireDays(noOrderDays, "noOrderDays")
        try CustomerQueryParameters.requireDays(dueWithinDays, "dueWithinDays")
        var reminders = RepReminders(rep: rep, day: day.description, noOrderDays: noOrderDays, dueWithinDays: dueWithinDays)
        let week = Self.birthdayWeek(of: day)
        let rows = try store.rows(ReminderCustomerRow.self, projector: RemindersProjector.name, table: "customers", prefix: rep + "|")
        for (_, customer) in rows {
            func reminder(_ date: BusinessDay, _ reason: String) -> Reminder {
                Reminder(customerID: customer.customerID, customerName: customer.name, date: date.description, days: day.days(to: date), reason: reason)
            }
            if let next = customer.plan.nextContactAt.map(CustomerTime.day) {
                switch day.days(to: next) {
                case 0: reminders.contactToday.append(reminder(next, "next contact planned for today"))
                case 1: reminders.contactTomorrow.append(reminder(next, "next contact planned for tomorrow"))
                case ..<0: reminders.overdueFollowUps.append(reminder(next, "next contact was due \(next) with no follow-up since"))
                default: break
                }
            }
            let ordered = customer.lastOrderAt.map(CustomerTime.day)
            let since = ordered ?? CustomerTime.day(customer.createdAt)
            let idle = since.days(to: day)
            if idle >= noOrderDays {
                let reason = ordered == nil ? "no order since it was created \(idle) days ago" : "no order for \(idle) days"
                reminders.noOrder.append(reminder(since, reason))
            }
            for contact in customer.contacts where contact.month != 0 {
                guard let date = week[contact.month * 100 + contact.day] else { continue }
                var birthday = reminder(date, "\(contact.name)'s birthday")
                (birthday.contactID, birthday.contactName) = (contact.contactID, contact.name)
                if date == day { reminders.birthdaysToday.append(birthday) }
                reminders.birthdaysThisWeek.append(birthday)
            }
            if let warning = customer.warning {
                let due = CustomerTime.day(warning.releaseDueAt)
                reminders.releaseWarnings.append(reminder(due, "the pool sweep releases it on \(due) after \(warning.idleDays) idle days unless followed up"))
            }
            for instalment in customer.instalments where instalment.collected < instalment.amount {
                let due = CustomerTime.day(instalment.dueAt)
                let outstanding = CustomerMoney(minorUnits: instalment.amount - instalment.collected, currency: instalment.currency)
                let offset = day.days(to: due)
                guard offset <= dueWithinDays else { continue }
                var entry = reminder(
                    due,
                    "instalment \(instalment.number) of contract \(instalment.contractID): \(outstanding.minorUnits) "
                        + "\(outstanding.currency) minor units \(offset < 0 ? "overdue since" : "due") \(due)"
                )
                (entry.contractID, entry.instalment, entry.amount) = (instalment.contractID, instalment.number, outstanding)
                if offset < 0 { reminders.instalmentsOverdue.append(entry) } else { reminders.instalmentsDue.append(entry) }
            }
        }
        reminders.sort()
        return reminders
    }

    /// The days of the ISO week holding `day`, by birthday (`month × 100 + day`); 29 February
    /// maps to 28 February in a year without it.
    static func birthdayWeek(of day: BusinessDay) -> [Int: BusinessDay] {
        let monday = day.number - (day.number + 3).modulo(7)  // 1970-01-01 was a Thursday
        var week: [Int: BusinessDay] = [:]
        for offset in 0..<7 {
            let date = BusinessDay(number: monday + offset)
            let (year, month, dayOfMonth) = date.date
            week[month * 100 + dayOfMonth] = date
            if month == 2, dayOfMonth == 28, BusinessDay(year: year, month: 2, day: 29) == nil { week[229] = date }
        }
        return week
    }
}

/// What a rep should act on, on a day.
public struct RepReminders: Codable, Sendable, Hashable {
    /// The rep.
    public var rep: String
    /// The day, `yyyy-mm-dd`.
    public var day: String
    /// The parameters asked with.
    public var noOrderDays: Int
    public var dueWithinDays: Int
    /// Customers to contact today, as planned.
    public var contactToday: [Reminder] = []
    /// Customers to contact tomorrow, as planned.
    public var contactTomorrow: [Reminder] = []
    /// Planned contacts whose day has passed without a follow-up.
    public var overdueFollowUps: [Reminder] = []
    /// Customers without an order in ``noOrderDays`` days.
    public var noOrder: [Reminder] = []
    /// Contacts' birthdays today.
    public var birthdaysToday: [Reminder] = []
    /// Contacts' birthdays this week (Monday to Sunday), today's included.
    public var birthdaysThisWeek: [Reminder] = []
    /// Customers the pool sweep will release unless followed up.
    public var releaseWarnings: [Reminder] = []
    /// Instalments due within ``dueWithinDays`` days.
    public var instalmentsDue: [Reminder] = []
    /// Instalments past due and not fully paid.
    public var instalmentsOverdue: [Reminder] = []

    /// Reminders not yet gathered.
    init(rep: String, day: String, noOrderDays: Int, dueWithinDays: Int) {
        (self.rep, self.day, self.noOrderDays, self.dueWithinDays) = (rep, day, noOrderDays, dueWithinDays)
    }

    /// Sorts every list by date, customer, contact, contract and instalment.
    mutating func sort() {
        let order: (Reminder, Reminder) -> Bool = { a, b in
            (a.date, a.customerID, a.contactID ?? "", a.contractID ?? "", a.instalment ?? 0)
                < (b.date, b.customerID, b.contactID ?? "", b.contractID ?? "", b.instalment ?? 0)
        }
        for list in [\RepReminders.contactToday, \.contactTomorrow, \.overdueFollowUps, \.noOrder, \.birthdaysToday,
            \.birthdaysThisWeek, \.releaseWarnings, \.instalmentsDue, \.instalmentsOverdue]
        {
            self[keyPath: list].sort(by: order)
        }
    }
}

/// One reminder: the customer, the day it is about, and why.
public struct Reminder: Codable, Sendable, Hashable {
    public var customerID: String
    public var customerName: String
    /// The day concerned, `yyyy-mm-dd`: the planned contact, the last order, the birthday,
    /// the release or the instalment's due day.
    public var date: String
    /// Days from the day asked about to ``date`` (negative: before it).
    public var days: Int
    /// Why, for a person.
    public var reason: String
    /// The contact, for a birthday.
    public var contactID: String?
    public var contactName: String?
    /// The contract and instalment, and the amount outstanding, for an instalment.
    public var contractID: String?
    public var instalment: Int?
    public var amount: CustomerMoney?
}
