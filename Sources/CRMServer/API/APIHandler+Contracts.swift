import CRMDomain
import CRMSchema
import CRMService
import RapportAPI

/// Contracts and what their customers owe: drafting, the approval chain, the payment plan,
/// payments, invoices and refunds.
extension APIHandler {
    // MARK: - Drafting and approval

    /// 201 with the contract's id, drafted from an accepted quote (`quoteId`) or from `lines`
    /// priced now; the approval policy decides whether it binds at once or waits for its
    /// approvals.
    func draftContract(_ input: Operations.DraftContract.Input) async throws -> Operations.DraftContract.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        try requireInScope(acting.principal, customer: body.customerId)
        let contractID = try await created("contractId") {
            try await service.draftContract(
                for: body.customerId,
                fromQuote: body.quoteId,
                lines: (body.lines ?? []).map(\.request),
                opportunityID: body.opportunityId ?? "",
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(contractId: contractID))))
    }

    /// The pending step of the approval chain approves; the domain decides whether the caller
    /// may (403 `not_approver` saying why).
    func approveContract(_ input: Operations.ApproveContract.Input) async throws -> Operations.ApproveContract.Output {
        let body = input.body?.json
        let acting = try acting(at: body?.occurredAt)
        return .ok(
            try await appended {
                try await service.approveContract(
                    input.path.contract,
                    comment: body?.comment ?? "",
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// The pending step refuses, with a comment; the contract is closed.
    func rejectContract(_ input: Operations.RejectContract.Input) async throws -> Operations.RejectContract.Output {
        let body = input.body?.json
        let acting = try acting(at: body?.occurredAt)
        return .ok(
            try await appended {
                try await service.rejectContract(
                    input.path.contract,
                    comment: body?.comment ?? "",
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    // MARK: - Payment plan and payments

    /// Adds instalments to a binding contract's plan; together they never exceed the
    /// contract amount.
    func scheduleInstalments(
        _ input: Operations.ScheduleInstalments.Input
    ) async throws -> Operations.ScheduleInstalments.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let instalments = body.instalments.map {
            ReceivableDecisions.NewInstalment(
                dueAt: $0.dueAt,
                amount: CRMMoney(minorUnits: $0.amount, currency: $0.currency)
            )
        }
        return .ok(
            try await appended {
                try await service.scheduleInstalments(
                    input.path.contract,
                    instalments,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// A payment received against a binding contract, in minor units; 201 with the payment's
    /// id. A bank reference another payment of the contract carries is a 409
    /// `duplicate_bank_reference` naming that payment.
    func recordPayment(_ input: Operations.RecordPayment.Input) async throws -> Operations.RecordPayment.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let method = try CommandValues.paymentMethod(body.method.rawValue)
        let paymentID = try await created("paymentId") {
            try await service.recordPayment(
                input.path.contract,
                amount: CRMMoney(minorUnits: body.amount, currency: body.currency),
                method: method,
                bankReference: body.bankReference ?? "",
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(paymentId: paymentID))))
    }

    // MARK: - Invoices

    /// 201 with the invoice's id; invoices never total more than the contract amount.
    func requestInvoice(_ input: Operations.RequestInvoice.Input) async throws -> Operations.RequestInvoice.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let invoiceID = try await created("invoiceId") {
            try await service.requestInvoice(
                input.path.contract,
                amount: CRMMoney(minorUnits: body.amount, currency: body.currency),
                title: body.title,
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(invoiceId: invoiceID))))
    }

    /// Finance issues the invoice under its number.
    func issueInvoice(_ input: Operations.IssueInvoice.Input) async throws -> Operations.IssueInvoice.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.issueInvoice(
                    input.path.invoice,
                    of: input.path.contract,
                    number: body.number,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    // MARK: - Refunds

    /// 201 with the refund's id; refunds never total more than was collected.
    func requestRefund(_ input: Operations.RequestRefund.Input) async throws -> Operations.RequestRefund.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let refundID = try await created("refundId") {
            try await service.requestRefund(
                input.path.contract,
                amount: CRMMoney(minorUnits: body.amount, currency: body.currency),
                reason: body.reason,
                returnGoods: body.returnGoods ?? false,
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(refundId: refundID))))
    }

    /// Finance, an admin or the owner's manager approves (the domain decides: 403
    /// `not_approver`).
    func approveRefund(_ input: Operations.ApproveRefund.Input) async throws -> Operations.ApproveRefund.Output {
        let body = input.body?.json
        let acting = try acting(at: body?.occurredAt)
        return .ok(
            try await appended {
                try await service.approveRefund(
                    input.path.refund,
                    of: input.path.contract,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// The same approvers refuse, with the reason.
    func rejectRefund(_ input: Operations.RejectRefund.Input) async throws -> Operations.RejectRefund.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.rejectRefund(
                    input.path.refund,
                    of: input.path.contract,
                    reason: body.reason,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// The goods of an approved refund that asked for them came back.
    func receiveReturnedGoods(
        _ input: Operations.ReceiveReturnedGoods.Input
    ) async throws -> Operations.ReceiveReturnedGoods.Output {
        let body = input.body?.json
        let acting = try acting(at: body?.occurredAt)
        return .ok(
            try await appended {
                try await service.receiveReturnedGoods(
                    input.path.refund,
                    of: input.path.contract,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// The money of an approved refund goes out, after its goods came back when it asked for
    /// them.
    func payRefund(_ input: Operations.PayRefund.Input) async throws -> Operations.PayRefund.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let method = try CommandValues.paymentMethod(body.method.rawValue)
        return .ok(
            try await appended {
                try await service.payRefund(
                    input.path.refund,
                    of: input.path.contract,
                    method: method,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }
}
