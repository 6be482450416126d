import CRMDomain
import CRMSchema
import CRMService
import EventStore
import RapportAPI
import SwiftProtobuf

/// Customers: creation with dedup, the profile, tags and contacts, follow-ups, and the
/// public pool (claim, release, transfer, sweep).
extension APIHandler {
    // MARK: - Creation and profile

    /// 201 with the customer's id; the owner is `ownerId`, or the public pool when it is empty.
    func createCustomer(_ input: Operations.CreateCustomer.Input) async throws -> Operations.CreateCustomer.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        var customer = NewCustomer(name: body.name)
        customer.creditCode = body.creditCode ?? ""
        customer.phone = body.phone ?? ""
        customer.email = body.email ?? ""
        customer.region = body.region ?? ""
        customer.industry = body.industry ?? ""
        customer.size = body.size ?? ""
        customer.source = body.source ?? ""
        customer.level = body.level ?? ""
        customer.tags = body.tags ?? []
        customer.ownerID = body.ownerId ?? ""
        try scope.requireAssignable(acting.principal, to: customer.ownerID)
        let customerID = try await created("customerId") {
            try await service.createCustomer(customer, actor: acting.actor, occurredAt: acting.occurredAt)
        }
        return .created(.init(body: .json(.init(customerId: customerID))))
    }

    /// The profile fields given that differ; a new name moves its dedup key (409
    /// `duplicate_customer` when another customer has it). Only managers, admins and
    /// migration change a customer's `level` (the access table narrows it).
    func updateCustomerProfile(
        _ input: Operations.UpdateCustomerProfile.Input
    ) async throws -> Operations.UpdateCustomerProfile.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        var changes = CustomerDecisions.ProfileChanges()
        (changes.name, changes.region, changes.industry) = (body.name, body.region, body.industry)
        (changes.size, changes.source, changes.level) = (body.size, body.source, body.level)
        return .ok(
            try await appended {
                try await service.updateCustomerProfile(
                    input.path.customer,
                    changes,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// Adds and removes tags.
    func tagCustomer(_ input: Operations.TagCustomer.Input) async throws -> Operations.TagCustomer.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.tagCustomer(
                    input.path.customer,
                    adding: body.add ?? [],
                    removing: body.remove ?? [],
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    // MARK: - Contacts

    /// 201 with the contact's id.
    func addContact(_ input: Operations.AddContact.Input) async throws -> Operations.AddContact.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let contact = try Self.contact(
            name: body.name,
            title: body.title,
            phone: body.phone,
            email: body.email,
            birthday: body.birthday
        )
        let contactID = try await created("contactId") {
            try await service.addContact(
                to: input.path.customer,
                contact,
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(contactId: contactID))))
    }

    /// The fields given that differ; an empty phone or email clears it.
    func updateContact(_ input: Operations.UpdateContact.Input) async throws -> Operations.UpdateContact.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let changes = try Self.contact(
            name: body.name,
            title: body.title,
            phone: body.phone,
            email: body.email,
            birthday: body.birthday
        )
        return .ok(
            try await appended {
                try await service.updateContact(
                    input.path.contact,
                    of: input.path.customer,
                    changes,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// A contact's fields as the domain takes them; `birthday` is `yyyy-mm-dd`, or `--mm-dd`
    /// without a year.
    private static func contact(
        name: String?,
        title: String?,
        phone: String?,
        email: String?,
        birthday: String?
    ) throws -> CustomerDecisions.ContactFields {
        var contact = CustomerDecisions.ContactFields()
        (contact.name, contact.title, contact.phone, contact.email) = (name, title, phone, email)
        contact.birthday = try birthday.map { try CommandValues.day($0, field: "birthday") }
        return contact
    }

    // MARK: - Follow-ups

    /// A call, visit, email or message logged; it restarts the customer's idle clock. 201 with
    /// the position of its event.
    func logFollowUp(_ input: Operations.LogFollowUp.Input) async throws -> Operations.LogFollowUp.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        var followUp = CRMFollowUpLogged()
        followUp.customerID = input.path.customer
        followUp.contactID = body.contactId ?? ""
        followUp.channel = try CommandValues.channel(body.channel.rawValue)
        followUp.note = body.note ?? ""
        if let next = body.nextContactAt { followUp.nextContactAt = .init(date: next) }
        CommandAnswer.position.expect()
        let result = try await service.logFollowUp(followUp, actor: acting.actor, occurredAt: acting.occurredAt)
        // A log holds fewer than 2^63 events, so clamping never changes a position.
        return .created(.init(body: .json(.init(position: Int64(clamping: result.lastPosition)))))
    }

    // MARK: - The public pool

    /// The acting rep takes a customer from the pool.
    func claimCustomer(_ input: Operations.ClaimCustomer.Input) async throws -> Operations.ClaimCustomer.Output {
        let body = input.body?.json
        let acting = try acting(at: body?.occurredAt)
        return .ok(
            try await appended {
                try await service.claimCustomer(input.path.customer, actor: acting.actor, occurredAt: acting.occurredAt)
            }
        )
    }

    /// Back to the pool, by its owner or their manager.
    func releaseCustomer(_ input: Operations.ReleaseCustomer.Input) async throws -> Operations.ReleaseCustomer.Output {
        let body = input.body?.json
        let acting = try acting(at: body?.occurredAt)
        return .ok(
            try await appended {
                try await service.releaseCustomer(
                    input.path.customer,
                    actor: acting.actor,
                    note: body?.note ?? "",
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// To another rep, by an admin or the manager of both reps (the domain checks both and the
    /// receiver's holding cap).
    func transferCustomer(_ input: Operations.TransferCustomer.Input) async throws -> Operations.TransferCustomer.Output
    {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.transferCustomer(
                    input.path.customer,
                    to: body.toOwnerId,
                    actor: acting.actor,
                    note: body.note ?? "",
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// Releases every customer idle past its level's limit and warns the owners of those
    /// about to be, at `occurredAt` (now by default); the server also sweeps on its own
    /// schedule. 200 with what it did.
    func sweepPool(_ input: Operations.SweepPool.Input) async throws -> Operations.SweepPool.Output {
        let body = input.body?.json
        let acting = try acting(at: body?.occurredAt)
        // No receipt in the log: the report is the answer, and a receipt rebuilds only ids and
        // positions. The idempotency store keeps the report instead; a retry after a crash that
        // lost it sweeps again, which decides nothing twice.
        let report = try await CommandReceipt.$current.withValue(nil) {
            try await IdleCustomerSweep(service: service, log: log, readModels: reads)
                .sweep(at: acting.occurredAt, actor: acting.actor, patience: .seconds(30))
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        time: report.time,
                        customersChecked: report.customersChecked,
                        released: report.released.map(\.customerID),
                        warned: report.warned.map(\.customerID),
                        unreadable: report.unreadable
                    )
                )
            )
        )
    }
}
