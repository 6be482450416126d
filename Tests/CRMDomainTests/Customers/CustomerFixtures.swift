import CRMDomain
import CRMSchema
import Foundation

/// A customer as its stream would fold: created with `name`, `tags` and `owner` (in the pool
/// when `nil`), and with `contacts` added.
func customer(
    _ id: String = "c-1",
    name: String = "Star Tech",
    tags: [String] = [],
    owner: String? = "rep-1",
    contacts: [CRMContactAdded] = []
) -> CustomerState {
    var state = CustomerState(customerID: id)
    var created = CRMCustomerCreated()
    (created.customerID, created.name, created.tags, created.ownerID) = (id, name, tags, owner ?? "")
    (created.region, created.industry, created.size) = ("East", "Software", "50-200")
    (created.source, created.level) = ("Referral", "B")
    state.apply(created, occurredAt: .distantPast)
    for contact in contacts { state.apply(contact, occurredAt: .distantPast) }
    return state
}

/// A contact as `addContact` would record it.
func contact(
    _ id: String = "p-1",
    name: String = "Zhang Wei",
    phone: String = "",
    email: String = ""
)
    -> CRMContactAdded
{
    var added = CRMContactAdded()
    (added.contactID, added.customerID, added.name, added.phone, added.email) = (id, "c-1", name, phone, email)
    return added
}

/// A calendar date; year 0 for a birthday without a year.
func calendarDate(_ year: Int32, _ month: Int32, _ day: Int32) -> CRMCalendarDate {
    var date = CRMCalendarDate()
    (date.year, date.month, date.day) = (year, month, day)
    return date
}
