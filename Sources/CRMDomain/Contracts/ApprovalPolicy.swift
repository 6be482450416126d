public import CRMSchema

/// When a contract needs approval, and by whom: from the latest `ApprovalPolicyConfigured`
/// at the contract's business time.
public struct ApprovalPolicy: Sendable, Hashable {
    /// An overall discount above this many basis points needs approval.
    public var discountThresholdBasisPoints: Int32
    /// An amount above this needs approval; `nil` for no amount threshold.
    public var amountThreshold: CRMMoney?
    /// The approving roles, in order.
    public var chain: [CRMRole]

    /// The policy before one is configured: a discount above 20% needs the manager's approval.
    public static let defaults = ApprovalPolicy(
        discountThresholdBasisPoints: 2_000,
        amountThreshold: nil,
        chain: [.manager]
    )

    /// Creates a policy; see the properties.
    public init(discountThresholdBasisPoints: Int32, amountThreshold: CRMMoney?, chain: [CRMRole]) {
        self.discountThresholdBasisPoints = discountThresholdBasisPoints
        self.amountThreshold = amountThreshold
        self.chain = chain
    }

    /// The policy a (validated) `ApprovalPolicyConfigured` sets.
    public init(_ configured: CRMApprovalPolicyConfigured) {
        self.init(
            discountThresholdBasisPoints: configured.discountThresholdPercent.saturatingMultiply(100),
            amountThreshold: configured.hasAmountThreshold ? configured.amountThreshold : nil,
            chain: configured.chain.map(\.approverRole)
        )
    }

    /// The approvals a contract with `totals` needs: the chain when its discount or amount
    /// passes a threshold, none otherwise. An amount in another currency than the threshold
    /// cannot be compared, so it needs the chain.
    public func chain(for totals: Pricing.Totals) -> [CRMRole] {
        if totals.discountBasisPoints > discountThresholdBasisPoints { return chain }
        if let threshold = amountThreshold,
            threshold.currency != totals.total.currency || totals.total.minorUnits > threshold.minorUnits
        {
            return chain
        }
        return []
    }

    /// Checks a new policy: a discount threshold of 0-100%, a valid amount threshold if any,
    /// and a chain of one or more managers, finance or admins.
    ///
    /// - Throws: `invalid_value` naming the field.
    public static func validate(
        _ configured: CRMApprovalPolicyConfigured
    ) throws(DomainError) -> CRMApprovalPolicyConfigured {
        guard (0...100).contains(configured.discountThresholdPercent) else {
            throw DomainError(
                .invalidValue,
                "the discount threshold is 0-100%",
                facts: ["field": "discount_threshold_percent"]
            )
        }
        if configured.hasAmountThreshold { _ = try configured.amountThreshold.validated("amount_threshold") }
        let approvers: Set<CRMRole> = [.manager, .finance, .admin]
        guard !configured.chain.isEmpty, configured.chain.allSatisfy({ approvers.contains($0.approverRole) }) else {
            throw DomainError(
                .invalidValue,
                "the approval chain is one or more steps, each a manager, finance or an admin",
                facts: ["field": "chain"]
            )
        }
        return configured
    }
}
