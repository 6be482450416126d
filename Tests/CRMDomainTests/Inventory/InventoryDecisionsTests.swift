import CRMDomain
import CRMSchema
import Foundation
import SwiftProtobuf
import Testing

@Suite("Inventory and payables decisions")
struct InventoryDecisionsTests {
    /// 2026-04-01T02:00:00Z, when bills fall due.
    let dueAt = Date(timeIntervalSince1970: 1_775_008_800)

    // MARK: - Fixtures

    private typealias S = Stockroom

    /// `order` after `units` arrive.
    private func receiving(
        _ order: PurchaseOrderState,
        _ units: [InventoryDecisions.Units]
    ) throws
        -> PurchaseOrderState
    {
        var order = order
        order.apply(try InventoryDecisions.receive(order, units, stock: [:]).receipt)
        return order
    }

    /// `contract` after shipment `id` of `units`, shipped from ample stock.
    private func shipping(
        _ contract: ContractState,
        _ units: [InventoryDecisions.Units],
        id: String
    ) throws
        -> ContractState
    {
        var contract = contract
        let stock = S.stock(Dictionary(units.map { ($0.productID, Int32(1_000)) }, uniquingKeysWith: { $1 }))
        contract.apply(try InventoryDecisions.ship(id: id, contract, units, stock: stock).shipment)
        return contract
    }

    /// `supplier` after paying `amounts` (CNY) on `billID`.
    private func paying(
        _ supplier: SupplierState,
        _ amounts: [Int64],
        on billID: String = "bill-1"
    ) throws
        -> SupplierState
    {
        var supplier = supplier
        for amount in amounts {
            supplier.apply(
                try InventoryDecisions.paySupplier(
                    supplier,
                    billID: billID,
                    amount: S.cash(amount),
                    method: .bankTransfer
                )
            )
        }
        return supplier
    }

    // MARK: - Suppliers and purchase orders

    @Test("a supplier is added with its trimmed name and contact, and folds as existing")
    func addSupplier() throws {
        let event = try InventoryDecisions.addSupplier(id: "sup-1", name: "  Acme Parts ", contact: "li@acme.example")
        #expect((event.supplierID, event.name, event.contact) == ("sup-1", "Acme Parts", "li@acme.example"))
        var state = SupplierState(supplierID: "sup-1")
        state.apply(event)
        #expect(state.exists)
        #expect(state.bills.isEmpty)
        let blank = #expect(throws: DomainError.self) {
            try InventoryDecisions.addSupplier(id: "sup-1", name: " ", contact: "")
        }
        #expect(blank?.code == .fieldRequired)
        #expect(blank?.facts == ["field": "name"])
    }

    @Test("a purchase order lists each product at its cost and totals quantity × cost")
    func order() throws {
        let widget = try S.product("p-1", cost: 400)
        let gadget = try S.product("p-2", cost: 1_250)
        let event = try InventoryDecisions.order(id: "po-1", from: S.supplier(), lines: [(widget, 3), (gadget, 2)])
        #expect(event.purchaseOrderID == "po-1")
        #expect(event.supplierID == "sup-1")
        #expect(event.lines == [S.line("p-1", 3, unitCost: S.cash(400)), S.line("p-2", 2, unitCost: S.cash(1_250))])
        #expect(event.total == S.cash(3 * 400 + 2 * 1_250))
    }

    @Test("the largest quantity on a line is accepted; a purchase order folds the units of each product, across lines")
    func orderFolds() throws {
        let widget = try S.product("p-1", cost: 7)
        let gadget = try S.product("p-2", cost: 3)
        let event = try InventoryDecisions.order(
            id: "po-1",
            from: S.supplier(),
            lines: [(widget, 1_000_000), (gadget, 2), (widget, 5)]
        )
        #expect(event.lines.map(\.quantity) == [1_000_000, 2, 5])
        #expect(event.total == S.cash(1_000_005 * 7 + 2 * 3))
        var state = PurchaseOrderState(purchaseOrderID: "po-1")
        state.apply(event)
        #expect(state.exists)
        #expect(state.supplierID == "sup-1")
        #expect(state.ordered == ["p-1": 1_000_005, "p-2": 2])
        #expect(state.received.isEmpty)
    }

    @Test("ordering from a supplier or a product that does not exist, or without lines, is refused")
    func orderRefusals() throws {
        let widget = try S.product("p-1")
        let noSupplier = #expect(throws: DomainError.self) {
            try InventoryDecisions.order(id: "po-1", from: SupplierState(supplierID: "sup-9"), lines: [(widget, 1)])
        }
        #expect(noSupplier?.code == .supplierNotFound)
        #expect(noSupplier?.facts == ["supplier": "sup-9"])
        let noProduct = #expect(throws: DomainError.self) {
            try InventoryDecisions.order(
                id: "po-1",
                from: S.supplier(),
                lines: [(widget, 1), (ProductState(productID: "p-9"), 1)]
            )
        }
        #expect(noProduct?.code == .productNotFound)
        #expect(noProduct?.facts == ["product": "p-9"])
        let noLines = #expect(throws: DomainError.self) {
            try InventoryDecisions.order(id: "po-1", from: S.supplier(), lines: [])
        }
        #expect(noLines?.code == .fieldRequired)
        #expect(noLines?.facts == ["field": "lines"])
    }

    @Test(
        "a purchase order line of no units, fewer, or more than 1,000,000 is refused",
        arguments: [Int32(0), -1, 1_000_001, .max]
    )
    func orderQuantityRefused(quantity: Int32) throws {
        let widget = try S.product("p-1")
        let error = #expect(throws: DomainError.self) {
            try InventoryDecisions.order(id: "po-1", from: S.supplier(), lines: [(widget, 2), (widget, quantity)])
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "quantity"])
    }

    @Test("a purchase order whose lines cost in different currencies, or whose total overflows, is refused")
    func orderCurrencyAndOverflow() throws {
        let widget = try S.product("p-1")
        let imported = try S.product("p-2", currency: "USD")
        let mixed = #expect(throws: DomainError.self) {
            try InventoryDecisions.order(id: "po-1", from: S.supplier(), lines: [(widget, 1), (imported, 1)])
        }
        #expect(mixed?.code == .invalidValue)
        #expect(mixed?.facts == ["field": "lines"])
        let dear = try S.product("p-3", price: 10_000_000_000_000, cost: 10_000_000_000_000)
        let overflow = #expect(throws: DomainError.self) {
            try InventoryDecisions.order(id: "po-1", from: S.supplier(), lines: [(dear, 1_000_000)])
        }
        #expect(overflow?.code == .invalidValue)
        #expect(overflow?.facts == ["field": "amount"])
    }

    // MARK: - Receipts

    @Test("goods received add to stock; each stock change names the purchase order")
    func receive() throws {
        let order = try S.purchaseOrder("po-1", [("p-1", 10), ("p-2", 5)])
        let result = try InventoryDecisions.receive(
            order,
            [S.units("p-1", 4), S.units("p-2", 5)],
            stock: S.stock(["p-1": 3])
        )
        #expect(result.receipt.purchaseOrderID == "po-1")
        #expect(result.receipt.lines == [S.line("p-1", 4), S.line("p-2", 5)])
        #expect(
            result.changes == [
                S.change("p-1", delta: 4, onHand: 7, purchaseOrderID: "po-1"),
                S.change("p-2", delta: 5, onHand: 5, purchaseOrderID: "po-1"),
            ]
        )
        var folded = order
        folded.apply(result.receipt)
        #expect(folded.received == ["p-1": 4, "p-2": 5])
        var stock = StockState(productID: "p-1")
        stock.apply(result.changes[0])
        #expect(stock.onHand == 7)
    }

    @Test("lines of the same product arrive merged into one line and one stock change, in first-mentioned order")
    func receiveMerges() throws {
        let order = try S.purchaseOrder("po-1", [("p-1", 10), ("p-2", 10)])
        let result = try InventoryDecisions.receive(
            order,
            [S.units("p-2", 2), S.units("p-1", 1), S.units("p-2", 3)],
            stock: S.stock(["p-2": 1])
        )
        #expect(result.receipt.lines == [S.line("p-2", 5), S.line("p-1", 1)])
        #expect(
            result.changes == [
                S.change("p-2", delta: 5, onHand: 6, purchaseOrderID: "po-1"),
                S.change("p-1", delta: 1, onHand: 1, purchaseOrderID: "po-1"),
            ]
        )
    }

    @Test("receiving more than was ordered is refused with the product, ordered, received and arriving")
    func receiveExceedsOrder() throws {
        let order = try S.purchaseOrder("po-1", [("p-1", 10), ("p-2", 5)])
        let once = #expect(throws: DomainError.self) {
            try InventoryDecisions.receive(order, [S.units("p-2", 5), S.units("p-1", 11)], stock: [:])
        }
        #expect(once?.code == .receiptExceedsOrder)
        #expect(once?.facts == ["product": "p-1", "ordered": "10", "received": "0", "arriving": "11"])
        let merged = #expect(throws: DomainError.self) {
            try InventoryDecisions.receive(order, [S.units("p-1", 6), S.units("p-1", 5)], stock: [:])
        }
        #expect(merged?.code == .receiptExceedsOrder)
        #expect(merged?.facts == ["product": "p-1", "ordered": "10", "received": "0", "arriving": "11"])
        let notOrdered = #expect(throws: DomainError.self) {
            try InventoryDecisions.receive(order, [S.units("p-3", 1)], stock: [:])
        }
        #expect(notOrdered?.code == .receiptExceedsOrder)
        #expect(notOrdered?.facts == ["product": "p-3", "ordered": "0", "received": "0", "arriving": "1"])
    }

    @Test("a second receipt may bring the rest of the order, never more")
    func receiveAcrossReceipts() throws {
        let order = try receiving(try S.purchaseOrder("po-1", [("p-1", 10)]), [S.units("p-1", 6)])
        #expect(order.received == ["p-1": 6])
        let error = #expect(throws: DomainError.self) {
            try InventoryDecisions.receive(order, [S.units("p-1", 5)], stock: [:])
        }
        #expect(error?.code == .receiptExceedsOrder)
        #expect(error?.facts == ["product": "p-1", "ordered": "10", "received": "6", "arriving": "5"])
        let rest = try receiving(order, [S.units("p-1", 4)])
        #expect(rest.received == ["p-1": 10])
        let more = #expect(throws: DomainError.self) {
            try InventoryDecisions.receive(rest, [S.units("p-1", 1)], stock: [:])
        }
        #expect(more?.facts == ["product": "p-1", "ordered": "10", "received": "10", "arriving": "1"])
    }

    @Test("a receipt for a purchase order that does not exist, without lines, or with a bad quantity is refused")
    func receiveRefusals() throws {
        let unknown = #expect(throws: DomainError.self) {
            try InventoryDecisions.receive(PurchaseOrderState(purchaseOrderID: "po-9"), [S.units("p-1", 1)], stock: [:])
        }
        #expect(unknown?.code == .purchaseOrderNotFound)
        #expect(unknown?.facts == ["purchase_order": "po-9"])
        let order = try S.purchaseOrder("po-1", [("p-1", 10)])
        let empty = #expect(throws: DomainError.self) { try InventoryDecisions.receive(order, [], stock: [:]) }
        #expect(empty?.code == .fieldRequired)
        #expect(empty?.facts == ["field": "lines"])
        for quantity: Int32 in [0, -3, 1_000_001] {
            let bad = #expect(throws: DomainError.self) {
                try InventoryDecisions.receive(order, [S.units("p-1", quantity)], stock: [:])
            }
            #expect(bad?.code == .invalidValue)
            #expect(bad?.facts == ["field": "quantity"])
        }
        let tooMany = #expect(throws: DomainError.self) {
            try InventoryDecisions.receive(order, [S.units("p-1", 1_000_000), S.units("p-1", 1)], stock: [:])
        }
        #expect(tooMany?.code == .invalidValue)
        #expect(tooMany?.facts == ["field": "quantity"])
    }

    // MARK: - Shipments

    @Test("a shipment takes goods out of stock for the contract's customer; each stock change names the shipment")
    func ship() throws {
        let contract = try S.bindingContract("k-1", [("p-1", 10), ("p-2", 4)])
        #expect(contract.status == .binding)
        #expect(contract.ordered == ["p-1": 10, "p-2": 4])
        let result = try InventoryDecisions.ship(
            id: "sh-1",
            contract,
            [S.units("p-2", 1), S.units("p-1", 3), S.units("p-2", 3)],
            stock: S.stock(["p-1": 5, "p-2": 4])
        )
        #expect(result.shipment.shipmentID == "sh-1")
        #expect(result.shipment.contractID == "k-1")
        #expect(result.shipment.customerID == "c-1")
        #expect(result.shipment.lines == [S.line("p-2", 4), S.line("p-1", 3)])
        #expect(
            result.changes == [
                S.change("p-2", delta: -4, onHand: 0, shipmentID: "sh-1"),
                S.change("p-1", delta: -3, onHand: 2, shipmentID: "sh-1"),
            ]
        )
        var folded = contract
        folded.apply(result.shipment)
        #expect(folded.shipped == ["p-1": 3, "p-2": 4])
    }

    @Test("only a binding contract ships: one waiting for approval, rejected or never drafted is refused")
    func shipNeedsBindingContract() throws {
        let pending = try S.pendingContract("k-1", [("p-1", 10)])
        let stock = S.stock(["p-1": 10])
        let waiting = #expect(throws: DomainError.self) {
            try InventoryDecisions.ship(id: "sh-1", pending, [S.units("p-1", 1)], stock: stock)
        }
        #expect(waiting?.code == .contractNotBinding)
        #expect(waiting?.facts == ["status": "pendingApproval"])
        var rejected = pending
        var rejection = CRMContractRejected()
        (rejection.contractID, rejection.step, rejection.approverID, rejection.comment) = (
            "k-1", 0, "manager-1", "too cheap"
        )
        rejected.apply(rejection)
        let refused = #expect(throws: DomainError.self) {
            try InventoryDecisions.ship(id: "sh-1", rejected, [S.units("p-1", 1)], stock: stock)
        }
        #expect(refused?.code == .contractNotBinding)
        #expect(refused?.facts == ["status": "rejected"])
        let unknown = #expect(throws: DomainError.self) {
            try InventoryDecisions.ship(id: "sh-1", ContractState(contractID: "k-9"), [S.units("p-1", 1)], stock: stock)
        }
        #expect(unknown?.code == .contractNotFound)
        #expect(unknown?.facts == ["contract": "k-9"])
    }

    @Test("shipping more than the contract ordered is refused with the product, ordered, shipped and shipping")
    func shipExceedsContract() throws {
        let contract = try S.bindingContract("k-1", [("p-1", 10)])
        let stock = S.stock(["p-1": 100, "p-3": 100])
        let once = #expect(throws: DomainError.self) {
            try InventoryDecisions.ship(id: "sh-1", contract, [S.units("p-1", 11)], stock: stock)
        }
        #expect(once?.code == .shipmentExceedsContract)
        #expect(once?.facts == ["product": "p-1", "ordered": "10", "shipped": "0", "shipping": "11"])
        let notOrdered = #expect(throws: DomainError.self) {
            try InventoryDecisions.ship(id: "sh-1", contract, [S.units("p-3", 1)], stock: stock)
        }
        #expect(notOrdered?.code == .shipmentExceedsContract)
        #expect(notOrdered?.facts == ["product": "p-3", "ordered": "0", "shipped": "0", "shipping": "1"])
    }

    @Test("a second shipment may bring the rest of the contract, never more")
    func shipAcrossShipments() throws {
        let contract = try shipping(try S.bindingContract("k-1", [("p-1", 10)]), [S.units("p-1", 7)], id: "sh-1")
        #expect(contract.shipped == ["p-1": 7])
        let stock = S.stock(["p-1": 100])
        let error = #expect(throws: DomainError.self) {
            try InventoryDecisions.ship(id: "sh-2", contract, [S.units("p-1", 4)], stock: stock)
        }
        #expect(error?.code == .shipmentExceedsContract)
        #expect(error?.facts == ["product": "p-1", "ordered": "10", "shipped": "7", "shipping": "4"])
        let rest = try shipping(contract, [S.units("p-1", 3)], id: "sh-2")
        #expect(rest.shipped == ["p-1": 10])
    }

    @Test("shipping more than is in stock is refused with the product, on hand and shipping")
    func shipInsufficientStock() throws {
        let contract = try S.bindingContract("k-1", [("p-1", 10), ("p-2", 10)])
        let short = #expect(throws: DomainError.self) {
            try InventoryDecisions.ship(id: "sh-1", contract, [S.units("p-1", 3)], stock: S.stock(["p-1": 2]))
        }
        #expect(short?.code == .insufficientStock)
        #expect(short?.facts == ["product": "p-1", "onHand": "2", "shipping": "3"])
        let none = #expect(throws: DomainError.self) {
            try InventoryDecisions.ship(
                id: "sh-1",
                contract,
                [S.units("p-1", 1), S.units("p-2", 1)],
                stock: S.stock(["p-1": 1])
            )
        }
        #expect(none?.code == .insufficientStock)
        #expect(none?.facts == ["product": "p-2", "onHand": "0", "shipping": "1"])
        let exact = try InventoryDecisions.ship(id: "sh-1", contract, [S.units("p-1", 2)], stock: S.stock(["p-1": 2]))
        #expect(exact.changes == [S.change("p-1", delta: -2, onHand: 0, shipmentID: "sh-1")])
    }

    @Test("a shipment without lines or with a bad quantity is refused")
    func shipRefusals() throws {
        let contract = try S.bindingContract("k-1", [("p-1", 10)])
        let empty = #expect(throws: DomainError.self) {
            try InventoryDecisions.ship(id: "sh-1", contract, [], stock: [:])
        }
        #expect(empty?.code == .fieldRequired)
        #expect(empty?.facts == ["field": "lines"])
        let zero = #expect(throws: DomainError.self) {
            try InventoryDecisions.ship(id: "sh-1", contract, [S.units("p-1", 0)], stock: S.stock(["p-1": 5]))
        }
        #expect(zero?.code == .invalidValue)
        #expect(zero?.facts == ["field": "quantity"])
    }

    // MARK: - Bills and payments

    @Test("a supplier's bill is received with its amount, purchase order and due date, and folds unpaid")
    func receiveBill() throws {
        let event = try InventoryDecisions.receiveBill(
            id: "bill-1",
            from: S.supplier(),
            purchaseOrderID: "po-1",
            amount: S.cash(10_000),
            dueAt: dueAt
        )
        #expect((event.billID, event.supplierID, event.purchaseOrderID) == ("bill-1", "sup-1", "po-1"))
        #expect(event.amount == S.cash(10_000))
        #expect(event.dueAt.date == dueAt)
        var supplier = try S.supplier()
        supplier.apply(event)
        #expect(supplier.bills["bill-1"]?.amount == S.cash(10_000))
        #expect(supplier.bills["bill-1"]?.paid == 0)
    }

    @Test("a bill from a supplier that does not exist, or of no, negative or currency-less amount, is refused")
    func receiveBillRefusals() throws {
        let unknown = #expect(throws: DomainError.self) {
            try InventoryDecisions.receiveBill(
                id: "bill-1",
                from: SupplierState(supplierID: "sup-9"),
                purchaseOrderID: "",
                amount: S.cash(1),
                dueAt: dueAt
            )
        }
        #expect(unknown?.code == .supplierNotFound)
        #expect(unknown?.facts == ["supplier": "sup-9"])
        let supplier = try S.supplier()
        for amount in [S.cash(0), S.cash(-1), S.cash(100, "cny")] {
            let bad = #expect(throws: DomainError.self) {
                try InventoryDecisions.receiveBill(
                    id: "bill-1",
                    from: supplier,
                    purchaseOrderID: "",
                    amount: amount,
                    dueAt: dueAt
                )
            }
            #expect(bad?.code == .invalidValue)
            #expect(bad?.facts == ["field": "amount"])
        }
    }

    @Test("a payment on a bill names the bill, supplier, amount and method; payments fold up to the bill exactly")
    func paySupplier() throws {
        let supplier = try S.supplier(bills: [("bill-1", S.cash(10_000))])
        let event = try InventoryDecisions.paySupplier(
            supplier,
            billID: "bill-1",
            amount: S.cash(4_000),
            method: .alipay
        )
        #expect((event.billID, event.supplierID, event.method) == ("bill-1", "sup-1", .alipay))
        #expect(event.amount == S.cash(4_000))
        let paid = try paying(supplier, [4_000, 6_000])
        #expect(paid.bills["bill-1"]?.paid == 10_000)
    }

    @Test("a payment past the bill is refused with the bill's amount and what is paid, after partial payments")
    func payExceedsBill() throws {
        let supplier = try S.supplier(bills: [("bill-1", S.cash(10_000))])
        let first = #expect(throws: DomainError.self) {
            try InventoryDecisions.paySupplier(supplier, billID: "bill-1", amount: S.cash(10_001), method: .cash)
        }
        #expect(first?.code == .paymentExceedsBill)
        #expect(first?.facts == ["amount": "10000", "paid": "0"])
        let partly = try paying(supplier, [4_000, 3_000])
        #expect(partly.bills["bill-1"]?.paid == 7_000)
        let over = #expect(throws: DomainError.self) {
            try InventoryDecisions.paySupplier(partly, billID: "bill-1", amount: S.cash(3_001), method: .cash)
        }
        #expect(over?.code == .paymentExceedsBill)
        #expect(over?.facts == ["amount": "10000", "paid": "7000"])
        let full = try paying(partly, [3_000])
        let after = #expect(throws: DomainError.self) {
            try InventoryDecisions.paySupplier(full, billID: "bill-1", amount: S.cash(1), method: .cash)
        }
        #expect(after?.facts == ["amount": "10000", "paid": "10000"])
    }

    @Test("a payment above the maximum amount is refused as invalid_value; at the maximum, as payment_exceeds_bill")
    func payOverflow() throws {
        let unpaid = try S.supplier(bills: [("bill-1", S.cash(10_000))])
        let huge = #expect(throws: DomainError.self) {
            try InventoryDecisions.paySupplier(unpaid, billID: "bill-1", amount: S.cash(.max), method: .cash)
        }
        #expect(huge?.code == .invalidValue)
        #expect(huge?.facts == ["field": "amount"])
        var supplier = try Stockroom.supplier(bills: [("bill-1", Stockroom.cash(10_000))])
        supplier.apply(
            try InventoryDecisions.paySupplier(supplier, billID: "bill-1", amount: Stockroom.cash(4_000), method: .cash)
        )
        let afterPartial = #expect(throws: DomainError.self) {
            try InventoryDecisions.paySupplier(
                supplier,
                billID: "bill-1",
                amount: Stockroom.cash(CRMMoney.maxMinorUnits),
                method: .cash
            )
        }
        #expect(afterPartial?.code == .paymentExceedsBill)
        #expect(afterPartial?.facts == ["amount": "10000", "paid": "4000"])
    }

    @Test(
        "an amount above the maximum is refused as invalid_value naming the field",
        arguments: [CRMMoney.maxMinorUnits + 1, Int64.max]
    )
    func amountAboveMaximum(_ minorUnits: Int64) throws {
        let expense = #expect(throws: DomainError.self) {
            try InventoryDecisions.recordExpense(
                id: "exp-1",
                category: "travel",
                item: "flights",
                amount: S.cash(minorUnits),
                clerkID: "clerk",
                customerID: ""
            )
        }
        #expect(expense?.code == .invalidValue)
        #expect(expense?.facts == ["field": "amount"])
        let price = #expect(throws: DomainError.self) {
            try ProductDecisions.add(id: "p", sku: "P", name: "P", price: S.cash(minorUnits), cost: S.cash(1), unit: "")
        }
        #expect(price?.facts == ["field": "price"])
        #expect(
            try InventoryDecisions.recordExpense(
                id: "exp-2",
                category: "travel",
                item: "flights",
                amount: S.cash(CRMMoney.maxMinorUnits),
                clerkID: "clerk",
                customerID: ""
            ).amount.minorUnits == CRMMoney.maxMinorUnits
        )
    }

    @Test("a payment on an unknown bill or supplier, in another currency, of no amount, or without a method is refused")
    func payRefusals() throws {
        let supplier = try S.supplier(bills: [("bill-1", S.cash(10_000))])
        let noBill = #expect(throws: DomainError.self) {
            try InventoryDecisions.paySupplier(supplier, billID: "bill-9", amount: S.cash(1), method: .cash)
        }
        #expect(noBill?.code == .billNotFound)
        #expect(noBill?.facts == ["bill": "bill-9"])
        let noSupplier = #expect(throws: DomainError.self) {
            try InventoryDecisions.paySupplier(
                SupplierState(supplierID: "sup-9"),
                billID: "bill-1",
                amount: S.cash(1),
                method: .cash
            )
        }
        #expect(noSupplier?.code == .supplierNotFound)
        #expect(noSupplier?.facts == ["supplier": "sup-9"])
        let dollars = #expect(throws: DomainError.self) {
            try InventoryDecisions.paySupplier(supplier, billID: "bill-1", amount: S.cash(1, "USD"), method: .cash)
        }
        #expect(dollars?.code == .currencyMismatch)
        #expect(dollars?.facts == ["currency": "CNY"])
        let zero = #expect(throws: DomainError.self) {
            try InventoryDecisions.paySupplier(supplier, billID: "bill-1", amount: S.cash(0), method: .cash)
        }
        #expect(zero?.code == .invalidValue)
        #expect(zero?.facts == ["field": "amount"])
        let noMethod = #expect(throws: DomainError.self) {
            try InventoryDecisions.paySupplier(supplier, billID: "bill-1", amount: S.cash(1), method: .unspecified)
        }
        #expect(noMethod?.code == .invalidValue)
        #expect(noMethod?.facts == ["field": "method"])
    }

    // MARK: - Expenses

    @Test("an expense is recorded with its category trimmed and lowercased, its item trimmed, its clerk and customer")
    func recordExpense() throws {
        let event = try InventoryDecisions.recordExpense(
            id: "exp-1",
            category: "  Travel ",
            item: " Taxi to Star Tech ",
            amount: S.cash(8_800),
            clerkID: "fin-1",
            customerID: "c-1"
        )
        #expect(event.expenseID == "exp-1")
        #expect(event.category == "travel")
        #expect(event.item == "Taxi to Star Tech")
        #expect(event.amount == S.cash(8_800))
        #expect((event.clerkID, event.customerID) == ("fin-1", "c-1"))
    }

    @Test("an expense without a category or item, or of no or negative amount, is refused")
    func recordExpenseRefusals() {
        let noCategory = #expect(throws: DomainError.self) {
            try InventoryDecisions.recordExpense(
                id: "exp-1",
                category: " ",
                item: "Taxi",
                amount: S.cash(1),
                clerkID: "fin-1",
                customerID: ""
            )
        }
        #expect(noCategory?.code == .fieldRequired)
        #expect(noCategory?.facts == ["field": "category"])
        let noItem = #expect(throws: DomainError.self) {
            try InventoryDecisions.recordExpense(
                id: "exp-1",
                category: "travel",
                item: "\n",
                amount: S.cash(1),
                clerkID: "fin-1",
                customerID: ""
            )
        }
        #expect(noItem?.code == .fieldRequired)
        #expect(noItem?.facts == ["field": "item"])
        for amount in [S.cash(0), S.cash(-500)] {
            let bad = #expect(throws: DomainError.self) {
                try InventoryDecisions.recordExpense(
                    id: "exp-1",
                    category: "travel",
                    item: "Taxi",
                    amount: amount,
                    clerkID: "fin-1",
                    customerID: ""
                )
            }
            #expect(bad?.code == .invalidValue)
            #expect(bad?.facts == ["field": "amount"])
        }
    }
}
