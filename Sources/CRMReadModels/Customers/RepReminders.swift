/// What a rep should act on, on a day.
public struct RepReminders: Codable, Sendable, Hashable {
    /// The rep.
    public var rep: String
    /// The day, `yyyy-mm-dd`.
    public var day: String
    /// The days without an order that put a customer in ``noOrder``, as asked.
    public var noOrderDays: Int
    /// How many days ahead ``instalmentsDue`` looks, as asked.
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
        for list in [
            \RepReminders.contactToday, \.contactTomorrow, \.overdueFollowUps, \.noOrder, \.birthdaysToday,
            \.birthdaysThisWeek, \.releaseWarnings, \.instalmentsDue, \.instalmentsOverdue,
        ] {
            self[keyPath: list].sort(by: order)
        }
    }
}

/// One reminder: the customer, the day it is about, and why.
public struct Reminder: Codable, Sendable, Hashable {
    /// The customer the reminder is about.
    public var customerID: String
    /// The customer's name, for a person.
    public var customerName: String
    /// The day concerned, `yyyy-mm-dd`: the planned contact, the last order, the birthday,
    /// the release or the instalment's due day.
    public var date: String
    /// Days from the day asked about to ``date`` (negative: before it).
    public var days: Int
    /// Why, for a person.
    public var reason: String
    /// The contact whose birthday it is; `nil` for other reminders.
    public var contactID: String?
    /// The name of the contact whose birthday it is; `nil` for other reminders.
    public var contactName: String?
    /// The contract of an instalment reminder; `nil` for other reminders.
    public var contractID: String?
    /// The instalment's number within its contract; `nil` for other reminders.
    public var instalment: Int?
    /// The amount of the instalment still outstanding; `nil` for other reminders.
    public var amount: CustomerMoney?
}
