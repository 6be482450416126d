/// The rows of the `reminders` read model.

/// What the reminders need of one customer.
struct ReminderCustomerRow: Codable, Sendable, Hashable {
    var customerID: String
    var name: String
    /// The owning rep; empty while in the pool.
    var owner: String
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

    /// Whether the customer's creation was seen (see ``unknown``).
    var exists: Bool { !customerID.isEmpty }

    /// The row an event naming an unknown customer leaves behind, which queries ignore: the
    /// projector changes rows in place without checking for them first (checking copies the row).
    static let unknown = ReminderCustomerRow(customerID: "", name: "", owner: "", createdAt: 0)
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
