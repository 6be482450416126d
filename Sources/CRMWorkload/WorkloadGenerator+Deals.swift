import CRMDomain
import CRMSchema
import EventStore
import Foundation
import SwiftProtobuf

/// Order to cash: a quote accepted, a contract approved, instalments paid (some late, some in
/// part), invoices, a few refunds, goods shipped from stock and bought in when short.
extension WorkloadGenerator {
    /// The opportunity reached its decision and the customer says yes: quote, contract, approvals.
    func closeDeal(_ opportunityID: String) async throws {
        let opportunity = opportunities[opportunityID]!
        guard let customer = customers[opportunity.customerID], let owner = customer.owner else {
            return try await lose(opportunity, reason: "customer went back to the pool")
        }
        var requests: [Pricing.LineRequest] = []
        for productID in Set((0..<random.int(1...3)).map { _ in random.pick(productIDs) }).sorted() {
            let discount = random.chance(0.25) ? random.int(1_600...2_500) : random.int(0...1_200)
            requests.append(
                .init(productID: productID, quantity: Int32(random.int(1...20)), discountBasisPoints: Int32(discount))
            )
        }
        let lines = requests.compactMap { request in
            decided { try Pricing.price(request, of: products[request.productID]!) }
        }
        let quoteID = random.id(at: now)
        guard
            let quote = decided({
                try QuoteDecisions.create(
                    id: quoteID,
                    customer: customer,
                    opportunityID: opportunityID,
                    lines: lines,
                    validUntil: later(days: 30),
                    context: context(owner)
                )
            })
        else { return }
        try await commit(try stream("quote", quoteID), quote, actor: owner)
        tick()
        if random.chance(0.1) {
            try await commit(
                try stream("quote", quoteID),
                try QuoteDecisions.reject(quotes[quoteID]!, reason: "price too high"),
                actor: owner
            )
            return try await lose(opportunity, reason: "quote rejected")
        }
        try await commit(
            try stream("quote", quoteID),
            try QuoteDecisions.accept(quotes[quoteID]!, context: context(owner)),
            actor: owner
        )
        let contractID = random.id(at: now)
        guard
            let drafted = decided({
                try ContractDecisions.draft(
                    id: contractID,
                    customer: customer,
                    opportunityID: opportunityID,
                    quote: quotes[quoteID],
                    lines: [],
                    policy: policy
                )
            })
        else { return }
        let contractStream = try stream("contract", contractID)
        try await commit(
            [(contractStream, [drafted])],
            actor: owner,
            reserving: [("contract-of-quote:\(quoteID)", contractStream)]
        )
        summary.contracts += 1
        if drafted.approvalChain.isEmpty {
            try await contractBound(contractID)
        } else {
            schedule(.approveContract(contractID), inBusinessDays: 1)
        }
    }

    /// The next approver decides: mostly yes, sometimes no (and the deal is lost).
    func approveStep(of contractID: String) async throws {
        let contract = contracts[contractID]!
        guard let step = contract.pendingStep, let owner = users[contract.drafted.ownerID] else { return }
        let role = contract.drafted.approvalChain[step]
        let approverID = role == .manager ? managerOfTeam[owner.teamID] ?? admin : random.pick(financeClerks)
        guard let approver = users[approverID] else { return }
        if random.chance(0.06) {
            guard
                let rejected = decided({
                    try ContractDecisions.reject(contract, by: approver, owner: owner, comment: "discount too deep")
                })
            else { return }
            try await commit(try stream("contract", contractID), rejected, actor: approverID)
            if let opportunity = opportunities[contract.drafted.opportunityID] {
                try await lose(opportunity, reason: "contract not approved")
            }
            return
        }
        guard
            let approved = decided({
                try ContractDecisions.approve(contract, by: approver, owner: owner, comment: "ok")
            })
        else { return }
        try await commit(try stream("contract", contractID), approved, actor: approverID)
        if approved.binding {
            try await contractBound(contractID)
        } else {
            schedule(.approveContract(contractID), inBusinessDays: 1)
        }
    }

    /// A binding contract: the opportunity is won, the plan set, goods to ship, maybe service.
    private func contractBound(_ contractID: String) async throws {
        let contract = contracts[contractID]!
        let owner = contract.drafted.ownerID
        if let opportunity = opportunities[contract.drafted.opportunityID],
            let won = decided({
                try OpportunityDecisions.win(opportunity, reason: "contract signed", amount: contract.drafted.amount)
            })
        {
            try await commit(try stream("opportunity", opportunity.opportunityID), won, actor: owner)
        }
        let count = random.int(1...3)
        var remaining = contract.amount
        var instalments: [ReceivableDecisions.NewInstalment] = []
        for index in 0..<count {
            let share = index == count - 1 ? remaining : contract.amount / Int64(count)
            remaining -= share
            instalments.append(
                .init(
                    dueAt: later(days: Double(30 * (index + 1))),
                    amount: CRMMoney(minorUnits: share, currency: contract.currency)
                )
            )
        }
        guard contract.amount > 0, let scheduled = decided({ try ReceivableDecisions.schedule(contract, instalments) })
        else { return }
        try await commit(try stream("contract", contractID), scheduled, actor: owner)
        for instalment in scheduled.instalments {
            let due = Int(instalment.dueAt.date.timeIntervalSince(now) / 86_400) * 5 / 7
            schedule(
                .collectInstalment(contract: contractID, instalment: instalment.number),
                inBusinessDays: max(1, due + random.int(-5...15))
            )
        }
        if contract.drafted.lines.contains(where: { goods.contains($0.productID) }) {
            schedule(.ship(contractID), inBusinessDays: random.int(2...8))
        }
        if random.chance(0.08) { try await openWorkOrder(for: contract) }
    }

    /// The customer pays an instalment: mostly in full, sometimes in part or with a little extra.
    func collect(_ contractID: String, instalment number: Int32) async throws {
        let contract = contracts[contractID]!
        guard random.chance(0.97), let instalment = contract.instalments.first(where: { $0.number == number }) else {
            return
        }
        let outstanding = instalment.amount.minorUnits - contract.allocated[number, default: 0]
        guard outstanding > 0 else { return }
        let amount = random.chance(0.1) ? outstanding / 2 : random.chance(0.03) ? outstanding + 500_00 : outstanding
        let clerk = random.pick(financeClerks)
        guard
            let payment = decided({
                try ReceivableDecisions.receivePayment(
                    contract,
                    paymentID: random.id(at: now),
                    amount: CRMMoney(minorUnits: max(1, amount), currency: contract.currency),
                    method: random.pick([.bankTransfer, .bankTransfer, .alipay, .wechatPay, .cheque]),
                    clerkID: clerk,
                    commissionRateBasisPoints: commissionRate
                )
            })
        else { return }
        try await commit(
            [(try stream("contract", contractID), [payment.received] + (payment.commission.map { [$0] } ?? []))],
            actor: clerk
        )
        summary.payments += 1
        if amount < outstanding {
            schedule(.collectInstalment(contract: contractID, instalment: number), inBusinessDays: random.int(5...20))
        }
        if contract.invoices.isEmpty {
            let invoiceID = random.id(at: now)
            if let requested = decided({
                try ReceivableDecisions.requestInvoice(
                    contracts[contractID]!,
                    invoiceID: invoiceID,
                    amount: contract.drafted.amount,
                    title: customers[contract.drafted.customerID]?.profile.name ?? "customer"
                )
            }) {
                try await commit(try stream("contract", contractID), requested, actor: contract.drafted.ownerID)
                schedule(.issueInvoice(contract: contractID, invoice: invoiceID), inBusinessDays: random.int(1...3))
            }
        }
        if random.chance(0.03) {
            let refundID = random.id(at: now)
            let refundAmount = CRMMoney(minorUnits: max(1, min(amount, outstanding) / 10), currency: contract.currency)
            if let request = decided({
                try ReceivableDecisions.requestRefund(
                    contracts[contractID]!,
                    refundID: refundID,
                    amount: refundAmount,
                    reason: "part of the order returned",
                    returnGoods: random.chance(0.5)
                )
            }) {
                try await commit(try stream("contract", contractID), request, actor: contract.drafted.ownerID)
                schedule(.refundStep(contract: contractID, refund: refundID), inBusinessDays: random.int(1...4))
            }
        }
    }

    func issueInvoice(_ invoiceID: String, of contractID: String) async throws {
        let clerk = random.pick(financeClerks)
        guard
            let issued = decided({
                try ReceivableDecisions.issueInvoice(
                    contracts[contractID]!,
                    invoiceID: invoiceID,
                    number: String(format: "%010d", random.int(1...999_999_999))
                )
            })
        else { return }
        try await commit(try stream("contract", contractID), issued, actor: clerk)
    }

    /// A refund's next step: approval, the goods coming back, the money going out.
    func refundStep(_ refundID: String, of contractID: String) async throws {
        let contract = contracts[contractID]!
        guard let refund = contract.refunds[refundID], let owner = users[contract.drafted.ownerID] else { return }
        let clerk = random.pick(financeClerks)
        let event: (any SwiftProtobuf.Message)?
        if !refund.approved, random.chance(0.15) {
            event = decided {
                try ReceivableDecisions.rejectRefund(
                    contract,
                    refundID: refundID,
                    by: users[clerk]!,
                    owner: owner,
                    reason: "outside the return window"
                )
            }
            if let event { try await commit(try stream("contract", contractID), event, actor: clerk) }
            return
        } else if !refund.approved {
            event = decided {
                try ReceivableDecisions.approveRefund(contract, refundID: refundID, by: users[clerk]!, owner: owner)
            }
        } else if refund.request.returnGoods, !refund.goodsReceived {
            event = decided { try ReceivableDecisions.receiveReturnedGoods(contract, refundID: refundID) }
        } else {
            event = decided { try ReceivableDecisions.payRefund(contract, refundID: refundID, method: .bankTransfer) }
        }
        guard let event else { return }
        try await commit(try stream("contract", contractID), event, actor: clerk)
        if !(event is CRMRefundPaid) {
            schedule(.refundStep(contract: contractID, refund: refundID), inBusinessDays: random.int(1...5))
        }
    }

    // MARK: - Goods

    /// Ships what the contract still owes from stock; whatever is short is bought in first.
    func ship(_ contractID: String) async throws {
        let contract = contracts[contractID]!
        let owed = contract.ordered.filter { goods.contains($0.key) }.compactMap {
            productID,
            ordered -> InventoryDecisions.Units? in
            let remaining = ordered - (contract.shipped[productID] ?? 0)
            return remaining > 0 ? InventoryDecisions.Units(productID: productID, quantity: Int32(remaining)) : nil
        }.sorted { $0.productID < $1.productID }
        guard !owed.isEmpty else { return }
        let short = owed.filter { (stock[$0.productID]?.onHand ?? 0) < Int64($0.quantity) }
        if !short.isEmpty {
            try await buy(short)
            schedule(.ship(contractID), inBusinessDays: random.int(8...15))
            return
        }
        let shipmentID = random.id(at: now)
        guard
            let (shipment, changes) = decided({
                try InventoryDecisions.ship(id: shipmentID, contract, owed, stock: stock)
            })
        else { return }
        let parts: [(StreamName, [any SwiftProtobuf.Message])] =
            [(try stream("contract", contractID), [shipment])]
            + (try changes.map { (try stream("stock", $0.productID), [$0]) })
        try await commit(parts, actor: "warehouse")
    }

    /// Orders what is short, with some to spare, from a supplier.
    private func buy(_ short: [InventoryDecisions.Units]) async throws {
        guard let supplierID = suppliers.keys.sorted().randomElement(using: &random) else { return }
        let orderID = random.id(at: now)
        let lines = short.map { (product: products[$0.productID]!, quantity: $0.quantity + Int32(random.int(5...30))) }
        guard
            let ordered = decided({
                try InventoryDecisions.order(id: orderID, from: suppliers[supplierID]!, lines: lines)
            })
        else { return }
        try await commit(try stream("purchase", orderID), ordered, actor: "buyer")
        schedule(.receiveGoods(orderID), inBusinessDays: random.int(3...7))
    }

    func receiveGoods(_ orderID: String) async throws {
        let order = purchaseOrders[orderID]!
        let units = order.ordered.map {
            InventoryDecisions.Units(productID: $0.key, quantity: Int32($0.value - (order.received[$0.key] ?? 0)))
        }
        .filter { $0.quantity > 0 }.sorted { $0.productID < $1.productID }
        guard let (receipt, changes) = decided({ try InventoryDecisions.receive(order, units, stock: stock) }) else {
            return
        }
        try await commit(
            [(try stream("purchase", orderID), [receipt])]
                + (try changes.map { (try stream("stock", $0.productID), [$0]) }),
            actor: "warehouse"
        )
        let supplierID = order.supplierID
        let total = units.reduce(Int64(0)) { $0 + Int64($1.quantity) * (products[$1.productID]?.cost.minorUnits ?? 0) }
        let billID = random.id(at: now)
        if let bill = decided({
            try InventoryDecisions.receiveBill(
                id: billID,
                from: suppliers[supplierID]!,
                purchaseOrderID: orderID,
                amount: CRMMoney(minorUnits: total, currency: "CNY"),
                dueAt: later(days: 30)
            )
        }) {
            try await commit(try stream("supplier", supplierID), bill, actor: random.pick(financeClerks))
            schedule(.paySupplier(supplier: supplierID, bill: billID), inBusinessDays: random.int(15...25))
        }
    }

    func paySupplier(_ supplierID: String, bill billID: String) async throws {
        guard let supplier = suppliers[supplierID], let bill = supplier.bills[billID] else { return }
        let amount = CRMMoney(minorUnits: bill.amount.minorUnits - bill.paid, currency: bill.amount.currency)
        guard
            let paid = decided({
                try InventoryDecisions.paySupplier(supplier, billID: billID, amount: amount, method: .bankTransfer)
            })
        else { return }
        try await commit(try stream("supplier", supplierID), paid, actor: random.pick(financeClerks))
    }
}
