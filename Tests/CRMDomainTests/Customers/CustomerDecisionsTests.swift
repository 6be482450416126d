import CRMDomain
import CRMSchema
import Foundation
import Testing

@Suite("Customer profile, tag and contact decisions")
struct CustomerDecisionsTests {
    private func changes(_ set: (inout CustomerDecisions.ProfileChanges) -> Void) -> CustomerDecisions.ProfileChanges {
        var changes = CustomerDecisions.ProfileChanges()
        set(&changes)
        return changes
    }

    private func fields(_ set: (inout CustomerDecisions.ContactFields) -> Void) -> CustomerDecisions.ContactFields {
        var fields = CustomerDecisions.ContactFields()
        set(&fields)
        return fields
    }

    // MARK: - Profile

    @Test("a profile update records only the fields that differ, trimmed, and folds into the profile")
    func updateProfile() throws {
        var state = customer()
        let update = changes {
            $0.name = " Star Technology "
            $0.region = "East"  // unchanged
            $0.industry = "Hardware"
            $0.level = " A "
        }
        let event = try #require(try CustomerDecisions.updateProfile(state, update))
        #expect(event.customerID == "c-1")
        #expect(event.changedFields == ["name", "industry", "level"])
        #expect((event.name, event.industry, event.level) == ("Star Technology", "Hardware", "A"))
        #expect(event.region == "", "an unchanged field is not recorded")
        state.apply(event, occurredAt: .distantPast)
        #expect(state.profile.name == "Star Technology")
        #expect(state.profile.region == "East")
        #expect(state.profile.industry == "Hardware")
        #expect(state.level == "A")
        #expect(try CustomerDecisions.updateProfile(state, update) == nil, "the same update again changes nothing")
    }

    @Test("an update that changes nothing, even in surrounding whitespace, appends nothing")
    func updateProfileNoChange() throws {
        let state = customer()
        #expect(try CustomerDecisions.updateProfile(state, changes { _ in }) == nil)
        let same = changes {
            $0.name = "  Star Tech\n"
            $0.region = " East"
            $0.industry = "Software "
            $0.size = "50-200"
            $0.source = "\tReferral"
            $0.level = "B"
        }
        #expect(try CustomerDecisions.updateProfile(state, same) == nil)
    }

    @Test("a field other than the name may be cleared; the name may not")
    func updateProfileClearing() throws {
        var state = customer()
        let cleared = try #require(try CustomerDecisions.updateProfile(state, changes { $0.source = "  " }))
        #expect(cleared.changedFields == ["source"])
        #expect(cleared.source == "")
        state.apply(cleared, occurredAt: .distantPast)
        #expect(state.profile.source == "")
        let error = #expect(throws: DomainError.self) {
            try CustomerDecisions.updateProfile(state, changes { $0.name = " " })
        }
        #expect(error?.code == .fieldRequired)
        #expect(error?.facts == ["field": "name"])
    }

    @Test("a profile update folds only the changed fields, whatever else the event carries")
    func profileFoldsChangedFieldsOnly() {
        var state = customer()
        var event = CRMCustomerProfileUpdated()
        (event.customerID, event.changedFields, event.region, event.industry) = ("c-1", ["region"], "North", "Mining")
        state.apply(event, occurredAt: .distantPast)
        #expect(state.profile.region == "North")
        #expect(state.profile.industry == "Software")
    }

    // MARK: - Tags

    @Test("tagging records only the tags that change anything, trimmed and without repeats")
    func tag() throws {
        var state = customer(tags: ["vip", "export"])
        let event = try #require(
            try CustomerDecisions.tag(state, adding: [" new ", "vip", "new", "north"], removing: ["export", "absent"])
        )
        #expect(event.customerID == "c-1")
        #expect(event.added == ["new", "north"])
        #expect(event.removed == ["export"])
        state.apply(event, occurredAt: .distantPast)
        #expect(state.tags == ["vip", "new", "north"])
        #expect(
            try CustomerDecisions.tag(state, adding: ["vip"], removing: ["export"]) == nil,
            "nothing to add or remove"
        )
        #expect(try CustomerDecisions.tag(state, adding: [], removing: []) == nil)
    }

    @Test("a blank tag, one over 64 characters, or one both added and removed is refused")
    func tagRefusals() throws {
        let state = customer()
        for (added, removed, value) in [
            (["  "], [String](), "  "),
            ([], [""], ""),
            ([String(repeating: "星", count: 65)], [], String(repeating: "星", count: 65)),
        ] {
            let error = #expect(throws: DomainError.self) {
                try CustomerDecisions.tag(state, adding: added, removing: removed)
            }
            #expect(error?.code == .invalidValue)
            #expect(error?.facts == ["field": "tags", "value": value])
        }
        let longest = String(repeating: "星", count: 64)
        #expect(try CustomerDecisions.tag(state, adding: [longest], removing: [])?.added == [longest])
        let both = #expect(throws: DomainError.self) {
            try CustomerDecisions.tag(state, adding: ["vip"], removing: [" vip "])
        }
        #expect(both?.code == .invalidValue)
        #expect(both?.facts == ["field": "tags", "value": "vip"])
    }

    @Test("tags of the created customer are kept once each, in order")
    func createdTags() {
        #expect(customer(tags: ["a", "b", "a"]).tags == ["a", "b"])
    }

    // MARK: - Contacts

    @Test("a contact is added with a trimmed name and title, an E.164 phone and a lowercased email")
    func addContact() throws {
        let event = try CustomerDecisions.addContact(
            customer(),
            contactID: "p-1",
            fields {
                $0.name = " Zhang Wei "
                $0.title = " CTO "
                $0.phone = "138-0013-8000"
                $0.email = " Zhang.Wei@Example.COM "
                $0.birthday = calendarDate(1990, 5, 17)
            }
        )
        #expect((event.contactID, event.customerID) == ("p-1", "c-1"))
        #expect((event.name, event.title) == ("Zhang Wei", "CTO"))
        #expect(event.phone == "+8613800138000")
        #expect(event.email == "zhang.wei@example.com")
        #expect(event.birthday == calendarDate(1990, 5, 17))
        let bare = try CustomerDecisions.addContact(
            customer(),
            contactID: "p-2",
            fields {
                $0.name = "Li"
                $0.phone = ""
            }
        )
        #expect((bare.title, bare.phone, bare.email, bare.hasBirthday) == ("", "", "", false))
    }

    @Test("a contact needs a name, a readable phone and email, and a customer")
    func addContactRefusals() throws {
        let noName = #expect(throws: DomainError.self) {
            try CustomerDecisions.addContact(customer(), contactID: "p-1", fields { $0.phone = "13800138000" })
        }
        #expect(noName?.code == .fieldRequired)
        #expect(noName?.facts == ["field": "name"])
        let phone = #expect(throws: DedupKeyError.self) {
            try CustomerDecisions.addContact(
                customer(),
                contactID: "p-1",
                fields {
                    $0.name = "Li"
                    $0.phone = "12345"
                }
            )
        }
        #expect(phone?.code == .invalidPhone)
        #expect(phone?.input == "12345")
        let email = #expect(throws: DedupKeyError.self) {
            try CustomerDecisions.addContact(
                customer(),
                contactID: "p-1",
                fields {
                    $0.name = "Li"
                    $0.email = "li.example.com"
                }
            )
        }
        #expect(email?.code == .invalidEmail)
        let missing = #expect(throws: DomainError.self) {
            try CustomerDecisions.addContact(
                CustomerState(customerID: "c-9"),
                contactID: "p-1",
                fields { $0.name = "Li" }
            )
        }
        #expect(missing?.code == .customerNotFound)
        #expect(missing?.facts == ["customer": "c-9"])
    }

    @Test(
        "a birthday must exist on the calendar; year 0 (unknown) allows 29 February",
        arguments: [
            (calendarDate(2024, 2, 29), true),
            (calendarDate(0, 2, 29), true),
            (calendarDate(2000, 2, 29), true),
            (calendarDate(1990, 12, 31), true),
            (calendarDate(9999, 1, 1), true),
            (calendarDate(2023, 2, 29), false),
            (calendarDate(1900, 2, 29), false),
            (calendarDate(2024, 13, 1), false),
            (calendarDate(2024, 0, 1), false),
            (calendarDate(2024, 1, 0), false),
            (calendarDate(2024, 4, 31), false),
            (calendarDate(-1, 1, 1), false),
            (calendarDate(10000, 1, 1), false),
        ]
    )
    func birthday(_ birthday: CRMCalendarDate, _ valid: Bool) throws {
        let add = { () throws -> CRMContactAdded in
            try CustomerDecisions.addContact(
                customer(),
                contactID: "p-1",
                fields {
                    $0.name = "Li"
                    $0.birthday = birthday
                }
            )
        }
        if valid {
            #expect(try add().birthday == birthday)
        } else {
            let error = #expect(throws: DomainError.self) { try add() }
            #expect(error?.code == .invalidValue)
            let value = "\(birthday.year)-\(birthday.month)-\(birthday.day)"
            #expect(error?.facts == ["field": "birthday", "value": value])
        }
    }

    @Test("a contact update records only the changed fields, normalized, and folds into the contact")
    func updateContact() throws {
        var state = customer(contacts: [contact(phone: "+8613800138000", email: "zhang@example.com")])
        let update = fields {
            $0.name = "Zhang Wei"  // unchanged
            $0.title = " Sales director "
            $0.phone = "138 0013 8000"  // the same number, typed another way
            $0.email = "ZHANG.WEI@example.com"
            $0.birthday = calendarDate(0, 2, 29)
        }
        let event = try #require(try CustomerDecisions.updateContact(state, contactID: "p-1", update))
        #expect((event.contactID, event.customerID) == ("p-1", "c-1"))
        #expect(event.changedFields == ["title", "email", "birthday"])
        #expect((event.title, event.email) == ("Sales director", "zhang.wei@example.com"))
        #expect(event.birthday == calendarDate(0, 2, 29))
        state.apply(event, occurredAt: .distantPast)
        let folded = try #require(state.contacts["p-1"])
        #expect((folded.name, folded.title, folded.phone) == ("Zhang Wei", "Sales director", "+8613800138000"))
        #expect((folded.email, folded.birthday) == ("zhang.wei@example.com", calendarDate(0, 2, 29)))
        #expect(
            try CustomerDecisions.updateContact(state, contactID: "p-1", update) == nil,
            "the same update again changes nothing"
        )
    }

    @Test("an empty phone or email clears it; a new name is trimmed")
    func updateContactClearing() throws {
        let state = customer(contacts: [contact(phone: "+8613800138000", email: "zhang@example.com")])
        let event = try #require(
            try CustomerDecisions.updateContact(
                state,
                contactID: "p-1",
                fields {
                    $0.name = " Zhang San "
                    $0.phone = ""
                    $0.email = ""
                }
            )
        )
        #expect(event.changedFields == ["name", "phone", "email"])
        #expect((event.name, event.phone, event.email) == ("Zhang San", "", ""))
    }

    @Test("updating an unknown contact or customer, or with a bad value, is refused")
    func updateContactRefusals() {
        let state = customer(contacts: [contact()])
        let unknown = #expect(throws: DomainError.self) {
            try CustomerDecisions.updateContact(state, contactID: "p-9", fields { $0.name = "Li" })
        }
        #expect(unknown?.code == .contactNotFound)
        #expect(unknown?.facts == ["contact": "p-9"])
        let missing = #expect(throws: DomainError.self) {
            try CustomerDecisions.updateContact(
                CustomerState(customerID: "c-9"),
                contactID: "p-1",
                fields { $0.name = "Li" }
            )
        }
        #expect(missing?.code == .customerNotFound)
        let blank = #expect(throws: DomainError.self) {
            try CustomerDecisions.updateContact(state, contactID: "p-1", fields { $0.name = "  " })
        }
        #expect(blank?.code == .fieldRequired)
        let phone = #expect(throws: DedupKeyError.self) {
            try CustomerDecisions.updateContact(state, contactID: "p-1", fields { $0.phone = "abc" })
        }
        #expect(phone?.code == .invalidPhone)
        let birthday = #expect(throws: DomainError.self) {
            try CustomerDecisions.updateContact(
                state,
                contactID: "p-1",
                fields { $0.birthday = calendarDate(2023, 2, 29) }
            )
        }
        #expect(birthday?.code == .invalidValue)
        #expect(birthday?.facts["field"] == "birthday")
    }

    @Test("every decision refuses a customer that was never created")
    func customerNotFound() {
        let ghost = CustomerState(customerID: "c-9")
        let errors = [
            #expect(throws: DomainError.self) {
                try CustomerDecisions.updateProfile(ghost, changes { $0.region = "East" })
            },
            #expect(throws: DomainError.self) { try CustomerDecisions.tag(ghost, adding: ["vip"], removing: []) },
            #expect(throws: DomainError.self) {
                try CustomerDecisions.addContact(ghost, contactID: "p-1", fields { $0.name = "Li" })
            },
            #expect(throws: DomainError.self) {
                try CustomerDecisions.updateContact(ghost, contactID: "p-1", fields { $0.name = "Li" })
            },
        ]
        for error in errors {
            #expect(error?.code == .customerNotFound)
            #expect(error?.facts == ["customer": "c-9"])
        }
    }
}
