import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import EventStore
import Foundation
import Hummingbird

/// The CRM's commands over HTTP. Each acts as the token's user (recorded as the events'
/// actor). The domain's rules decide most of the scope (a rep claims for themselves and
/// releases only their own customers); the routes add what the domain leaves to its callers:
/// whom a new customer or lead may be given to, and whose customers a follow-up may be
/// logged on. A refused command appends nothing and answers with its code and facts.
struct CommandRoutes {
    let service: CRMService<LMDBEventLog>
    let customers: Customer360Queries
    let scope: CustomerScope

    /// Roles that work customers and leads.
    static let sales: Set<AccessRole> = [.admin, .manager, .salesRep]
    /// Roles that record money.
    static let money: Set<AccessRole> = [.admin, .finance]

    func add(to router: some RouterMethods<RapportRequestContext>) {
        router.post("v1/leads", use: createLead)
        router.post("v1/customers", use: createCustomer)
        router.post("v1/customers/:customer/claim", use: claimCustomer)
        router.post("v1/customers/:customer/release", use: releaseCustomer)
        router.post("v1/customers/:customer/follow-ups", use: logFollowUp)
        router.post("v1/contracts/:contract/payments", use: recordPayment)
    }

    // MARK: - Leads and customers

    struct NewLeadBody: CommandBody {
        static let fields: Set<String> = ["companyName", "contactName", "phone", "email", "creditCode", "source", "campaignId", "ownerId"]
        var companyName: String
        var contactName: String?
        var phone: String?
        var email: String?
        var creditCode: String?
        var source: String?
        var campaignId: String?
        var ownerId: String?
    }

    /// `POST /v1/leads`: 201 with the lead's id; 409 `duplicate_lead` or `duplicate_customer`
    /// naming the holder.
    @Sendable func createLead(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.require(Self.sales)
        let body = try await NewLeadBody.decode(from: request, context: context)
        var lead = NewLead(companyName: body.companyName)
        lead.contactName = body.contactName ?? ""
        lead.phone = body.phone ?? ""
        lead.email = body.email ?? ""
        lead.creditCode = body.creditCode ?? ""
        lead.source = body.source ?? ""
        lead.campaignID = body.campaignId ?? ""
        lead.ownerID = body.ownerId ?? ""
        try scope.requireAssignable(principal, to: lead.ownerID)
        let id = try await refusals { try await service.createLead(lead, actor: principal.actor) }
        return .json(.created, ["leadId": id])
    }

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
        let principal = try context.require(Self.sales)
        let body = try await NewCustomerBody.decode(from: request, context: context)
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
        let id = try await refusals { try await service.createCustomer(customer, actor: principal.actor) }
        return .json(.created, ["customerId": id])
    }

    struct EmptyBody: CommandBody {
        static let fields: Set<String> = []
    }

    struct NoteBody: CommandBody {
        static let fields: Set<String> = ["note"]
        var note: String?
    }

    /// `POST /v1/customers/{customer}/claim`: the acting rep takes a customer from the pool.
    @Sendable func claimCustomer(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.require(Self.sales)
        _ = try await EmptyBody.decode(from: request, context: context)
        let customer = try context.parameters.require("customer")
        let result = try await refusals { try await service.claimCustomer(customer, actor: principal.actor) }
        return .json(.ok, ["position": result.lastPosition])
    }

    /// `POST /v1/customers/{customer}/release`: back to the pool, by its owner or their manager.
    @Sendable func releaseCustomer(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.require(Self.sales)
        let body = try await NoteBody.decode(from: request, context: context)
        let customer = try context.parameters.require("customer")
        let result = try await refusals { try await service.releaseCustomer(customer, actor: principal.actor, note: body.note ?? "") }
        return .json(.ok, ["position": result.lastPosition])
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
        let principal = try context.require(Self.sales)
        let body = try await FollowUpBody.decode(from: request, context: context)
        var followUp = CRMFollowUpLogged()
        followUp.customerID = try context.parameters.require("customer")
        // The owner as the read model knows it, a few milliseconds behind the log at most; a
        // customer it does not know yet is left to the service, which refuses one that does
        // not exist.
        if let view = try customers.view(customerID: followUp.customerID) {
            try scope.require(principal, owner: view.inPool ? nil : view.owner, customer: followUp.customerID)
        }
        followUp.contactID = body.contactId ?? ""
        followUp.channel = try Self.channel(body.channel)
        followUp.note = body.note ?? ""
        if let next = body.nextContactAt { followUp.nextContactAt = .init(date: next) }
        let result = try await refusals { try await service.logFollowUp(followUp, actor: principal.actor) }
        return .json(.created, ["position": result.lastPosition])
    }

    // MARK: - Money

    struct PaymentBody: CommandBody {
        static let fields: Set<String> = ["amount", "currency", "method"]
        /// Minor units (fen, cents).
        var amount: Int64
        var currency: String
        var method: String
    }

    /// `POST /v1/contracts/{contract}/payments`: a payment received against a binding
    /// contract, in minor units; 201 with the payment's id.
    @Sendable func recordPayment(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.require(Self.money)
        let body = try await PaymentBody.decode(from: request, context: context)
        var amount = CRMMoney()
        amount.minorUnits = body.amount
        amount.currency = body.currency
        let contract = try context.parameters.require("contract")
        let method = try Self.paymentMethod(body.method)
        let id = try await refusals { try await service.recordPayment(contract, amount: amount, method: method, actor: principal.actor) }
        return .json(.created, ["paymentId": id])
    }

    // MARK: - Values

    static func channel(_ name: String) throws -> CRMFollowUpChannel {
        switch name {
        case "call": .call
        case "visit": .visit
        case "email": .email
        case "im": .im
        default:
            throw APIError(.badRequest, code: "invalid_value", "channel is \"\(name)\"; use call, visit, email or im", facts: ["field": "channel"])
        }
    }

    static func paymentMethod(_ name: String) throws -> CRMPaymentMethod {
        switch name {
        case "bank_transfer": .bankTransfer
        case "cash": .cash
        case "card": .card
        case "cheque": .cheque
        case "alipay": .alipay
        case "wechat_pay": .wechatPay
        default:
            throw APIError(
                .badRequest, code: "invalid_value",
                "method is \"\(name)\"; use bank_transfer, cash, card, cheque, alipay or wechat_pay", facts: ["field": "method"]
            )
        }
    }

    /// Runs a command, turning the domain's refusals into API errors.
    private func refusals<T>(_ command: () async throws -> T) async throws -> T {
        do {
            return try await command()
        } catch let error as DomainError {
            throw APIError(error)
        } catch let error as DedupKeyError {
            throw APIError(error)
        }
    }
}

extension Response {
    /// A small JSON object answer.
    static func json(_ status: HTTPResponse.Status, _ fields: [String: any Sendable]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
