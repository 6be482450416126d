import CRMDomain
import CRMSchema
import CRMService
import EventStore
import Foundation
import Hummingbird
import SwiftProtobuf

/// Customers: creation with dedup, the profile, tags and contacts, follow-ups, and the
/// public pool (claim, release, transfer, sweep).
extension CommandRoutes {
    func addCustomers(to router: some RouterMethods<RapportRequestContext>) {
        router.post("v1/customers", use: createCustomer)
        router.patch("v1/customers/:customer", use: updateCustomerProfile)
        router.post("v1/customers/:customer/tags", use: tagCustomer)
        router.post("v1/customers/:customer/contacts", use: addContact)
        router.patch("v1/customers/:customer/contacts/:contact", use: updateContact)
        router.post("v1/customers/:customer/follow-ups", use: logFollowUp)
        router.post("v1/customers/:customer/claim", use: claimCustomer)
        router.post("v1/customers/:customer/release", use: releaseCustomer)
        router.post("v1/customers/:customer/transfer", use: transferCustomer)
        router.post("v1/pool/sweep", use: sweepPool)
    }

    // MARK: - Creation and profile

    struct NewCustomerBody: CommandBody {
        static let fields: Set<String> = [
            "name", "creditCode", "phone", "email", "region", "industry", "size", "source", "level", "tags", "ownerId",
        ]
        var name: String
        var creditCode: String?
        var phone: String?
        var email: String?
        var region: String?
        var industry: String?
        var size: String?
        var source: String?
        var level: String?
        var tags: [String]?
        var ownerId: String?
    }

    /// `POST /v1/customers`: 201 with the customer's id; the owner is `ownerId`, or the
    /// public pool when it is empty.
    @Sendable func createCustomer(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await NewCustomerBody.decodeCommand(from: request, context: context)
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
        try scope.requireAssignable(principal, to: customer.ownerID)
        return try await created("customerId") {
            try await service.createCustomer(customer, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    struct ProfileBody: CommandBody {
        static let fields: Set<String> = ["name", "region", "industry", "size", "source", "level"]
        var name: String?
        var region: String?
        var industry: String?
        var size: String?
        var source: String?
        var level: String?
    }

    /// `PATCH /v1/customers/{customer}`: the profile fields given that differ; a new name
    /// moves its dedup key (409 `duplicate_customer` when another customer has it). Only
    /// managers, admins and migration change a pool customer or a customer's `level` (a higher
    /// level keeps a customer out of the pool longer): 403 for a rep.
    @Sendable func updateCustomerProfile(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, customer) = try routeRecord(context, "customer")
        let (body, occurredAt) = try await ProfileBody.decodeCommand(from: request, context: context)
        var changes = CustomerDecisions.ProfileChanges()
        (changes.name, changes.region, changes.industry) = (body.name, body.region, body.industry)
        (changes.size, changes.source, changes.level) = (body.size, body.source, body.level)
        return try await appended {
            try await service.updateCustomerProfile(customer, changes, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    struct TagsBody: CommandBody {
        static let fields: Set<String> = ["add", "remove"]
        var add: [String]?
        var remove: [String]?
    }

    /// `POST /v1/customers/{customer}/tags`: adds and removes tags.
    @Sendable func tagCustomer(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, customer) = try routeRecord(context, "customer")
        let (body, occurredAt) = try await TagsBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.tagCustomer(
                customer,
                adding: body.add ?? [],
                removing: body.remove ?? [],
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    /// A contact's fields; on a new contact `name` is required (the domain says so).
    struct ContactBody: CommandBody {
        static let fields: Set<String> = ["name", "title", "phone", "email", "birthday"]
        var name: String?
        var title: String?
        var phone: String?
        var email: String?
        /// `yyyy-mm-dd`, or `--mm-dd` without a year.
        var birthday: String?

        func contact() throws -> CustomerDecisions.ContactFields {
            var contact = CustomerDecisions.ContactFields()
            (contact.name, contact.title, contact.phone, contact.email) = (name, title, phone, email)
            contact.birthday = try birthday.map { try CommandValues.day($0, field: "birthday") }
            return contact
        }
    }

    /// `POST /v1/customers/{customer}/contacts`: 201 with the contact's id.
    @Sendable func addContact(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, customer) = try routeRecord(context, "customer")
        let (body, occurredAt) = try await ContactBody.decodeCommand(from: request, context: context)
        let contact = try body.contact()
        return try await created("contactId") {
            try await service.addContact(to: customer, contact, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    /// `PATCH /v1/customers/{customer}/contacts/{contact}`: the fields given that differ; an
    /// empty phone or email clears it.
    @Sendable func updateContact(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, customer) = try routeRecord(context, "customer")
        let (body, occurredAt) = try await ContactBody.decodeCommand(from: request, context: context)
        let contactID = try context.parameters.require("contact")
        let changes = try body.contact()
        return try await appended {
            try await service.updateContact(
                contactID,
                of: customer,
                changes,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct FollowUpBody: CommandBody {
        static let fields: Set<String> = ["contactId", "channel", "note", "nextContactAt"]
        var contactId: String?
        var channel: String
        var note: String?
        var nextContactAt: Date?
    }

    /// `POST /v1/customers/{customer}/follow-ups`: a call, visit, email or message logged; it
    /// restarts the customer's idle clock. `nextContactAt` is an ISO 8601 time.
    @Sendable func logFollowUp(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, customer) = try routeRecord(context, "customer")
        let (body, occurredAt) = try await FollowUpBody.decodeCommand(from: request, context: context)
        var followUp = CRMFollowUpLogged()
        followUp.customerID = customer
        followUp.contactID = body.contactId ?? ""
        followUp.channel = try CommandValues.channel(body.channel)
        followUp.note = body.note ?? ""
        if let next = body.nextContactAt { followUp.nextContactAt = .init(date: next) }
        CommandAnswer.position.expect()
        let result = try await service.logFollowUp(followUp, actor: principal.actor, occurredAt: occurredAt)
        return .json(.created, ["position": result.lastPosition])
    }

    // MARK: - The public pool

    /// `POST /v1/customers/{customer}/claim`: the acting rep takes a customer from the pool.
    @Sendable func claimCustomer(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (_, occurredAt) = try await EmptyBody.decodeCommand(from: request, context: context)
        let customer = try context.parameters.require("customer")
        return try await appended {
            try await service.claimCustomer(customer, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    /// `POST /v1/customers/{customer}/release`: back to the pool, by its owner or their manager.
    @Sendable func releaseCustomer(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await NoteBody.decodeCommand(from: request, context: context)
        let customer = try context.parameters.require("customer")
        return try await appended {
            try await service.releaseCustomer(
                customer,
                actor: principal.actor,
                note: body.note ?? "",
                occurredAt: occurredAt
            )
        }
    }

    struct TransferBody: CommandBody {
        static let fields: Set<String> = ["toOwnerId", "note"]
        var toOwnerId: String
        var note: String?
    }

    /// `POST /v1/customers/{customer}/transfer`: to another rep, by an admin or the manager
    /// of both reps (the domain checks both and the receiver's holding cap).
    @Sendable func transferCustomer(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, customer) = try routeRecord(context, "customer")
        let (body, occurredAt) = try await TransferBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.transferCustomer(
                customer,
                to: body.toOwnerId,
                actor: principal.actor,
                note: body.note ?? "",
                occurredAt: occurredAt
            )
        }
    }

    /// `POST /v1/pool/sweep`: releases every customer idle past its level's limit and warns
    /// the owners of those about to be, at `occurredAt` (now by default); the server also
    /// sweeps on its own schedule. 200 with what it did.
    @Sendable func sweepPool(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (_, occurredAt) = try await EmptyBody.decodeCommand(from: request, context: context)
        // No receipt in the log: the report is the answer, and a receipt rebuilds only ids and
        // positions. The idempotency store keeps the report instead; a retry after a crash that
        // lost it sweeps again, which decides nothing twice.
        let report = try await CommandReceipt.$current.withValue(nil) {
            try await service.sweepPool(at: occurredAt, actor: principal.actor)
        }
        return .json(
            .ok,
            [
                "time": report.time.formatted(.iso8601),
                "customersChecked": report.customersChecked,
                "released": report.released.map(\.customerID),
                "warned": report.warned.map(\.customerID),
                "unreadable": report.unreadable,
            ]
        )
    }

}
