/// The rows of the `reminders` read model.

/// What the reminders need of one customer, kept under its owner's key so one prefix read
/// gives a rep's whole book.
struct ReminderCustomerRow: Codable, Sendable, Hashable {
    var customerID: String
    var name: String
    /// When the customer was created.
    var createdAt: Int64
    /// The follow-ups and the next contact they planned.
    var plan = FollowUpPlan()
    /// When the latest order (a contract becoming binding) happened; `nil` before the first.
    var lastOrderAt: Int64?
    /// The contacts, with their birthdays where known.
    var contacts: [ReminderContact] = []
    /// The pool sweep's pending warning, if any.
    var warning: Customer360.ReleaseWarning?
    /// The instalments not yet fully paid, by contract and number.
    var instalments: [ReminderInstalment] = []
}

/// A contact, for birthdays.
struct ReminderContact: Codable, Sendable, Hashable {
    var contactID: String
    var name: String
    /// The birthday's month and day; 0 when unknown.
    var month: Int
    var day: Int
}

/// An instalment still (partly) unpaid.
struct ReminderInstalment: Codable, Sendable, Hashable {
    var contractID: String
    var number: Int
    var dueAt: Int64
    var amount: Int64
    var collected: Int64
    var currency: String
}
