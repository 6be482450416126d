import CRMDomain
import CRMSchema
import Testing

@Suite("Approval policy")
struct ApprovalPolicyTests {
    /// A configuration as an admin would send it.
    private func policyConfigured(
        percent: Int32,
        amountThreshold: CRMMoney? = nil,
        chain: [CRMRole]
    )
        -> CRMApprovalPolicyConfigured
    {
        var configured = CRMApprovalPolicyConfigured()
        configured.discountThresholdPercent = percent
        if let amountThreshold { configured.amountThreshold = amountThreshold }
        configured.chain = chain.map { role in
            var step = CRMApprovalStep()
            step.approverRole = role
            return step
        }
        return configured
    }

    // MARK: - Which contracts need approval

    @Test("a discount exactly at the threshold needs no approval; one basis point above needs the chain")
    func discountThreshold() throws {
        let policy = ApprovalPolicy(
            discountThresholdBasisPoints: 1_500,
            amountThreshold: nil,
            chain: [.manager, .finance]
        )
        #expect(policy.chain(for: try oneLineTotals(price: 10_000, discount: 1_500)) == [])
        #expect(policy.chain(for: try oneLineTotals(price: 10_000, discount: 1_501)) == [.manager, .finance])
        #expect(policy.chain(for: try oneLineTotals(price: 10_000, discount: 0)) == [])
    }

    @Test("an amount equal to the threshold needs no approval; one minor unit above needs the chain")
    func amountThreshold() throws {
        let policy = ApprovalPolicy(
            discountThresholdBasisPoints: 10_000,
            amountThreshold: money(50_000),
            chain: [.finance]
        )
        #expect(policy.chain(for: try oneLineTotals(price: 50_000)) == [])
        #expect(policy.chain(for: try oneLineTotals(price: 49_999)) == [])
        #expect(policy.chain(for: try oneLineTotals(price: 50_001)) == [.finance])
        #expect(
            policy.chain(for: try oneLineTotals(price: 100_000, discount: 5_000)) == [],
            "the amount is after discount"
        )
    }

    @Test("an amount in another currency than the threshold cannot be compared, so it needs the chain")
    func amountInOtherCurrency() throws {
        let policy = ApprovalPolicy(
            discountThresholdBasisPoints: 10_000,
            amountThreshold: money(50_000),
            chain: [.admin]
        )
        #expect(policy.chain(for: try oneLineTotals(price: 10, currency: "USD")) == [.admin])
    }

    @Test("by default a discount above 20% needs a manager, and no amount needs approval")
    func defaults() throws {
        let policy = ApprovalPolicy.defaults
        #expect(policy.discountThresholdBasisPoints == 2_000)
        #expect(policy.amountThreshold == nil)
        #expect(policy.chain(for: try oneLineTotals(price: 10_000, discount: 2_000)) == [])
        #expect(policy.chain(for: try oneLineTotals(price: 10_000, discount: 2_001)) == [.manager])
        #expect(policy.chain(for: try oneLineTotals(price: 1_000_000_000_000)) == [])
    }

    @Test("a configured policy holds its threshold in basis points, its amount threshold if any, and its chain")
    func fromConfigured() {
        let withAmount = ApprovalPolicy(
            policyConfigured(percent: 15, amountThreshold: money(1_000_000), chain: [.manager, .finance])
        )
        #expect(
            withAmount
                == ApprovalPolicy(
                    discountThresholdBasisPoints: 1_500,
                    amountThreshold: money(1_000_000),
                    chain: [.manager, .finance]
                )
        )
        let withoutAmount = ApprovalPolicy(policyConfigured(percent: 0, chain: [.admin]))
        #expect(withoutAmount == ApprovalPolicy(discountThresholdBasisPoints: 0, amountThreshold: nil, chain: [.admin]))
    }

    // MARK: - Validating a new policy

    @Test("a policy of 0-100% with a chain of managers, finance and admins is valid as sent")
    func validateValid() throws {
        for configured in [
            policyConfigured(percent: 0, chain: [.manager]),
            policyConfigured(percent: 100, amountThreshold: money(0), chain: [.manager, .finance, .admin]),
            policyConfigured(percent: 20, amountThreshold: money(5_000_000, "USD"), chain: [.finance, .finance]),
        ] {
            #expect(try ApprovalPolicy.validate(configured) == configured)
        }
    }

    @Test(
        "a discount threshold outside 0-100% is refused on discount_threshold_percent",
        arguments: [Int32(101), -1, 10_000]
    )
    func validatePercent(_ percent: Int32) {
        let error = #expect(throws: DomainError.self) {
            try ApprovalPolicy.validate(policyConfigured(percent: percent, chain: [.manager]))
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "discount_threshold_percent"])
    }

    @Test(
        "an empty chain, or one with a sales rep, an auditor or no role, is refused on chain",
        arguments: [
            [CRMRole](), [.salesRep], [.manager, .salesRep], [.auditor], [.finance, .auditor], [.unspecified],
        ]
    )
    func validateChain(_ chain: [CRMRole]) {
        let error = #expect(throws: DomainError.self) {
            try ApprovalPolicy.validate(policyConfigured(percent: 20, chain: chain))
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "chain"])
    }

    @Test(
        "a negative amount threshold or one without a currency code is refused on amount_threshold",
        arguments: [
            money(-1), money(100, "usd"), money(100, ""),
        ]
    )
    func validateAmountThreshold(_ threshold: CRMMoney) {
        let error = #expect(throws: DomainError.self) {
            try ApprovalPolicy.validate(policyConfigured(percent: 20, amountThreshold: threshold, chain: [.manager]))
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "amount_threshold"])
    }
}
