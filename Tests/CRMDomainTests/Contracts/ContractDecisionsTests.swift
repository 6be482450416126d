import CRMDomain
import CRMSchema
import Foundation
import Testing

@Suite("Contract decisions")
struct ContractDecisionsTests {
    let context = try! CommandContext(actor: "rep-1", occurredAt: businessDay(), now: businessDay())
    let owner = user("rep-1")
    let manager = user("manager-1", role: .manager)
    let otherTeamManager = user("manager-2", role: .manager, team: "team-2")
    let finance = user("finance-1", role: .finance, team: "")
    let admin = user("admin-1", role: .admin, team: "")
    /// Approval for any discount above 10%, by a manager and then finance.
    let policy = ApprovalPolicy(discountThresholdBasisPoints: 1_000, amountThreshold: nil, chain: [.manager, .finance])

    private func lines(discount: Int32 = 0) throws(DomainError) -> [CRMPricedLine] {
        [
            try pricedLine(listed("prod-1", name: "Widget", price: 10_000), quantity: 2, discount: discount),
            try pricedLine(listed("prod-2", name: "Gadget", price: 5_000)),
        ]
    }

    /// Quote `q-1` for `c-1` owned by `rep-1` at 15% off, folded through `events` after its creation.
    private func quote(_ events: (inout QuoteState) throws -> Void = { _ in }) throws -> QuoteState {
        var state = QuoteState(quoteID: "q-1")
        state.apply(
            try QuoteDecisions.create(
                id: "q-1",
                customer: customer("c-1"),
                opportunityID: "o-quoted",
                lines: lines(discount: 1_500),
                validUntil: businessDay(7),
                context: context
            )
        )
        try events(&state)
        return state
    }

    private func accepted() throws -> QuoteState {
        try quote { $0.apply(try QuoteDecisions.accept($0, context: context)) }
    }

    /// `contract` after `approver` approves its next step.
    private func approving(_ contract: ContractState, by approver: UserState) throws(DomainError) -> ContractState {
        var contract = contract
        contract.apply(try ContractDecisions.approve(contract, by: approver, owner: owner, comment: ""))
        return contract
    }

    // MARK: - Drafting

    @Test("a contract from an accepted quote takes the quote's lines, id, opportunity and totals")
    func draftFromQuote() throws {
        let quote = try accepted()
        let event = try ContractDecisions.draft(
            id: "k-1",
            customer: customer("c-1"),
            opportunityID: "",
            quote: quote,
            lines: [],
            policy: policy
        )
        #expect(event.contractID == "k-1")
        #expect(event.customerID == "c-1")
        #expect(event.ownerID == "rep-1")
        #expect(event.quoteID == "q-1")
        #expect(event.opportunityID == "o-quoted")
        #expect(event.lines == quote.created.lines)
        #expect(event.listTotal == money(25_000))
        #expect(event.amount == money(22_000), "2 × 10000 at 15% off is 17000, plus 5000")
        #expect(event.amount == quote.created.total)
        #expect(event.discountBasisPoints == 1_200)
        #expect(event.approvalChain == [.manager, .finance])
    }

    @Test("a quote's lines win over lines sent with it")
    func draftFromQuoteIgnoresLines() throws {
        let event = try ContractDecisions.draft(
            id: "k-1",
            customer: customer("c-1"),
            opportunityID: "",
            quote: accepted(),
            lines: [try pricedLine(listed("prod-9", price: 1))],
            policy: policy
        )
        #expect(event.lines.map(\.productID) == ["prod-1", "prod-2"])
    }

    @Test("a quote never made becomes no contract: quote_not_found")
    func draftFromMissingQuote() {
        let error = #expect(throws: DomainError.self) {
            try ContractDecisions.draft(
                id: "k-1",
                customer: customer("c-1"),
                opportunityID: "",
                quote: QuoteState(quoteID: "q-404"),
                lines: [],
                policy: policy
            )
        }
        #expect(error?.code == .quoteNotFound)
        #expect(error?.facts == ["quote": "q-404"])
    }

    @Test("a quote still open or rejected becomes no contract: quote_not_accepted with its status")
    func draftFromUnacceptedQuote() throws {
        let rejected = try quote { $0.apply(try QuoteDecisions.reject($0, reason: "no budget")) }
        for (state, status) in [(try quote(), "open"), (rejected, "rejected")] {
            let error = #expect(throws: DomainError.self) {
                try ContractDecisions.draft(
                    id: "k-1",
                    customer: customer("c-1"),
                    opportunityID: "",
                    quote: state,
                    lines: [],
                    policy: policy
                )
            }
            #expect(error?.code == .quoteNotAccepted)
            #expect(error?.facts == ["status": status])
        }
    }

    @Test("another customer's quote is refused as invalid_value on quote")
    func draftFromOtherCustomersQuote() throws {
        let quote = try accepted()
        let error = #expect(throws: DomainError.self) {
            try ContractDecisions.draft(
                id: "k-1",
                customer: customer("c-2"),
                opportunityID: "",
                quote: quote,
                lines: [],
                policy: policy
            )
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "quote"])
    }

    @Test("a contract without a quote takes the lines sent, and names no quote")
    func draftFromLines() throws {
        let lines = try lines()
        let event = try ContractDecisions.draft(
            id: "k-2",
            customer: customer("c-1", owner: "rep-5"),
            opportunityID: "o-1",
            quote: nil,
            lines: lines,
            policy: policy
        )
        #expect(event.quoteID == "")
        #expect(event.ownerID == "rep-5")
        #expect(event.opportunityID == "o-1")
        #expect(event.lines == lines)
        #expect((event.listTotal, event.amount, event.discountBasisPoints) == (money(25_000), money(25_000), 0))
        #expect(event.approvalChain == [])
    }

    @Test("a contract the policy does not catch binds at once; one it catches waits for the chain")
    func draftChain() throws {
        let direct = try ContractDecisions.draft(
            id: "k-1",
            customer: customer("c-1"),
            opportunityID: "",
            quote: nil,
            lines: lines(discount: 1_000),
            policy: policy
        )
        #expect(direct.discountBasisPoints == 800)
        var binding = ContractState(contractID: "k-1")
        binding.apply(direct)
        #expect(binding.status == .binding)
        #expect(binding.pendingStep == nil)

        let caught = try ContractDecisions.draft(
            id: "k-2",
            customer: customer("c-1"),
            opportunityID: "",
            quote: nil,
            lines: lines(discount: 2_000),
            policy: policy
        )
        #expect(caught.discountBasisPoints == 1_600)
        #expect(caught.approvalChain == [.manager, .finance])
        var pending = ContractState(contractID: "k-2")
        pending.apply(caught)
        #expect(pending.status == .pendingApproval)
        #expect(pending.pendingStep == 0)
    }

    @Test("a customer in the pool or never created gets no contract")
    func draftCustomer() throws {
        let lines = try lines()
        let pool = #expect(throws: DomainError.self) {
            try ContractDecisions.draft(
                id: "k-1",
                customer: customer("c-1", owner: nil),
                opportunityID: "",
                quote: nil,
                lines: lines,
                policy: policy
            )
        }
        #expect(pool?.code == .customerInPool)
        #expect(pool?.facts == ["customer": "c-1"])
        let missing = #expect(throws: DomainError.self) {
            try ContractDecisions.draft(
                id: "k-1",
                customer: CustomerState(customerID: "c-404"),
                opportunityID: "",
                quote: nil,
                lines: lines,
                policy: policy
            )
        }
        #expect(missing?.code == .customerNotFound)
        #expect(missing?.facts == ["customer": "c-404"])
    }

    @Test("a contract without a quote needs lines")
    func draftWithoutLines() {
        let error = #expect(throws: DomainError.self) {
            try ContractDecisions.draft(
                id: "k-1",
                customer: customer("c-1"),
                opportunityID: "",
                quote: nil,
                lines: [],
                policy: policy
            )
        }
        #expect(error?.code == .fieldRequired)
        #expect(error?.facts == ["field": "lines"])
    }

    // MARK: - Approving

    @Test("steps are approved in order; the last one makes the contract binding")
    func approveInOrder() throws {
        var contract = drafted(chain: [.manager, .finance, .admin])
        let first = try ContractDecisions.approve(contract, by: manager, owner: owner, comment: "  fine by me ")
        #expect(first.contractID == "k-1")
        #expect(
            (first.step, first.role, first.approverID, first.comment, first.binding) == (
                0, .manager, "manager-1", "fine by me", false
            )
        )
        contract.apply(first)
        #expect((contract.status, contract.pendingStep) == (.pendingApproval, 1))

        let second = try ContractDecisions.approve(contract, by: finance, owner: owner, comment: "")
        #expect((second.step, second.role, second.approverID, second.binding) == (1, .finance, "finance-1", false))
        contract.apply(second)
        #expect(contract.pendingStep == 2)

        let last = try ContractDecisions.approve(contract, by: admin, owner: owner, comment: "ok")
        #expect((last.step, last.role, last.approverID, last.binding) == (2, .admin, "admin-1", true))
        contract.apply(last)
        #expect(contract.status == .binding)
        #expect(contract.pendingStep == nil)
        #expect(contract.approvals == [first, second, last])
    }

    @Test("an approval judged against someone other than the contract's owner is refused as invalid_value on owner")
    func wrongOwner() {
        let contract = drafted(chain: [.manager])
        let approval = #expect(throws: DomainError.self) {
            try ContractDecisions.approve(contract, by: manager, owner: user("rep-2"), comment: "")
        }
        #expect(approval?.code == .invalidValue)
        #expect(approval?.facts == ["field": "owner"])
        let rejection = #expect(throws: DomainError.self) {
            try ContractDecisions.reject(contract, by: manager, owner: user("rep-2"), comment: "no")
        }
        #expect(rejection?.facts == ["field": "owner"])
    }

    @Test("a one-step chain is binding on its only approval")
    func approveSingleStep() throws {
        let event = try ContractDecisions.approve(drafted(chain: [.finance]), by: finance, owner: owner, comment: "")
        #expect((event.step, event.binding) == (0, true))
    }

    @Test("an admin may approve any step, including a manager's")
    func adminApprovesAnyStep() throws {
        let event = try ContractDecisions.approve(
            drafted(chain: [.manager, .finance]),
            by: admin,
            owner: owner,
            comment: ""
        )
        #expect((event.step, event.role, event.approverID) == (0, .manager, "admin-1"))
        let finance = try approving(drafted(chain: [.manager, .finance]), by: manager)
        #expect(try ContractDecisions.approve(finance, by: admin, owner: owner, comment: "").role == .finance)
    }

    @Test(
        "a step is decided only by its role: not_approver with the step and role",
        arguments: [
            (CRMRole.manager, "finance-1"), (.finance, "manager-1"), (.admin, "manager-1"), (.admin, "finance-1"),
            (.manager, "rep-2"), (.finance, "auditor-1"),
        ]
    )
    func approveWrongRole(step role: CRMRole, approverID: String) throws {
        let approvers = [
            manager, finance, user("rep-2"), user("auditor-1", role: .auditor, team: ""),
        ]
        let approver = try #require(approvers.first { $0.userID == approverID })
        let contract = drafted(chain: [role])
        let error = #expect(throws: DomainError.self) {
            try ContractDecisions.approve(contract, by: approver, owner: owner, comment: "")
        }
        #expect(error?.code == .notApprover)
        #expect(error?.facts == ["step": "0", "role": "\(role)"])
        let rejecting = #expect(throws: DomainError.self) {
            try ContractDecisions.reject(contract, by: approver, owner: owner, comment: "no")
        }
        #expect(rejecting?.code == .notApprover)
    }

    @Test("a manager step is decided by a manager of the owner's team, not of another team")
    func approveOtherTeamsManager() throws {
        let contract = try approving(drafted(chain: [.finance, .manager]), by: finance)
        let error = #expect(throws: DomainError.self) {
            try ContractDecisions.approve(contract, by: otherTeamManager, owner: owner, comment: "")
        }
        #expect(error?.code == .notApprover)
        #expect(error?.facts == ["step": "1", "role": "\(CRMRole.manager)"])
        #expect(try ContractDecisions.approve(contract, by: manager, owner: owner, comment: "").binding)
    }

    @Test("a manager without a team manages nobody, not even an owner without a team")
    func approveManagerWithoutTeam() {
        let loneManager = user("manager-3", role: .manager, team: "")
        let error = #expect(throws: DomainError.self) {
            try ContractDecisions.approve(
                drafted(chain: [.manager]),
                by: loneManager,
                owner: user("rep-1", team: ""),
                comment: ""
            )
        }
        #expect(error?.code == .notApprover)
    }

    @Test("the owner cannot approve their own contract, even as a manager")
    func approveOwnContract() throws {
        let owningManager = user("manager-1", role: .manager)
        let contract = drafted(owner: "manager-1", chain: [.manager])
        let error = #expect(throws: DomainError.self) {
            try ContractDecisions.approve(contract, by: owningManager, owner: owningManager, comment: "")
        }
        #expect(error?.code == .notApprover)
        #expect(error?.facts == ["step": "0", "role": "\(CRMRole.manager)"])
        let colleague = user("manager-4", role: .manager)
        #expect(try ContractDecisions.approve(contract, by: colleague, owner: owningManager, comment: "").binding)
    }

    @Test("nobody approves two steps: every step is another pair of eyes")
    func approveTwice() throws {
        for (chain, approver) in [
            ([CRMRole.admin, .admin], admin), ([.manager, .manager], manager), ([.manager, .admin], admin),
        ] {
            let contract = try approving(drafted(chain: chain), by: approver)
            let error = #expect(throws: DomainError.self) {
                try ContractDecisions.approve(contract, by: approver, owner: owner, comment: "")
            }
            #expect(error?.code == .notApprover)
            #expect(error?.facts == ["step": "1", "role": "\(chain[1])"])
        }
        let twoManagers = try approving(drafted(chain: [.manager, .manager]), by: manager)
        #expect(
            try ContractDecisions.approve(twoManagers, by: user("manager-5", role: .manager), owner: owner, comment: "")
                .binding
        )
    }

    @Test("a deactivated approver is refused as user_inactive; an unknown one as user_not_found")
    func approveInactive() {
        let contract = drafted(chain: [.finance])
        let inactive = #expect(throws: DomainError.self) {
            try ContractDecisions.approve(
                contract,
                by: user("finance-2", role: .finance, active: false),
                owner: owner,
                comment: ""
            )
        }
        #expect(inactive?.code == .userInactive)
        #expect(inactive?.facts == ["user": "finance-2"])
        let unknown = #expect(throws: DomainError.self) {
            try ContractDecisions.reject(contract, by: UserState(userID: "ghost"), owner: owner, comment: "no")
        }
        #expect(unknown?.code == .userNotFound)
    }

    @Test("a binding or rejected contract has no approval pending; a missing one is contract_not_found")
    func approveNotPending() throws {
        var rejected = drafted(chain: [.manager, .finance])
        rejected.apply(try ContractDecisions.reject(rejected, by: manager, owner: owner, comment: "too cheap"))
        let approvedInFull = try approving(drafted(chain: [.finance]), by: finance)
        for (contract, status) in [(drafted(), "binding"), (approvedInFull, "binding"), (rejected, "rejected")] {
            let approving = #expect(throws: DomainError.self) {
                try ContractDecisions.approve(contract, by: admin, owner: owner, comment: "")
            }
            #expect(approving?.code == .approvalNotPending)
            #expect(approving?.facts == ["status": status])
            let rejecting = #expect(throws: DomainError.self) {
                try ContractDecisions.reject(contract, by: admin, owner: owner, comment: "no")
            }
            #expect(rejecting?.code == .approvalNotPending)
            #expect(rejecting?.facts == ["status": status])
        }
        let missing = #expect(throws: DomainError.self) {
            try ContractDecisions.approve(ContractState(contractID: "k-404"), by: admin, owner: owner, comment: "")
        }
        #expect(missing?.code == .contractNotFound)
        #expect(missing?.facts == ["contract": "k-404"])
    }

    // MARK: - Rejecting

    @Test("the pending step rejects with a trimmed comment; the contract is closed and binds nobody")
    func reject() throws {
        var contract = try approving(drafted(chain: [.manager, .finance]), by: manager)
        let event = try ContractDecisions.reject(contract, by: finance, owner: owner, comment: " margin too thin ")
        #expect(event.contractID == "k-1")
        #expect(
            (event.step, event.role, event.approverID, event.comment) == (1, .finance, "finance-1", "margin too thin")
        )
        contract.apply(event)
        #expect(contract.status == .rejected)
        #expect(contract.pendingStep == nil)
        let instalments = #expect(throws: DomainError.self) {
            try ReceivableDecisions.schedule(contract, newInstalments([(30, 10_000)]))
        }
        #expect(instalments?.code == .contractNotBinding)
        #expect(instalments?.facts == ["status": "rejected"])
    }

    @Test("a rejection without a comment is refused as reason_required")
    func rejectWithoutComment() {
        let error = #expect(throws: DomainError.self) {
            try ContractDecisions.reject(drafted(chain: [.manager]), by: manager, owner: owner, comment: "  ")
        }
        #expect(error?.code == .reasonRequired)
        #expect(error?.facts == ["field": "comment"])
    }

    @Test("a contract waiting for approval does not bind: no instalments yet")
    func pendingIsNotBinding() {
        let error = #expect(throws: DomainError.self) {
            try ReceivableDecisions.schedule(drafted(chain: [.manager]), newInstalments([(30, 10_000)]))
        }
        #expect(error?.code == .contractNotBinding)
        #expect(error?.facts == ["status": "pendingApproval"])
    }
}
