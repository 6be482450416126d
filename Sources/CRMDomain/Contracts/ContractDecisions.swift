public import CRMSchema

/// Contracts: drafted from an accepted quote or directly from priced lines, then approved
/// step by step through the chain the approval policy asked for.
public enum ContractDecisions {
    /// A contract with an owned customer. From `quote` (which must be accepted and for the
    /// same customer) it takes the quote's lines; otherwise it takes `lines`.
    ///
    /// - Throws: `customer_not_found`; `customer_in_pool`; `quote_not_accepted`;
    ///   `invalid_value` for a quote of another customer; as ``Pricing/totals(_:)``.
    public static func draft(
        id: String,
        customer: CustomerState,
        opportunityID: String,
        quote: QuoteState?,
        lines: [CRMPricedLine],
        policy: ApprovalPolicy
    ) throws(DomainError) -> CRMContractDrafted {
        try CustomerDecisions.requireExists(customer)
        guard let owner = customer.owner else {
            throw DomainError(
                .customerInPool,
                "customer \(customer.customerID) is in the public pool; claim it before contracting",
                facts: ["customer": customer.customerID]
            )
        }
        var event = CRMContractDrafted()
        (event.contractID, event.customerID, event.ownerID, event.opportunityID) = (
            id, customer.customerID, owner, opportunityID
        )
        event.lines = lines
        if let quote {
            guard quote.status != .absent else {
                throw DomainError(.quoteNotFound, "no quote \(quote.quoteID)", facts: ["quote": quote.quoteID])
            }
            guard quote.status == .accepted else {
                throw DomainError(
                    .quoteNotAccepted,
                    "quote \(quote.quoteID) is \(quote.status.rawValue); only an accepted quote becomes a contract",
                    facts: ["status": quote.status.rawValue]
                )
            }
            guard quote.created.customerID == customer.customerID else {
                throw DomainError(
                    .invalidValue,
                    "quote \(quote.quoteID) is for customer \(quote.created.customerID)",
                    facts: ["field": "quote"]
                )
            }
            event.quoteID = quote.quoteID
            event.lines = quote.created.lines
            if event.opportunityID.isEmpty { event.opportunityID = quote.created.opportunityID }
        }
        let totals = try Pricing.totals(event.lines)
        (event.listTotal, event.amount, event.discountBasisPoints) = (
            totals.listTotal, totals.total, totals.discountBasisPoints
        )
        event.approvalChain = policy.chain(for: totals)
        return event
    }

    /// The next step of the chain approves. The approver holds the step's role (a manager
    /// must manage the contract's owner) or is an admin, is not the owner, and has not
    /// approved an earlier step: every step is another pair of eyes.
    ///
    /// - Throws: `contract_not_found`; `approval_not_pending`; `not_approver` saying why.
    public static func approve(
        _ contract: ContractState,
        by approver: UserState,
        owner: UserState,
        comment: String
    ) throws(DomainError) -> CRMContractApproved {
        let step = try requireApprover(approver, of: contract, owner: owner)
        var event = CRMContractApproved()
        (event.contractID, event.step, event.role) = (
            contract.contractID, Int32(step), contract.drafted.approvalChain[step]
        )
        (event.approverID, event.comment) = (approver.userID, comment.trimmedOfWhitespace())
        event.binding = step == contract.drafted.approvalChain.count - 1
        return event
    }

    /// The next step of the chain refuses, with a comment; the contract is closed.
    ///
    /// - Throws: as ``approve(_:by:owner:comment:)``; `reason_required` without a comment.
    public static func reject(
        _ contract: ContractState,
        by approver: UserState,
        owner: UserState,
        comment: String
    ) throws(DomainError) -> CRMContractRejected {
        let step = try requireApprover(approver, of: contract, owner: owner)
        var event = CRMContractRejected()
        (event.contractID, event.step, event.role) = (
            contract.contractID, Int32(step), contract.drafted.approvalChain[step]
        )
        (event.approverID, event.comment) = (approver.userID, try required(comment, "comment", code: .reasonRequired))
        return event
    }

    /// Refuses a contract that was never drafted.
    public static func requireExists(_ contract: ContractState) throws(DomainError) {
        guard contract.status != .absent else {
            throw DomainError(
                .contractNotFound,
                "no contract \(contract.contractID)",
                facts: ["contract": contract.contractID]
            )
        }
    }

    /// Refuses a contract that does not bind: still in approval, or rejected.
    public static func requireBinding(_ contract: ContractState) throws(DomainError) {
        try requireExists(contract)
        guard contract.status == .binding else {
            throw DomainError(
                .contractNotBinding,
                "contract \(contract.contractID) is \(contract.status.rawValue), not binding",
                facts: ["status": contract.status.rawValue]
            )
        }
    }

    /// Refuses an `owner` state that is not the contract owner's: the scope checks that
    /// follow would judge the wrong team.
    ///
    /// - Throws: `invalid_value` on `owner`.
    static func requireOwner(_ owner: UserState, of contract: ContractState) throws(DomainError) {
        guard owner.userID == contract.drafted.ownerID else {
            throw DomainError(
                .invalidValue,
                "contract \(contract.contractID) is owned by \(contract.drafted.ownerID), not \(owner.userID)",
                facts: ["field": "owner"]
            )
        }
    }

    /// The pending step `approver` may decide.
    private static func requireApprover(
        _ approver: UserState,
        of contract: ContractState,
        owner: UserState
    ) throws(DomainError) -> Int {
        try requireExists(contract)
        try requireOwner(owner, of: contract)
        guard let step = contract.pendingStep else {
            throw DomainError(
                .approvalNotPending,
                "contract \(contract.contractID) is \(contract.status.rawValue); no approval is pending",
                facts: ["status": contract.status.rawValue]
            )
        }
        let role = contract.drafted.approvalChain[step]
        func refuse(_ why: String) -> DomainError {
            DomainError(
                .notApprover,
                "\(approver.userID) may not decide step \(step + 1) (\(role)) of contract \(contract.contractID): \(why)",
                facts: ["step": String(step), "role": "\(role)"]
            )
        }
        try UserDecisions.requireActive(approver)
        guard approver.userID != contract.drafted.ownerID else { throw refuse("it is their own contract") }
        guard !contract.approvals.contains(where: { $0.approverID == approver.userID }) else {
            throw refuse("they approved an earlier step")
        }
        guard approver.role == role || approver.role == .admin else { throw refuse("the step needs a \(role)") }
        guard role != .manager || approver.role == .admin || approver.manages(owner) else {
            throw refuse("they do not manage \(owner.userID)")
        }
        return step
    }
}
