public import CRMDomain
public import CRMSchema
public import EventStore
public import Foundation
import SwiftProtobuf

extension CRMService {
    // MARK: - Contracts

    /// Drafts a contract with an owned customer: from an accepted quote (each quote becomes
    /// at most one contract), or from `lines` priced from the product list now. The approval
    /// policy in force decides the approvals it needs; with none it binds at once.
    ///
    /// - Returns: the contract's id.
    /// - Throws: `DomainError` as
    ///   ``ContractDecisions/draft(id:customer:opportunityID:quote:lines:policy:)``, and
    ///   `quote_already_contracted` naming the contract made from the quote.
    public func draftContract(
        for customerID: String,
        fromQuote quoteID: String? = nil,
        lines: [Pricing.LineRequest] = [],
        opportunityID: String = "",
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> String {
        let context = try context(actor, occurredAt)
        let contractID = newID()
        let customer = try await loadCustomer(customerID).0
        let quote = try await quoteID.asyncMap { try await loadQuote($0).0 }
        let drafted = try ContractDecisions.draft(
            id: contractID,
            customer: customer,
            opportunityID: opportunityID,
            quote: quote,
            lines: quote == nil ? try await priced(lines) : [],
            policy: try await approvalPolicy(at: context.occurredAt)
        )
        try await create(
            try contractStream(contractID),
            drafted,
            reserving: quoteID.map { "contract-of-quote:\($0)" },
            context: context
        ) { holder in
            DomainError(
                .quoteAlreadyContracted,
                "quote \(quoteID ?? "") became \(holder) already",
                facts: ["existing": holder]
            )
        }
        return contractID
    }

    /// The next step of the contract's approval chain approves.
    ///
    /// - Throws: `DomainError` as ``ContractDecisions/approve(_:by:owner:comment:)``.
    @discardableResult
    public func approveContract(
        _ contractID: String,
        comment: String = "",
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnContract(contractID, actor: actor, occurredAt: occurredAt) { contract in
            let (approver, owner) = try await approverAndOwner(actor, contract)
            return [try ContractDecisions.approve(contract, by: approver, owner: owner, comment: comment)]
        }
    }

    /// The next step of the contract's approval chain refuses; the contract is closed.
    ///
    /// - Throws: `DomainError` as ``ContractDecisions/reject(_:by:owner:comment:)``.
    @discardableResult
    public func rejectContract(
        _ contractID: String,
        comment: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnContract(contractID, actor: actor, occurredAt: occurredAt) { contract in
            let (approver, owner) = try await approverAndOwner(actor, contract)
            return [try ContractDecisions.reject(contract, by: approver, owner: owner, comment: comment)]
        }
    }

    // MARK: - Receivables

    /// Adds instalments to a binding contract's payment plan.
    ///
    /// - Throws: `DomainError` as ``ReceivableDecisions/schedule(_:_:)``.
    @discardableResult
    public func scheduleInstalments(
        _ contractID: String,
        _ instalments: [ReceivableDecisions.NewInstalment],
        actor: String,
        occurredAt: Date? = nil
    )
        async throws -> AppendResult
    {
        try await decideOnContract(contractID, actor: actor, occurredAt: occurredAt) {
            [try ReceivableDecisions.schedule($0, instalments)]
        }
    }

    /// Records money received by the acting clerk, allocated to the instalments oldest first,
    /// with the owner's commission at the rate in force at the payment's business time, and
    /// the bank's reference for the transfer when the clerk has it.
    ///
    /// - Returns: the payment's id.
    /// - Throws: `DomainError` as ``ReceivableDecisions/receivePayment(_:paymentID:amount:method:bankReference:clerkID:commissionRateBasisPoints:)``.
    public func recordPayment(
        _ contractID: String,
        amount: CRMMoney,
        method: CRMPaymentMethod,
        bankReference: String = "",
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> String {
        let paymentID = newID()
        let rate = try await commissionRate(at: try context(actor, occurredAt).occurredAt)
        try await decideOnContract(contractID, actor: actor, occurredAt: occurredAt) { contract in
            let payment = try ReceivableDecisions.receivePayment(
                contract,
                paymentID: paymentID,
                amount: amount,
                method: method,
                bankReference: bankReference,
                clerkID: actor,
                commissionRateBasisPoints: rate
            )
            return [payment.received] + (payment.commission.map { [$0] } ?? [])
        }
        return paymentID
    }

    /// Requests an invoice for part or all of a binding contract.
    ///
    /// - Returns: the invoice's id.
    public func requestInvoice(
        _ contractID: String,
        amount: CRMMoney,
        title: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> String {
        let invoiceID = newID()
        try await decideOnContract(contractID, actor: actor, occurredAt: occurredAt) {
            [try ReceivableDecisions.requestInvoice($0, invoiceID: invoiceID, amount: amount, title: title)]
        }
        return invoiceID
    }

    /// Finance issues a requested invoice under its number.
    @discardableResult
    public func issueInvoice(
        _ invoiceID: String,
        of contractID: String,
        number: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws
        -> AppendResult
    {
        try await decideOnContract(contractID, actor: actor, occurredAt: occurredAt) {
            [try ReceivableDecisions.issueInvoice($0, invoiceID: invoiceID, number: number)]
        }
    }

    /// Requests a refund of collected money, with or without the goods coming back.
    ///
    /// - Returns: the refund's id.
    public func requestRefund(
        _ contractID: String,
        amount: CRMMoney,
        reason: String,
        returnGoods: Bool,
        actor: String,
        occurredAt: Date? = nil
    )
        async throws -> String
    {
        let refundID = newID()
        try await decideOnContract(contractID, actor: actor, occurredAt: occurredAt) {
            [
                try ReceivableDecisions.requestRefund(
                    $0,
                    refundID: refundID,
                    amount: amount,
                    reason: reason,
                    returnGoods: returnGoods
                )
            ]
        }
        return refundID
    }

    /// Finance, an admin or the owner's manager approves a refund.
    @discardableResult
    public func approveRefund(
        _ refundID: String,
        of contractID: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnContract(contractID, actor: actor, occurredAt: occurredAt) { contract in
            let (approver, owner) = try await approverAndOwner(actor, contract)
            return [try ReceivableDecisions.approveRefund(contract, refundID: refundID, by: approver, owner: owner)]
        }
    }

    /// Finance, an admin or the owner's manager refuses a refund, with the reason.
    @discardableResult
    public func rejectRefund(
        _ refundID: String,
        of contractID: String,
        reason: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws
        -> AppendResult
    {
        try await decideOnContract(contractID, actor: actor, occurredAt: occurredAt) { contract in
            let (approver, owner) = try await approverAndOwner(actor, contract)
            return [
                try ReceivableDecisions.rejectRefund(
                    contract,
                    refundID: refundID,
                    by: approver,
                    owner: owner,
                    reason: reason
                )
            ]
        }
    }

    /// Records that a refund's goods came back.
    @discardableResult
    public func receiveReturnedGoods(
        _ refundID: String,
        of contractID: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnContract(contractID, actor: actor, occurredAt: occurredAt) {
            [try ReceivableDecisions.receiveReturnedGoods($0, refundID: refundID)]
        }
    }

    /// Pays out an approved refund.
    @discardableResult
    public func payRefund(
        _ refundID: String,
        of contractID: String,
        method: CRMPaymentMethod,
        actor: String,
        occurredAt: Date? = nil
    ) async throws
        -> AppendResult
    {
        try await decideOnContract(contractID, actor: actor, occurredAt: occurredAt) {
            [try ReceivableDecisions.payRefund($0, refundID: refundID, method: method)]
        }
    }

    // MARK: - Loading

    /// Loads a contract, decides its next events, and appends them with the version read, so
    /// two payments or invoices never decide on the same totals.
    @discardableResult
    private func decideOnContract(
        _ contractID: String,
        actor: String,
        occurredAt: Date?,
        decide: (ContractState) async throws -> [any SwiftProtobuf.Message]
    ) async throws -> AppendResult {
        let appended = try await decideEvents(
            on: try contractStream(contractID),
            actor: actor,
            occurredAt: occurredAt,
            load: { try await loadContract(contractID) },
            decide: decide
        )
        guard let appended else { preconditionFailure("every contract decision appends an event") }
        return appended
    }

    private func approverAndOwner(_ actor: String, _ contract: ContractState) async throws -> (UserState, UserState) {
        try ContractDecisions.requireExists(contract)
        return (try await loadUser(actor).0, try await loadUser(contract.drafted.ownerID).0)
    }

    func loadContract(_ id: String) async throws -> (ContractState, ExpectedVersion) {
        try await load(try contractStream(id), into: ContractState(contractID: id)) { contract, message, _ in
            contract.apply(message)
        }
    }

    func contractStream(_ id: String) throws -> StreamName { try StreamName(category: "contract", id: id) }
}
