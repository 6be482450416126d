import CRMDomain
import CRMService
import Foundation
import Hummingbird

/// Contracts and what their customers owe: drafting, the approval chain, the payment plan,
/// payments, invoices and refunds.
extension CommandRoutes {
    func addContracts(to router: some RouterMethods<RapportRequestContext>) {
        router.post("v1/contracts", use: draftContract)
        router.post("v1/contracts/:contract/approve", use: approveContract)
        router.post("v1/contracts/:contract/reject", use: rejectContract)
        router.post("v1/contracts/:contract/instalments", use: scheduleInstalments)
        router.post("v1/contracts/:contract/payments", use: recordPayment)
        router.post("v1/contracts/:contract/invoices", use: requestInvoice)
        router.post("v1/contracts/:contract/invoices/:invoice/issue", use: issueInvoice)
        router.post("v1/contracts/:contract/refunds", use: requestRefund)
        router.post("v1/contracts/:contract/refunds/:refund/approve", use: approveRefund)
        router.post("v1/contracts/:contract/refunds/:refund/reject", use: rejectRefund)
        router.post("v1/contracts/:contract/refunds/:refund/goods-returned", use: receiveReturnedGoods)
        router.post("v1/contracts/:contract/refunds/:refund/pay", use: payRefund)
    }

    // MARK: - Drafting and approval

    struct NewContractBody: CommandBody {
        static let fields: Set<String> = ["customerId", "quoteId", "lines", "opportunityId"]
        static var nested: [String: any BodyShape.Type] { ["lines": LineBody.self] }
        var customerId: String
        var quoteId: String?
        var lines: [LineBody]?
        var opportunityId: String?
    }

    /// `POST /v1/contracts`: 201 with the contract's id, drafted from an accepted quote
    /// (`quoteId`) or from `lines` priced now; the approval policy decides whether it binds
    /// at once or waits for its approvals.
    @Sendable func draftContract(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await NewContractBody.decodeCommand(from: request, context: context)
        try requireInScope(principal, customer: body.customerId)
        return try await created("contractId") {
            try await service.draftContract(
                for: body.customerId,
                fromQuote: body.quoteId,
                lines: (body.lines ?? []).map(\.request),
                opportunityID: body.opportunityId ?? "",
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct CommentBody: CommandBody {
        static let fields: Set<String> = ["comment"]
        var comment: String?
    }

    /// `POST /v1/contracts/{contract}/approve`: the pending step of the approval chain
    /// approves; the domain decides whether the caller may (403 `not_approver` saying why).
    @Sendable func approveContract(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await CommentBody.decodeCommand(from: request, context: context)
        let contract = try context.parameters.require("contract")
        return try await appended {
            try await service.approveContract(
                contract,
                comment: body.comment ?? "",
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    /// `POST /v1/contracts/{contract}/reject`: the pending step refuses, with a comment; the
    /// contract is closed.
    @Sendable func rejectContract(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await CommentBody.decodeCommand(from: request, context: context)
        let contract = try context.parameters.require("contract")
        return try await appended {
            try await service.rejectContract(
                contract,
                comment: body.comment ?? "",
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    // MARK: - Payment plan and payments

    struct InstalmentBody: BodyShape, Decodable, AmountFields {
        static let fields: Set<String> = ["dueAt", "amount", "currency"]
        var dueAt: Date
        var amount: Int64
        var currency: String
    }

    struct InstalmentsBody: CommandBody {
        static let fields: Set<String> = ["instalments"]
        static var nested: [String: any BodyShape.Type] { ["instalments": InstalmentBody.self] }
        var instalments: [InstalmentBody]
    }

    /// `POST /v1/contracts/{contract}/instalments`: adds instalments to a binding contract's
    /// plan; together they never exceed the contract amount.
    @Sendable func scheduleInstalments(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, contract) = try routeRecord(context, "contract")
        let (body, occurredAt) = try await InstalmentsBody.decodeCommand(from: request, context: context)
        let instalments = body.instalments.map {
            ReceivableDecisions.NewInstalment(dueAt: $0.dueAt, amount: $0.money)
        }
        return try await appended {
            try await service.scheduleInstalments(contract, instalments, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    struct PaymentBody: CommandBody, AmountFields {
        static let fields: Set<String> = ["amount", "currency", "method"]
        /// Minor units (fen, cents).
        var amount: Int64
        var currency: String
        var method: String
    }

    struct ContractPaymentBody: CommandBody, AmountFields {
        static let fields: Set<String> = ["amount", "currency", "method", "bankReference"]
        /// Minor units (fen, cents).
        var amount: Int64
        var currency: String
        var method: String
        /// The bank's reference for the transfer, unique per contract.
        var bankReference: String?
    }

    /// `POST /v1/contracts/{contract}/payments`: a payment received against a binding
    /// contract, in minor units; 201 with the payment's id. A bank reference another payment
    /// of the contract carries is a 409 `duplicate_bank_reference` naming that payment.
    @Sendable func recordPayment(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await ContractPaymentBody.decodeCommand(from: request, context: context)
        let contract = try context.parameters.require("contract")
        let method = try CommandValues.paymentMethod(body.method)
        return try await created("paymentId") {
            try await service.recordPayment(
                contract,
                amount: body.money,
                method: method,
                bankReference: body.bankReference ?? "",
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    // MARK: - Invoices

    struct InvoiceRequestBody: CommandBody, AmountFields {
        static let fields: Set<String> = ["amount", "currency", "title"]
        var amount: Int64
        var currency: String
        /// The title the invoice is made out to.
        var title: String
    }

    /// `POST /v1/contracts/{contract}/invoices`: 201 with the invoice's id; invoices never
    /// total more than the contract amount.
    @Sendable func requestInvoice(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, contract) = try routeRecord(context, "contract")
        let (body, occurredAt) = try await InvoiceRequestBody.decodeCommand(from: request, context: context)
        return try await created("invoiceId") {
            try await service.requestInvoice(
                contract,
                amount: body.money,
                title: body.title,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct InvoiceNumberBody: CommandBody {
        static let fields: Set<String> = ["number"]
        var number: String
    }

    /// `POST /v1/contracts/{contract}/invoices/{invoice}/issue`: finance issues the invoice
    /// under its number.
    @Sendable func issueInvoice(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await InvoiceNumberBody.decodeCommand(from: request, context: context)
        let (contract, invoice) = (
            try context.parameters.require("contract"), try context.parameters.require("invoice")
        )
        return try await appended {
            try await service.issueInvoice(
                invoice,
                of: contract,
                number: body.number,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    // MARK: - Refunds

    struct RefundRequestBody: CommandBody, AmountFields {
        static let fields: Set<String> = ["amount", "currency", "reason", "returnGoods"]
        var amount: Int64
        var currency: String
        var reason: String
        /// Whether the goods come back before the money goes out.
        var returnGoods: Bool?
    }

    /// `POST /v1/contracts/{contract}/refunds`: 201 with the refund's id; refunds never total
    /// more than was collected.
    @Sendable func requestRefund(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, contract) = try routeRecord(context, "contract")
        let (body, occurredAt) = try await RefundRequestBody.decodeCommand(from: request, context: context)
        return try await created("refundId") {
            try await service.requestRefund(
                contract,
                amount: body.money,
                reason: body.reason,
                returnGoods: body.returnGoods ?? false,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    /// `POST /v1/contracts/{contract}/refunds/{refund}/approve`: finance, an admin or the
    /// owner's manager approves (the domain decides: 403 `not_approver`).
    @Sendable func approveRefund(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, contract, refund) = try refundRoute(context)
        let (_, occurredAt) = try await EmptyBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.approveRefund(refund, of: contract, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    /// `POST /v1/contracts/{contract}/refunds/{refund}/reject`: the same approvers refuse,
    /// with the reason.
    @Sendable func rejectRefund(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, contract, refund) = try refundRoute(context)
        let (body, occurredAt) = try await ReasonBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.rejectRefund(
                refund,
                of: contract,
                reason: body.reason,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    /// `POST /v1/contracts/{contract}/refunds/{refund}/goods-returned`: the goods of an
    /// approved refund that asked for them came back.
    @Sendable func receiveReturnedGoods(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, contract, refund) = try refundRoute(context)
        let (_, occurredAt) = try await EmptyBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.receiveReturnedGoods(refund, of: contract, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    struct MethodBody: CommandBody {
        static let fields: Set<String> = ["method"]
        var method: String
    }

    /// `POST /v1/contracts/{contract}/refunds/{refund}/pay`: the money of an approved refund
    /// goes out, after its goods came back when it asked for them.
    @Sendable func payRefund(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, contract, refund) = try refundRoute(context)
        let (body, occurredAt) = try await MethodBody.decodeCommand(from: request, context: context)
        let method = try CommandValues.paymentMethod(body.method)
        return try await appended {
            try await service.payRefund(
                refund,
                of: contract,
                method: method,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    /// The caller, admitted by the route's rule, and the route's contract and refund.
    private func refundRoute(_ context: RapportRequestContext) throws -> (Principal, String, String) {
        (try context.caller(), try context.parameters.require("contract"), try context.parameters.require("refund"))
    }
}
