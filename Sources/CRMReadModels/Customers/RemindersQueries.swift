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
    public func reminders(
        for rep: String,
        on day: BusinessDay,
        noOrderDays: Int = 90,
        dueWithinDays: Int = 7
    ) throws
        -> RepReminders
    {
        try CustomerQueryParameters.requireID(rep, "rep")
        try CustomerQueryParameters.requireDays(noOrderDays, "noOrderDays")
        try CustomerQueryParameters.requireDays(dueWithinDays, "dueWithinDays")
        var reminders = RepReminders(
            rep: rep,
            day: day.description,
            noOrderDays: noOrderDays,
            dueWithinDays: dueWithinDays
        )
        let week = Self.birthdayWeek(of: day)
        let name = RemindersProjector.name
        for (key, _) in try store.rows(Bool.self, projector: name, table: "byOwner", prefix: rep + "|") {
            let customerID = String(key.dropFirst(rep.utf8.count + 1))
            if let customer = try store.row(
                ReminderCustomerRow.self,
                projector: name,
                table: "customers",
                key: customerID
            ),
                customer.exists
            {
                reminders.gather(customer, on: day, week: week)
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
