import CRMSchema
import Foundation
import RapportAPI
import Testing

/// Leads and customers over a real socket: each command's outcome read back from the log,
/// and the domain's and the scope's refusals with their codes, appending nothing.
@Suite("Lead and customer commands over HTTP")
struct CustomerCommandTests {
    @Test(
        "a lead is assigned, worked only by its rep, qualified at a past business time and converted; closed and unqualified leads refuse"
    )
    func leadLifecycle() async throws {
        let crm = try await CommandServer.start("commands-leads")
        let (rep, otherRep) = (try crm.client(as: .rep), try crm.client(as: .otherRep))
        let lead = try await rep.createLead(
            body: .json(.init(companyName: "Ningbo Valves", contactName: "Li Wei", phone: "+86 574 8888 0001"))
        )
        .created.body.json.leadId

        var head = try crm.head()
        let givenAway = try await crm.client(as: .outsider).assignLead(
            path: .init(lead: lead),
            body: .json(.init(repId: crm.id(.rep)))
        )
        #expect(try givenAway.forbidden.body.json.value1.error.code == "outside_scope", "\(givenAway)")
        let assigned = try await crm.client(as: .manager).assignLead(
            path: .init(lead: lead),
            body: .json(.init(repId: crm.id(.otherRep)))
        )
        #expect(try assigned.ok.body.json.changed, "\(assigned)")
        #expect(try crm.event(CRMLeadAssigned.self, after: head).toOwnerID == crm.id(.otherRep))

        // Oto's lead now: another rep, even of the same team, may not work it.
        head = try crm.head()
        let refusals = [
            ("qualify", try await rep.qualifyLead(path: .init(lead: lead)).forbidden.body.json.value1.error),
            (
                "disqualify",
                try await crm.client(as: .outsider).disqualifyLead(
                    path: .init(lead: lead),
                    body: .json(.init(reason: "mine now"))
                ).forbidden.body.json.value1.error
            ),
            (
                "assign",
                try await rep.assignLead(path: .init(lead: lead), body: .json(.init(repId: crm.id(.rep)))).forbidden
                    .body.json.value1.error
            ),
        ]
        for (path, refused) in refusals {
            #expect(
                refused.code == "outside_scope" && refused.facts.additionalProperties["lead"] == lead,
                "\(path): \(refused)"
            )
        }
        #expect(try crm.head() == head, "the refusals appended nothing")

        // Back-dating past the window (a day) is the admin's and the migration role's alone.
        let months = try await otherRep.qualifyLead(
            path: .init(lead: lead),
            body: .json(.init(note: "budget approved", occurredAt: "2026-06-01T08:30:00.250Z"))
        )
        let tooEarly = try months.forbidden.body.json.value1.error
        #expect(tooEarly.code == "backdating_not_allowed", "\(months)")
        #expect(
            tooEarly.facts.additionalProperties["earliest"] == "2026-11-19T12:00:00Z"
                && tooEarly.facts.additionalProperties["role"] == "sales_rep",
            "\(tooEarly)"
        )
        #expect(try crm.head() == head, "the refusal appended nothing")
        let qualified = try await otherRep.qualifyLead(
            path: .init(lead: lead),
            body: .json(.init(note: "budget approved", occurredAt: "2026-11-20T08:30:00.250Z"))
        )
        #expect(try qualified.ok.body.json.changed, "\(qualified)")
        let logged = try #require(try crm.events(after: head).first)
        #expect((logged.message as? CRMLeadQualified)?.note == "budget approved")
        #expect(
            abs(logged.occurredAt.timeIntervalSince1970 - 1_795_163_400.25) < 0.001,
            "the business time is the body's, to the millisecond"
        )
        #expect(logged.actor == crm.id(.otherRep))

        head = try crm.head()
        let converted = try await otherRep.convertLead(
            path: .init(lead: lead),
            body: .json(.init(name: "Valves 2027", amount: 1_200_000, currency: "CNY", stageId: "proposal"))
        )
        .created.body.json
        #expect(try crm.event(CRMLeadConverted.self, after: head).customerID == converted.customerId)
        #expect(try crm.event(CRMCustomerCreated.self, after: head).ownerID == crm.id(.otherRep))
        let opened = try crm.event(CRMOpportunityOpened.self, after: head)
        #expect(
            opened.opportunityID == converted.opportunityId && opened.stageID == "proposal"
                && opened.amount.minorUnits == 1_200_000
        )

        head = try crm.head()
        let closed = try await otherRep.qualifyLead(path: .init(lead: lead))
        #expect(try closed.unprocessableContent.body.json.error.code == "lead_closed", "\(closed)")
        let other = try await rep.createLead(body: .json(.init(companyName: "Wenzhou Shoes"))).created.body.json.leadId
        head = try crm.head()
        let early = try await rep.convertLead(
            path: .init(lead: other),
            body: .json(.init(name: "Shoes", amount: 1, currency: "CNY"))
        )
        #expect(try early.unprocessableContent.body.json.error.code == "lead_not_qualified", "\(early)")
        let noReason = try await rep.disqualifyLead(path: .init(lead: other), body: .json(.init(reason: " ")))
        #expect(try noReason.badRequest.body.json.error.code == "reason_required", "\(noReason)")
        #expect(try crm.head() == head, "the refusals appended nothing")
        let disqualified = try await rep.disqualifyLead(
            path: .init(lead: other),
            body: .json(.init(reason: "no budget"))
        )
        #expect(try disqualified.ok.body.json.changed)
        #expect(try crm.event(CRMLeadDisqualified.self, after: head).reason == "no budget")
        try await crm.stop()
    }

    @Test("the profile, tags and contacts change as the owner says, and not for a rep outside the scope")
    func profileTagsAndContacts() async throws {
        let crm = try await CommandServer.start("commands-profile")
        let rep = try crm.client(as: .rep)
        let customer = try await rep.createCustomer(
            body: .json(.init(name: "Suzhou Silk", tags: ["vip"], ownerId: crm.id(.rep)))
        )
        .created.body.json.customerId
        try await crm.settle()

        var head = try crm.head()
        let outsider = try await crm.client(as: .outsider).updateCustomerProfile(
            path: .init(customer: customer),
            body: .json(.init(level: "A"))
        )
        #expect(try outsider.forbidden.body.json.value1.error.code == "outside_scope", "\(outsider)")
        let manager = try await crm.client(as: .manager).updateCustomerProfile(
            path: .init(customer: customer),
            body: .json(.init(region: "Jiangsu", level: "A"))
        )
        #expect(try manager.ok.body.json.changed, "\(manager)")
        #expect(try crm.event(CRMCustomerProfileUpdated.self, after: head).changedFields == ["region", "level"])
        head = try crm.head()
        let same = try await rep.updateCustomerProfile(
            path: .init(customer: customer),
            body: .json(.init(region: "Jiangsu"))
        )
        #expect(try !same.ok.body.json.changed && same.ok.body.json.position == nil, "\(same)")
        let blank = try await rep.updateCustomerProfile(path: .init(customer: customer), body: .json(.init(name: "")))
        #expect(try blank.badRequest.body.json.error.code == "field_required", "\(blank)")
        #expect(try crm.head() == head)

        let tagged = try await rep.tagCustomer(
            path: .init(customer: customer),
            body: .json(.init(add: ["export"], remove: ["vip"]))
        )
        #expect(try tagged.ok.body.json.changed, "\(tagged)")
        let tags = try crm.event(CRMCustomerTagged.self, after: head)
        #expect(tags.added == ["export"] && tags.removed == ["vip"])
        let both = try await rep.tagCustomer(
            path: .init(customer: customer),
            body: .json(.init(add: ["x"], remove: ["x"]))
        )
        #expect(try both.badRequest.body.json.error.code == "invalid_value", "\(both)")

        head = try crm.head()
        let added = try await rep.addContact(
            path: .init(customer: customer),
            body: .json(.init(name: "Zhou Min", title: "Buyer", phone: "0512 6666 8888", birthday: "--04-17"))
        )
        let contactID = try added.created.body.json.contactId
        let contact = try crm.event(CRMContactAdded.self, after: head)
        #expect(
            contact.contactID == contactID && contact.birthday.year == 0
                && contact.birthday.month == 4 && contact.phone.hasPrefix("+86")
        )
        let impossible = try await rep.addContact(
            path: .init(customer: customer),
            body: .json(.init(name: "Ma", birthday: "2023-02-29"))
        )
        #expect(try impossible.badRequest.body.json.error.code == "invalid_value", "\(impossible)")
        head = try crm.head()
        let updated = try await rep.updateContact(
            path: .init(customer: customer, contact: contact.contactID),
            body: .json(.init(title: "Head of buying", email: ""))
        )
        #expect(try updated.ok.body.json.changed, "\(updated)")
        #expect(try crm.event(CRMContactUpdated.self, after: head).changedFields == ["title"])
        let unknown = try await rep.updateContact(
            path: .init(customer: customer, contact: "nobody"),
            body: .json(.init(title: "CEO"))
        )
        #expect(try unknown.notFound.body.json.error.code == "contact_not_found", "\(unknown)")
        try await crm.stop()
    }

    @Test(
        "a manager transfers within the team, back-dating is the admin's, an admin sweeps the pool, and the rules refuse the rest"
    )
    func transferAndSweep() async throws {
        let crm = try await CommandServer.start("commands-pool")
        let (admin, manager) = (try crm.client(as: .admin), try crm.client(as: .manager))
        let customer = try await admin.createCustomer(
            body: .json(.init(name: "Hefei Glass", ownerId: crm.id(.rep), occurredAt: "2026-01-05T02:00:00Z"))
        ).created.body.json.customerId
        try await crm.settle()

        var head = try crm.head()
        let outside = try await manager.transferCustomer(
            path: .init(customer: customer),
            body: .json(.init(toOwnerId: crm.id(.outsider)))
        )
        #expect(try outside.forbidden.body.json.value1.error.code == "outside_scope", "\(outside)")
        let toSelf = try await manager.transferCustomer(
            path: .init(customer: customer),
            body: .json(.init(toOwnerId: crm.id(.rep)))
        )
        #expect(try toSelf.conflict.body.json.error.code == "customer_already_owned", "\(toSelf)")
        let coverage = Operations.TransferCustomer.Input.Body.json(
            .init(toOwnerId: crm.id(.otherRep), note: "coverage", occurredAt: "2026-01-10T02:00:00Z")
        )
        let backdated = try await manager.transferCustomer(path: .init(customer: customer), body: coverage)
        #expect(try backdated.forbidden.body.json.value1.error.code == "backdating_not_allowed", "\(backdated)")
        #expect(try crm.head() == head)
        let moved = try await admin.transferCustomer(path: .init(customer: customer), body: coverage)
        #expect(try moved.ok.body.json.changed, "\(moved)")
        let change = try crm.event(CRMCustomerOwnershipChanged.self, after: head)
        #expect(change.toOwnerID == crm.id(.otherRep) && change.reason == .transferred && change.note == "coverage")

        // The customer has had no follow-up since it was transferred in January: idle past 30 days.
        head = try crm.head()
        let swept = try await admin.sweepPool()
        let sweep = try swept.ok.body.json
        #expect(sweep.released == [customer] && sweep.customersChecked == 1, "\(swept)")
        #expect(try crm.event(CRMCustomerOwnershipChanged.self, after: head).reason == .releasedBySweep)
        let future = try await admin.sweepPool(body: .json(.init(occurredAt: "2099-01-01T00:00:00Z")))
        #expect(try future.badRequest.body.json.error.code == "occurred_in_future", "\(future)")
        try await crm.stop()
    }
}
