import CRMDomain
import CRMSchema
import Foundation
import SwiftProtobuf
import Testing

@Suite("Receivable decisions")
struct ReceivableDecisionsTests {
    let owner = user("rep-1")
    let manager = user("manager-1", role: .manager)
    let finance = user("finance-1", role: .finance, team: "")
    let admin = user("admin-1", role: .admin, team: "")

    /// Instalments scheduled out of due order, over two calls: #4 is due first, #2 and #3 on
    /// the same day (by number then), #1 last. 65,000 of a contract of 100,000.
    private func outOfOrder() throws(DomainError) -> ContractState {
        let first = try scheduling(drafted(), [(60, 30_000), (30, 20_000), (30, 10_000)])
        return try scheduling(first, [(10, 5_000)])
    }

    /// A contract of 100,000 with one instalment of it, of which `collected` is paid.
    private func collecting(_ collected: Int64, owner: String = "rep-1") throws(DomainError) -> ContractState {
        try paying(scheduling(drafted(owner: owner), [(30, 100_000)]), collected).0
    }

    /// `contract` with refund `id` requested for `amount`, then folded through `events`.
    private func refund(
        _ contract: ContractState,
        _ id: String = "r-1",
        amount: Int64,
        returnGoods: Bool = false,
        _ events: (inout ContractState) throws -> Void = { _ in }
    ) throws -> ContractState {
        var contract = contract
        contract.apply(
            try ReceivableDecisions.requestRefund(
                contract,
                refundID: id,
                amount: money(amount),
                reason: "faulty",
                returnGoods: returnGoods
            )
        )
        try events(&contract)
        return contract
    }

    private func approve(_ contract: inout ContractState, _ id: String = "r-1") throws {
        contract.apply(try ReceivableDecisions.approveRefund(contract, refundID: id, by: finance, owner: owner))
    }

    // MARK: - Payment plan

    @Test("instalments are numbered on from the last, across calls, with their due time and amount")
    func schedule() throws {
        let contract = drafted()
        let event = try ReceivableDecisions.schedule(contract, newInstalments([(30, 30_000), (60, 20_000)]))
        #expect(event.contractID == "k-1")
        #expect(event.instalments.map(\.number) == [1, 2])
        #expect(event.instalments.map(\.dueAt.date) == [businessDay(30), businessDay(60)])
        #expect(event.instalments.map(\.amount) == [money(30_000), money(20_000)])
        var folded = contract
        folded.apply(event)
        #expect(folded.scheduled == 50_000)
        let next = try ReceivableDecisions.schedule(folded, newInstalments([(90, 10_000), (20, 40_000)]))
        #expect(next.instalments.map(\.number) == [3, 4])
        folded.apply(next)
        #expect(folded.instalments.map(\.number) == [1, 2, 3, 4])
        #expect(folded.scheduled == 100_000)
    }

    @Test("a plan may fill the contract amount exactly, not pass it: plan_exceeds_contract with the figures")
    func planExceedsContract() throws {
        let half = try scheduling(drafted(), [(30, 50_000)])
        let error = #expect(throws: DomainError.self) {
            try ReceivableDecisions.schedule(half, newInstalments([(60, 30_000), (90, 30_000)]))
        }
        #expect(error?.code == .planExceedsContract)
        #expect(error?.facts == ["scheduled": "50000", "adding": "60000", "amount": "100000"])
        let full = try scheduling(half, [(60, 25_000), (90, 25_000)])
        let oneMore = #expect(throws: DomainError.self) {
            try ReceivableDecisions.schedule(full, newInstalments([(120, 1)]))
        }
        #expect(oneMore?.code == .planExceedsContract)
        #expect(oneMore?.facts == ["scheduled": "100000", "adding": "1", "amount": "100000"])
    }

    @Test("an instalment of zero or less is refused as invalid_value on amount", arguments: [Int64(0), -1, -100_000])
    func scheduleNotPositive(_ amount: Int64) {
        let error = #expect(throws: DomainError.self) {
            try ReceivableDecisions.schedule(drafted(), newInstalments([(30, 10_000), (60, amount)]))
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "amount"])
    }

    @Test("an instalment in another currency is refused as currency_mismatch naming the contract's")
    func scheduleOtherCurrency() {
        let error = #expect(throws: DomainError.self) {
            try ReceivableDecisions.schedule(drafted(currency: "CNY"), newInstalments([(30, 10_000)], currency: "USD"))
        }
        #expect(error?.code == .currencyMismatch)
        #expect(error?.facts == ["currency": "CNY"])
    }

    @Test("a plan needs instalments, and a binding contract")
    func scheduleRefusals() {
        let empty = #expect(throws: DomainError.self) { try ReceivableDecisions.schedule(drafted(), []) }
        #expect(empty?.code == .fieldRequired)
        #expect(empty?.facts == ["field": "instalments"])
        let pending = #expect(throws: DomainError.self) {
            try ReceivableDecisions.schedule(drafted(chain: [.finance]), newInstalments([(30, 1)]))
        }
        #expect(pending?.code == .contractNotBinding)
        #expect(pending?.facts == ["status": "pendingApproval"])
        let missing = #expect(throws: DomainError.self) {
            try ReceivableDecisions.schedule(ContractState(contractID: "k-404"), newInstalments([(30, 1)]))
        }
        #expect(missing?.code == .contractNotFound)
        #expect(missing?.facts == ["contract": "k-404"])
    }

    // MARK: - Payments

    @Test("a payment records who, what, how and for which contract and customer")
    func paymentFields() throws {
        let payment = try ReceivableDecisions.receivePayment(
            outOfOrder(),
            paymentID: "pay-9",
            amount: money(1_000),
            method: .wechatPay,
            clerkID: "fin-1",
            commissionRateBasisPoints: 0
        )
        let received = payment.received
        #expect((received.paymentID, received.contractID, received.customerID) == ("pay-9", "k-1", "c-1"))
        #expect((received.amount, received.method, received.clerkID) == (money(1_000), .wechatPay, "fin-1"))
        #expect(received.credit == money(0))
        #expect(payment.commission == nil, "no commission at rate 0")
    }

    @Test("a payment goes to the instalments oldest due first, by due time and then number")
    func allocationOrder() throws {
        let (_, payment) = try paying(outOfOrder(), 40_000)
        #expect(
            payment.received.allocations == [
                allocation(4, 5_000), allocation(2, 20_000), allocation(3, 10_000), allocation(1, 5_000),
            ]
        )
        #expect(payment.received.credit == money(0))
    }

    @Test("partial payments fill one instalment after another, resuming where the last one stopped")
    func partialAllocation() throws {
        let (afterFirst, first) = try paying(outOfOrder(), 25_000, id: "pay-1")
        #expect(first.received.allocations == [allocation(4, 5_000), allocation(2, 20_000)])
        #expect(afterFirst.allocated == [4: 5_000, 2: 20_000])
        let (afterSecond, second) = try paying(afterFirst, 12_000, id: "pay-2")
        #expect(second.received.allocations == [allocation(3, 10_000), allocation(1, 2_000)])
        let (afterThird, third) = try paying(afterSecond, 3_000, id: "pay-3")
        #expect(third.received.allocations == [allocation(1, 3_000)])
        #expect(afterThird.allocated == [4: 5_000, 2: 20_000, 3: 10_000, 1: 5_000])
        #expect(afterThird.collected == 40_000)
        #expect(afterThird.credit == 0)
    }

    @Test("what is paid beyond the instalments is the customer's credit")
    func overpayment() throws {
        let contract = try scheduling(drafted(), [(30, 30_000)])
        let (afterFirst, first) = try paying(contract, 50_000)
        #expect(first.received.allocations == [allocation(1, 30_000)])
        #expect(first.received.credit == money(20_000))
        #expect((afterFirst.collected, afterFirst.credit) == (30_000, 20_000))
        let (afterSecond, second) = try paying(afterFirst, 1_000, rate: 500, id: "pay-2")
        #expect(second.received.allocations == [])
        #expect(second.received.credit == money(1_000))
        #expect(second.commission == nil, "nothing collected, no commission")
        #expect(afterSecond.credit == 21_000)
    }

    @Test("a payment on a contract without instalments is refused as no_payment_plan")
    func noPaymentPlan() {
        let error = #expect(throws: DomainError.self) { try paying(drafted(), 1_000) }
        #expect(error?.code == .noPaymentPlan)
        #expect(error?.facts == [:])
    }

    @Test("a payment of zero or less, in another currency, or without a method is refused")
    func paymentRefusals() throws {
        let contract = try outOfOrder()
        func pay(_ amount: CRMMoney, _ method: CRMPaymentMethod = .cash) throws(DomainError) {
            _ = try ReceivableDecisions.receivePayment(
                contract,
                paymentID: "pay-1",
                amount: amount,
                method: method,
                clerkID: "fin-1",
                commissionRateBasisPoints: 100
            )
        }
        for amount in [money(0), money(-5)] {
            let error = #expect(throws: DomainError.self) { try pay(amount) }
            #expect(error?.code == .invalidValue)
            #expect(error?.facts == ["field": "amount"])
        }
        let currency = #expect(throws: DomainError.self) { try pay(money(100, "USD")) }
        #expect(currency?.code == .currencyMismatch)
        #expect(currency?.facts == ["currency": "CNY"])
        for method in [CRMPaymentMethod.unspecified, .UNRECOGNIZED(99)] {
            let error = #expect(throws: DomainError.self) { try pay(money(100), method) }
            #expect(error?.code == .invalidValue)
            #expect(error?.facts == ["field": "method"])
        }
        let pending = #expect(throws: DomainError.self) { try paying(drafted(chain: [.manager]), 100) }
        #expect(pending?.code == .contractNotBinding)
    }

    @Test("a bank reference is kept trimmed, and a second payment with it, in any case, is refused naming the first")
    func bankReferenceOncePerContract() throws {
        let (afterFirst, first) = try paying(outOfOrder(), 1_000, id: "pay-1", bankReference: "  CMB2026120600042 ")
        #expect(first.received.bankReference == "CMB2026120600042")
        let again = #expect(throws: DomainError.self) {
            try paying(afterFirst, 1_000, id: "pay-2", bankReference: "cmb2026120600042")
        }
        #expect(again?.code == .duplicateBankReference)
        #expect(again?.facts == ["existing": "pay-1", "bankReference": "cmb2026120600042"])
        let (afterOther, other) = try paying(afterFirst, 1_000, id: "pay-3", bankReference: "CMB2026120600043")
        #expect(other.received.bankReference == "CMB2026120600043")
        let (_, unreferenced) = try paying(afterOther, 1_000, id: "pay-4", bankReference: "   ")
        #expect(unreferenced.received.bankReference == "", "white space alone is no reference")
        let (_, onAnotherContract) = try paying(
            try scheduling(drafted(), [(30, 10_000)]),
            1_000,
            bankReference: "CMB2026120600042"
        )
        #expect(
            onAnotherContract.received.bankReference == "CMB2026120600042",
            "unique per contract, not across contracts"
        )
    }

    @Test(
        "a bank reference past 64 characters or with a control character is refused as invalid_value",
        arguments: [String(repeating: "9", count: 65), "CMB\n42", "CMB\u{0}42", "CMB\u{85}42"]
    )
    func bankReferenceRefusals(_ reference: String) throws {
        let error = #expect(throws: DomainError.self) { try paying(outOfOrder(), 1_000, bankReference: reference) }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "bankReference"])
        #expect(
            try paying(outOfOrder(), 1_000, bankReference: String(repeating: "9", count: 64)).1.received.bankReference
                .count == 64
        )
    }

    // MARK: - Commission

    @Test("commission is the rate times what was collected, for the contract's owner")
    func commission() throws {
        let contract = try scheduling(drafted(owner: "rep-3"), [(30, 30_000)])
        let (_, payment) = try paying(contract, 50_000, rate: 1_000, id: "pay-7")
        let commission = try #require(payment.commission)
        #expect((commission.contractID, commission.paymentID, commission.repID) == ("k-1", "pay-7", "rep-3"))
        #expect(commission.collected == money(30_000), "the credit earns nothing")
        #expect(commission.rateBasisPoints == 1_000)
        #expect(commission.commission == money(3_000))
    }

    @Test("fractions of commission carry to the next payment: 1.00 at 3.33% four times earns 3, 3, 3 and 4")
    func commissionCarry() throws {
        var contract = try scheduling(drafted(), [(30, 100_000)])
        for (index, (commission, carry)) in [(Int64(3), Int64(3_300)), (3, 6_600), (3, 9_900), (4, 3_200)].enumerated()
        {
            let payment: ReceivableDecisions.Payment
            (contract, payment) = try paying(contract, 100, rate: 333, id: "pay-\(index)")
            #expect(payment.commission?.commission == money(commission))
            #expect(contract.commissionCarry == carry)
        }
    }

    @Test("the carry survives payments at rate 0 and counts at the next rate")
    func commissionCarryAcrossRates() throws {
        var contract = try scheduling(drafted(), [(30, 100_000)])
        (contract, _) = try paying(contract, 100, rate: 333)  // 3.33: 3, carry 0.33
        let (afterZero, zero) = try paying(contract, 100, rate: 0, id: "pay-2")
        #expect(zero.commission == nil)
        #expect(afterZero.commissionCarry == 3_300)
        let (afterLast, last) = try paying(afterZero, 67, rate: 100, id: "pay-3")  // 0.67 + 0.33
        #expect(last.commission?.commission == money(1))
        #expect(afterLast.commissionCarry == 0)
    }

    @Test("a commission rate is 0 to 10000 basis points", arguments: [Int32(-1), 10_001, .min])
    func validateRate(_ rate: Int32) throws {
        var configured = CRMCommissionRateConfigured()
        configured.rateBasisPoints = rate
        let error = #expect(throws: DomainError.self) { try ReceivableDecisions.validate(configured) }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "rate_basis_points"])
        for valid in [Int32(0), 10_000, 250] {
            configured.rateBasisPoints = valid
            #expect(try ReceivableDecisions.validate(configured) == configured)
        }
    }

    // MARK: - Invoices

    @Test("invoices are requested up to the contract amount, with a trimmed title")
    func requestInvoice() throws {
        var contract = drafted()
        let first = try ReceivableDecisions.requestInvoice(
            contract,
            invoiceID: "inv-1",
            amount: money(60_000),
            title: " Star Tech Ltd "
        )
        #expect(
            (first.invoiceID, first.contractID, first.amount, first.title) == (
                "inv-1", "k-1", money(60_000), "Star Tech Ltd"
            )
        )
        contract.apply(first)
        contract.apply(
            try ReceivableDecisions.requestInvoice(
                contract,
                invoiceID: "inv-2",
                amount: money(40_000),
                title: "Star Tech"
            )
        )
        #expect(contract.invoiced == 100_000)
        #expect(contract.invoices == ["inv-1": false, "inv-2": false])
        let error = #expect(throws: DomainError.self) {
            try ReceivableDecisions.requestInvoice(contract, invoiceID: "inv-3", amount: money(1), title: "Star Tech")
        }
        #expect(error?.code == .invoiceExceedsContract)
        #expect(error?.facts == ["invoiced": "100000", "requested": "1", "amount": "100000"])
    }

    @Test("an invoice needs a title, a positive amount in the contract's currency and a binding contract")
    func requestInvoiceRefusals() {
        let title = #expect(throws: DomainError.self) {
            try ReceivableDecisions.requestInvoice(drafted(), invoiceID: "inv-1", amount: money(100), title: "  ")
        }
        #expect(title?.code == .fieldRequired)
        #expect(title?.facts == ["field": "title"])
        let zero = #expect(throws: DomainError.self) {
            try ReceivableDecisions.requestInvoice(drafted(), invoiceID: "inv-1", amount: money(0), title: "Star Tech")
        }
        #expect(zero?.code == .invalidValue)
        #expect(zero?.facts == ["field": "amount"])
        let currency = #expect(throws: DomainError.self) {
            try ReceivableDecisions.requestInvoice(
                drafted(),
                invoiceID: "inv-1",
                amount: money(100, "EUR"),
                title: "Star Tech"
            )
        }
        #expect(currency?.code == .currencyMismatch)
        let pending = #expect(throws: DomainError.self) {
            try ReceivableDecisions.requestInvoice(
                drafted(chain: [.finance]),
                invoiceID: "inv-1",
                amount: money(100),
                title: "Star Tech"
            )
        }
        #expect(pending?.code == .contractNotBinding)
    }

    @Test("finance issues a requested invoice once, under a trimmed number")
    func issueInvoice() throws {
        var contract = drafted()
        contract.apply(
            try ReceivableDecisions.requestInvoice(contract, invoiceID: "inv-1", amount: money(100), title: "Star Tech")
        )
        let event = try ReceivableDecisions.issueInvoice(contract, invoiceID: "inv-1", number: " 0012345 ")
        #expect((event.invoiceID, event.contractID, event.invoiceNumber) == ("inv-1", "k-1", "0012345"))
        let blank = #expect(throws: DomainError.self) {
            try ReceivableDecisions.issueInvoice(contract, invoiceID: "inv-1", number: "")
        }
        #expect(blank?.code == .fieldRequired)
        #expect(blank?.facts == ["field": "invoice_number"])
        contract.apply(event)
        #expect(contract.invoices == ["inv-1": true])
        let again = #expect(throws: DomainError.self) {
            try ReceivableDecisions.issueInvoice(contract, invoiceID: "inv-1", number: "0012346")
        }
        #expect(again?.code == .invoiceAlreadyIssued)
        #expect(again?.facts == ["invoice": "inv-1"])
        let unknown = #expect(throws: DomainError.self) {
            try ReceivableDecisions.issueInvoice(contract, invoiceID: "inv-9", number: "1")
        }
        #expect(unknown?.code == .invoiceNotFound)
        #expect(unknown?.facts == ["invoice": "inv-9"])
    }

    // MARK: - Refunds

    @Test("a refund is requested with its reason and whether goods come back")
    func requestRefund() throws {
        let event = try ReceivableDecisions.requestRefund(
            collecting(60_000),
            refundID: "r-1",
            amount: money(10_000),
            reason: " broken on arrival ",
            returnGoods: true
        )
        #expect((event.refundID, event.contractID, event.amount) == ("r-1", "k-1", money(10_000)))
        #expect((event.reason, event.returnGoods) == ("broken on arrival", true))
    }

    @Test("refunds not rejected never pass what was collected: refund_exceeds_collected with the figures")
    func refundExceedsCollected() throws {
        let contract = try refund(collecting(60_000), amount: 40_000)
        #expect(contract.refundsCommitted == 40_000)
        let error = #expect(throws: DomainError.self) {
            try ReceivableDecisions.requestRefund(
                contract,
                refundID: "r-2",
                amount: money(20_001),
                reason: "more",
                returnGoods: false
            )
        }
        #expect(error?.code == .refundExceedsCollected)
        #expect(error?.facts == ["collected": "60000", "committed": "40000", "requested": "20001"])
        #expect(try refund(contract, "r-2", amount: 20_000).refundsCommitted == 60_000)
        let nothingCollected = #expect(throws: DomainError.self) {
            try ReceivableDecisions.requestRefund(
                scheduling(drafted(), [(30, 100)]),
                refundID: "r-1",
                amount: money(1),
                reason: "why",
                returnGoods: false
            )
        }
        #expect(nothingCollected?.code == .refundExceedsCollected)
        #expect(nothingCollected?.facts == ["collected": "0", "committed": "0", "requested": "1"])
    }

    @Test("a rejected refund frees its amount; an approved or paid one keeps it")
    func rejectedRefundFreesAmount() throws {
        let rejected = try refund(collecting(60_000), amount: 60_000) {
            $0.apply(
                try ReceivableDecisions.rejectRefund(
                    $0,
                    refundID: "r-1",
                    by: self.finance,
                    owner: self.owner,
                    reason: "not faulty"
                )
            )
        }
        #expect(rejected.refundsCommitted == 0)
        #expect(try refund(rejected, "r-2", amount: 60_000).refundsCommitted == 60_000)
        let paid = try refund(collecting(60_000), amount: 60_000) {
            try self.approve(&$0)
            $0.apply(try ReceivableDecisions.payRefund($0, refundID: "r-1", method: .bankTransfer))
        }
        let error = #expect(throws: DomainError.self) {
            try ReceivableDecisions.requestRefund(
                paid,
                refundID: "r-2",
                amount: money(1),
                reason: "again",
                returnGoods: false
            )
        }
        #expect(error?.code == .refundExceedsCollected)
    }

    @Test("a refund request needs a reason, a positive amount and a binding contract")
    func requestRefundRefusals() throws {
        let contract = try collecting(60_000)
        let reason = #expect(throws: DomainError.self) {
            try ReceivableDecisions.requestRefund(
                contract,
                refundID: "r-1",
                amount: money(1),
                reason: "\n",
                returnGoods: false
            )
        }
        #expect(reason?.code == .reasonRequired)
        #expect(reason?.facts == ["field": "reason"])
        let zero = #expect(throws: DomainError.self) {
            try ReceivableDecisions.requestRefund(
                contract,
                refundID: "r-1",
                amount: money(0),
                reason: "x",
                returnGoods: false
            )
        }
        #expect(zero?.code == .invalidValue)
        let pending = #expect(throws: DomainError.self) {
            try ReceivableDecisions.requestRefund(
                drafted(chain: [.admin]),
                refundID: "r-1",
                amount: money(1),
                reason: "x",
                returnGoods: false
            )
        }
        #expect(pending?.code == .contractNotBinding)
    }

    @Test("a refund judged against someone other than the contract's owner is refused as invalid_value on owner")
    func refundWrongOwner() throws {
        let contract = try refund(collecting(60_000), amount: 1_000)
        let error = #expect(throws: DomainError.self) {
            try ReceivableDecisions.approveRefund(contract, refundID: "r-1", by: manager, owner: user("rep-2"))
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "owner"])
    }

    @Test("finance, an admin or the owner's manager approves or rejects a refund")
    func refundApprovers() throws {
        let contract = try refund(collecting(60_000), amount: 1_000)
        for approver in [finance, admin, manager] {
            let approved = try ReceivableDecisions.approveRefund(contract, refundID: "r-1", by: approver, owner: owner)
            #expect((approved.refundID, approved.contractID, approved.approverID) == ("r-1", "k-1", approver.userID))
            let rejected = try ReceivableDecisions.rejectRefund(
                contract,
                refundID: "r-1",
                by: approver,
                owner: owner,
                reason: " no "
            )
            #expect(
                (rejected.refundID, rejected.contractID, rejected.approverID, rejected.reason) == (
                    "r-1", "k-1", approver.userID, "no"
                )
            )
        }
    }

    @Test(
        "a rep, an auditor, another team's manager or the owner is not a refund approver",
        arguments: [
            "rep-2", "auditor-1", "manager-2", "rep-1",
        ]
    )
    func refundNotApprover(_ approverID: String) throws {
        let approvers = [
            user("rep-2"), user("auditor-1", role: .auditor, team: ""),
            user("manager-2", role: .manager, team: "team-2"), owner,
        ]
        let approver = try #require(approvers.first { $0.userID == approverID })
        let contract = try refund(collecting(60_000), amount: 1_000)
        let approving = #expect(throws: DomainError.self) {
            try ReceivableDecisions.approveRefund(contract, refundID: "r-1", by: approver, owner: owner)
        }
        #expect(approving?.code == .notApprover)
        #expect(approving?.facts == ["refund": "r-1"])
        let rejecting = #expect(throws: DomainError.self) {
            try ReceivableDecisions.rejectRefund(contract, refundID: "r-1", by: approver, owner: owner, reason: "no")
        }
        #expect(rejecting?.code == .notApprover)
    }

    @Test("a manager who owns the contract cannot approve its refund, though they manage themselves")
    func owningManagerNotRefundApprover() throws {
        let owningManager = user("manager-1", role: .manager)
        let contract = try refund(collecting(60_000, owner: "manager-1"), amount: 1_000)
        let error = #expect(throws: DomainError.self) {
            try ReceivableDecisions.approveRefund(contract, refundID: "r-1", by: owningManager, owner: owningManager)
        }
        #expect(error?.code == .notApprover)
        #expect(error?.facts == ["refund": "r-1"])
        #expect(
            try ReceivableDecisions.approveRefund(
                contract,
                refundID: "r-1",
                by: user("manager-4", role: .manager),
                owner: owningManager
            ).approverID == "manager-4"
        )
    }

    @Test("an unknown, approved or rejected refund takes no approval or rejection; a deactivated approver none either")
    func refundDecisionRefusals() throws {
        let requested = try refund(collecting(60_000), amount: 1_000)
        let unknown = #expect(throws: DomainError.self) {
            try ReceivableDecisions.approveRefund(requested, refundID: "r-9", by: finance, owner: owner)
        }
        #expect(unknown?.code == .refundNotFound)
        #expect(unknown?.facts == ["refund": "r-9"])
        var approved = requested
        try approve(&approved)
        var rejected = requested
        rejected.apply(
            try ReceivableDecisions.rejectRefund(rejected, refundID: "r-1", by: finance, owner: owner, reason: "no")
        )
        for state in [approved, rejected] {
            let approving = #expect(throws: DomainError.self) {
                try ReceivableDecisions.approveRefund(state, refundID: "r-1", by: admin, owner: owner)
            }
            #expect(approving?.code == .refundNotReady)
            #expect(approving?.facts == ["refund": "r-1"])
            let rejecting = #expect(throws: DomainError.self) {
                try ReceivableDecisions.rejectRefund(state, refundID: "r-1", by: admin, owner: owner, reason: "no")
            }
            #expect(rejecting?.code == .refundNotReady)
        }
        let inactive = #expect(throws: DomainError.self) {
            try ReceivableDecisions.approveRefund(
                requested,
                refundID: "r-1",
                by: user("finance-2", role: .finance, active: false),
                owner: owner
            )
        }
        #expect(inactive?.code == .userInactive)
        let noReason = #expect(throws: DomainError.self) {
            try ReceivableDecisions.rejectRefund(requested, refundID: "r-1", by: finance, owner: owner, reason: " ")
        }
        #expect(noReason?.code == .reasonRequired)
        #expect(noReason?.facts == ["field": "reason"])
    }

    @Test("goods come back only for an approved refund that asked for them, once")
    func returnedGoods() throws {
        let asked = try refund(collecting(60_000), amount: 1_000, returnGoods: true)
        let notApproved = #expect(throws: DomainError.self) {
            try ReceivableDecisions.receiveReturnedGoods(asked, refundID: "r-1")
        }
        #expect(notApproved?.code == .refundNotReady)
        #expect(notApproved?.facts == ["refund": "r-1"])
        var approved = asked
        try approve(&approved)
        let event = try ReceivableDecisions.receiveReturnedGoods(approved, refundID: "r-1")
        #expect((event.refundID, event.contractID) == ("r-1", "k-1"))
        approved.apply(event)
        let twice = #expect(throws: DomainError.self) {
            try ReceivableDecisions.receiveReturnedGoods(approved, refundID: "r-1")
        }
        #expect(twice?.code == .refundNotReady)

        let moneyOnly = try refund(collecting(60_000), amount: 1_000, returnGoods: false) { try self.approve(&$0) }
        let noGoods = #expect(throws: DomainError.self) {
            try ReceivableDecisions.receiveReturnedGoods(moneyOnly, refundID: "r-1")
        }
        #expect(noGoods?.code == .refundNotReady)
        let unknown = #expect(throws: DomainError.self) {
            try ReceivableDecisions.receiveReturnedGoods(moneyOnly, refundID: "r-2")
        }
        #expect(unknown?.code == .refundNotFound)
        #expect(unknown?.facts == ["refund": "r-2"])
    }

    @Test("a refund is paid once it is approved and, if it asked for them, the goods are back; never twice")
    func payRefund() throws {
        var asked = try refund(collecting(60_000), amount: 1_500, returnGoods: true)
        let notApproved = #expect(throws: DomainError.self) {
            try ReceivableDecisions.payRefund(asked, refundID: "r-1", method: .alipay)
        }
        #expect(notApproved?.code == .refundNotReady)
        #expect(notApproved?.facts == ["refund": "r-1"])
        try approve(&asked)
        let goodsNotBack = #expect(throws: DomainError.self) {
            try ReceivableDecisions.payRefund(asked, refundID: "r-1", method: .alipay)
        }
        #expect(goodsNotBack?.code == .refundNotReady)
        asked.apply(try ReceivableDecisions.receiveReturnedGoods(asked, refundID: "r-1"))
        let noMethod = #expect(throws: DomainError.self) {
            try ReceivableDecisions.payRefund(asked, refundID: "r-1", method: .unspecified)
        }
        #expect(noMethod?.code == .invalidValue)
        #expect(noMethod?.facts == ["field": "method"])
        let event = try ReceivableDecisions.payRefund(asked, refundID: "r-1", method: .alipay)
        #expect((event.refundID, event.contractID, event.amount, event.method) == ("r-1", "k-1", money(1_500), .alipay))
        asked.apply(event)
        let twice = #expect(throws: DomainError.self) {
            try ReceivableDecisions.payRefund(asked, refundID: "r-1", method: .alipay)
        }
        #expect(twice?.code == .refundNotReady)

        let moneyOnly = try refund(collecting(60_000), amount: 700) { try self.approve(&$0) }
        #expect(try ReceivableDecisions.payRefund(moneyOnly, refundID: "r-1", method: .cash).amount == money(700))
        let rejected = try refund(collecting(60_000), amount: 700) {
            $0.apply(
                try ReceivableDecisions.rejectRefund(
                    $0,
                    refundID: "r-1",
                    by: self.admin,
                    owner: self.owner,
                    reason: "no"
                )
            )
        }
        let payingRejected = #expect(throws: DomainError.self) {
            try ReceivableDecisions.payRefund(rejected, refundID: "r-1", method: .cash)
        }
        #expect(payingRejected?.code == .refundNotReady)
    }
}
