import CRMDomain
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import RapportTestSupport
import SwiftProtobuf
import Testing

@Suite("Customer profiles, tags and contacts over a real log")
struct CustomerProfileTests {
    @Test("a profile update records only what changed; a new name moves the name's dedup key")
    func profileAndRename() async throws {
        let world = try CRMWorld("customers")
        let crm = world.crm
        var new = NewCustomer(name: "杭州云栖数据有限公司")
        (new.region, new.level, new.tags) = ("Zhejiang", "B", [" key-account ", "key-account", "saas"])
        let id = try await crm.createCustomer(new, actor: "rep")
        let created = try CRMCustomerCreated(serializedBytes: try world.events(of: "customer-\(id)")[0].payload)
        #expect(created.tags == ["key-account", "saas"])

        var same = CustomerDecisions.ProfileChanges()
        (same.region, same.level) = ("Zhejiang ", "B")
        #expect(try await crm.updateCustomerProfile(id, same, actor: "rep") == nil, "nothing differs, nothing appended")

        var changes = CustomerDecisions.ProfileChanges()
        (changes.name, changes.level, changes.industry) = ("杭州云栖智能有限公司", "A", "Software")
        try await crm.updateCustomerProfile(id, changes, actor: "rep")
        let updated = try CRMCustomerProfileUpdated(
            serializedBytes: try world.events(of: "customer-\(id)").last!.payload
        )
        #expect(updated.changedFields == ["name", "industry", "level"])
        let oldKey = try UniqueKey(try DedupKey(.company, normalizing: "杭州云栖数据有限公司").uniqueKey)
        let newKey = try UniqueKey(try DedupKey(.company, normalizing: "杭州云栖智能有限公司").uniqueKey)
        #expect(try world.log.owner(of: oldKey) == nil)
        #expect(try world.log.owner(of: newKey) == StreamName(category: "customer", id: id))
        // The old name is free for a new customer; the new one is taken.
        _ = try await crm.createCustomer(NewCustomer(name: "杭州云栖数据有限公司"), actor: "rep")
        let other = try await crm.createCustomer(NewCustomer(name: "Other Co., Ltd."), actor: "rep")
        var clash = CustomerDecisions.ProfileChanges()
        clash.name = "杭州云栖智能有限公司"
        let head = try world.log.head().position
        let duplicate = await #expect(throws: DomainError.self) {
            try await crm.updateCustomerProfile(other, clash, actor: "rep")
        }
        #expect(duplicate?.code == .duplicateCustomer)
        #expect(duplicate?.facts["existing"] == "customer-\(id)")
        #expect(try world.log.head().position == head)
        let missing = await #expect(throws: DomainError.self) {
            try await crm.updateCustomerProfile("nobody", changes, actor: "rep")
        }
        #expect(missing?.code == .customerNotFound)
        await world.close()
    }

    @Test("tags record only effective changes; contacts are added and updated field by field")
    func tagsAndContacts() async throws {
        let world = try CRMWorld("customers")
        let crm = world.crm
        let id = try await world.poolCustomer("成都天府软件有限公司")
        try await crm.tagCustomer(id, adding: ["vip", "renewal-2026"], actor: "rep")
        #expect(try await crm.tagCustomer(id, adding: ["vip"], removing: ["never-had"], actor: "rep") == nil)
        try await crm.tagCustomer(id, adding: ["churn-risk"], removing: ["vip"], actor: "rep")
        let tagged = try CRMCustomerTagged(serializedBytes: try world.events(of: "customer-\(id)").last!.payload)
        #expect((tagged.added, tagged.removed) == (["churn-risk"], ["vip"]))
        let blank = await #expect(throws: DomainError.self) {
            try await crm.tagCustomer(id, adding: ["  "], actor: "rep")
        }
        #expect(blank?.code == .invalidValue)

        var contact = CustomerDecisions.ContactFields()
        (contact.name, contact.title, contact.phone, contact.email) = (
            "王芳", "采购经理", "028 8765 4321", "Wang.Fang@TianFu.example"
        )
        contact.birthday = CRMCalendarDate.with { ($0.year, $0.month, $0.day) = (0, 2, 29) }
        let contactID = try await crm.addContact(to: id, contact, actor: "rep")
        let added = try CRMContactAdded(serializedBytes: try world.events(of: "customer-\(id)").last!.payload)
        #expect((added.contactID, added.phone, added.email) == (contactID, "+862887654321", "wang.fang@tianfu.example"))

        var changes = CustomerDecisions.ContactFields()
        (changes.title, changes.email) = ("采购总监", "wang.fang@tianfu.example")
        try await crm.updateContact(contactID, of: id, changes, actor: "rep")
        let updated = try CRMContactUpdated(serializedBytes: try world.events(of: "customer-\(id)").last!.payload)
        #expect(updated.changedFields == ["title"])
        #expect(try await crm.updateContact(contactID, of: id, changes, actor: "rep") == nil)

        let head = try world.log.head().position
        var badDate = contact
        badDate.birthday = CRMCalendarDate.with { ($0.year, $0.month, $0.day) = (1990, 2, 30) }
        let date = await #expect(throws: DomainError.self) {
            _ = try await crm.addContact(to: id, badDate, actor: "rep")
        }
        #expect(date?.facts["field"] == "birthday")
        var badPhone = contact
        badPhone.phone = "call me"
        await #expect(throws: DedupKeyError.self) { _ = try await crm.addContact(to: id, badPhone, actor: "rep") }
        let noContact = await #expect(throws: DomainError.self) {
            try await crm.updateContact("nobody", of: id, changes, actor: "rep")
        }
        #expect(noContact?.code == .contactNotFound)
        #expect(try world.log.head().position == head)
        await world.close()
    }
}
