public import CRMSchema
import Foundation

/// Changes to a customer's profile, tags and contacts.
///
/// Each returns the event to append, `nil` when the command would change nothing (so a
/// retried or repeated update appends nothing), or throws and appends nothing.
public enum CustomerDecisions {
    /// The profile fields a command sets; `nil` leaves a field as it is.
    public struct ProfileChanges: Sendable, Hashable {
        public var name: String?
        public var region: String?
        public var industry: String?
        public var size: String?
        public var source: String?
        /// The level, which sets the pool's idle limit.
        public var level: String?

        /// No changes; set the fields to change.
        public init() {}
    }

    /// Updates the profile fields that differ from the current ones.
    ///
    /// A new name moves the customer's company-name dedup key; the service does that in the
    /// same append.
    ///
    /// - Throws: `customer_not_found`; `field_required` for a blank name.
    public static func updateProfile(
        _ customer: CustomerState,
        _ changes: ProfileChanges
    ) throws(DomainError) -> CRMCustomerProfileUpdated? {
        try requireExists(customer)
        var event = CRMCustomerProfileUpdated()
        event.customerID = customer.customerID
        if let name = try changes.name.map({ name throws(DomainError) in try required(name, "name") }),
            name != customer.profile.name
        {
            event.name = name
            event.changedFields.append("name")
        }
        let fields: [(String, String?, String, WritableKeyPath<CRMCustomerProfileUpdated, String>)] = [
            ("region", changes.region, customer.profile.region, \.region),
            ("industry", changes.industry, customer.profile.industry, \.industry),
            ("size", changes.size, customer.profile.size, \.size),
            ("source", changes.source, customer.profile.source, \.source),
            ("level", changes.level, customer.profile.level, \.level),
        ]
        for (field, new, current, keyPath) in fields {
            guard let value = new?.trimmedOfWhitespace(), value != current else { continue }
            event[keyPath: keyPath] = value
            event.changedFields.append(field)
        }
        return event.changedFields.isEmpty ? nil : event
    }

    /// The longest tag accepted.
    public static let maxTagLength = 64

    /// Adds and removes tags; only tags that change anything are recorded.
    ///
    /// - Throws: `customer_not_found`; `invalid_value` for a blank or overlong tag, or one
    ///   both added and removed.
    public static func tag(
        _ customer: CustomerState,
        adding added: [String],
        removing removed: [String]
    ) throws(DomainError) -> CRMCustomerTagged? {
        try requireExists(customer)
        let toAdd = try normalizedTags(added)
        let toRemove = try normalizedTags(removed)
        if let both = toAdd.first(where: toRemove.contains) {
            throw DomainError(
                .invalidValue,
                "tag \"\(both)\" is both added and removed",
                facts: ["field": "tags", "value": both]
            )
        }
        var event = CRMCustomerTagged()
        event.customerID = customer.customerID
        event.added = toAdd.filter { !customer.tags.contains($0) }
        event.removed = toRemove.filter(customer.tags.contains)
        return event.added.isEmpty && event.removed.isEmpty ? nil : event
    }

    /// Tags trimmed, without repeats, in the order given.
    ///
    /// - Throws: `invalid_value` for a blank tag or one longer than ``maxTagLength``.
    public static func normalizedTags(_ tags: [String]) throws(DomainError) -> [String] {
        var result: [String] = []
        for tag in tags {
            let trimmed = tag.trimmedOfWhitespace()
            guard !trimmed.isEmpty, trimmed.count <= maxTagLength else {
                throw DomainError(
                    .invalidValue,
                    "a tag has 1 to \(maxTagLength) characters: \"\(tag)\"",
                    facts: ["field": "tags", "value": tag]
                )
            }
            if !result.contains(trimmed) { result.append(trimmed) }
        }
        return result
    }

    /// A contact to add, or the fields of one to change (`nil` leaves a field as it is).
    public struct ContactFields: Sendable, Hashable {
        public var name: String?
        public var title: String?
        /// Any common phone form; stored in E.164.
        public var phone: String?
        /// Stored lowercased.
        public var email: String?
        /// Year 0 for a birthday without a year.
        public var birthday: CRMCalendarDate?

        /// No fields; set those to add or change.
        public init() {}
    }

    /// Adds a contact to an existing customer.
    ///
    /// - Throws: `customer_not_found`; `field_required` without a name; `DedupKeyError`
    ///   for a malformed phone or email; `invalid_value` for an impossible birthday.
    public static func addContact(
        _ customer: CustomerState,
        contactID: String,
        _ fields: ContactFields
    ) throws -> CRMContactAdded {
        try requireExists(customer)
        var event = CRMContactAdded()
        (event.contactID, event.customerID) = (contactID, customer.customerID)
        event.name = try required(fields.name ?? "", "name")
        event.title = fields.title?.trimmedOfWhitespace() ?? ""
        if let phone = fields.phone, !phone.isEmpty { event.phone = try PhoneNumber.e164(phone) }
        if let email = fields.email, !email.isEmpty { event.email = try EmailAddress.normalized(email) }
        if let birthday = fields.birthday { event.birthday = try validated(birthday) }
        return event
    }

    /// Changes the fields of a contact that differ from the current ones.
    ///
    /// - Throws: `customer_not_found`; `contact_not_found`; as ``addContact(_:contactID:_:)``
    ///   for the fields given.
    public static func updateContact(
        _ customer: CustomerState,
        contactID: String,
        _ fields: ContactFields
    ) throws -> CRMContactUpdated? {
        try requireExists(customer)
        guard let current = customer.contacts[contactID] else {
            throw DomainError(
                .contactNotFound,
                "customer \(customer.customerID) has no contact \(contactID)",
                facts: ["contact": contactID]
            )
        }
        var event = CRMContactUpdated()
        (event.contactID, event.customerID) = (contactID, customer.customerID)
        if let name = try fields.name.map({ name throws(DomainError) in try required(name, "name") }),
            name != current.name
        {
            event.name = name
            event.changedFields.append("name")
        }
        if let title = fields.title?.trimmedOfWhitespace(), title != current.title {
            event.title = title
            event.changedFields.append("title")
        }
        if let phone = fields.phone {
            let e164 = phone.isEmpty ? "" : try PhoneNumber.e164(phone)
            if e164 != current.phone { (event.phone, event.changedFields) = (e164, event.changedFields + ["phone"]) }
        }
        if let email = fields.email {
            let normalized = email.isEmpty ? "" : try EmailAddress.normalized(email)
            if normalized != current.email {
                (event.email, event.changedFields) = (normalized, event.changedFields + ["email"])
            }
        }
        if let birthday = fields.birthday, try validated(birthday) != current.birthday {
            event.birthday = birthday
            event.changedFields.append("birthday")
        }
        return event.changedFields.isEmpty ? nil : event
    }

    /// Refuses a customer that was never created.
    public static func requireExists(_ customer: CustomerState) throws(DomainError) {
        guard customer.exists else {
            throw DomainError(
                .customerNotFound,
                "no customer \(customer.customerID)",
                facts: ["customer": customer.customerID]
            )
        }
    }

    /// A date that exists on the calendar; year 0 (unknown) allows 29 February.
    ///
    /// - Throws: `invalid_value` naming the date.
    static func validated(_ date: CRMCalendarDate) throws(DomainError) -> CRMCalendarDate {
        let year = Int(date.year)
        let leap = year == 0 || (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (0...9999).contains(year), (1...12).contains(date.month),
            (1...days[Int(date.month) - 1]).contains(Int(date.day))
        else {
            throw DomainError(
                .invalidValue,
                "\(date.year)-\(date.month)-\(date.day) is not a date",
                facts: ["field": "birthday", "value": "\(date.year)-\(date.month)-\(date.day)"]
            )
        }
        return date
    }
}
