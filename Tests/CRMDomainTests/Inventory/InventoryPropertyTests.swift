import CRMDomain
import CRMSchema
import Foundation
import PropertyBased
import Testing

/// Rules about every history of goods and supplier payments: whatever arrives and leaves, in
/// any order and amount, stock is never negative and no document is overdrawn.
@Suite("Inventory invariants")
struct InventoryPropertyTests {
    /// One document line: which of the three products, and 1-50 units.
    typealias Line = (product: Int, quantity: Int32)
    /// A receipt on the purchase order, or a shipment on the contract, of its lines.
    typealias Step = (isShipment: Bool, lines: [Line])

    /// Units of each of the three products on the purchase order or the contract; 0 leaves
    /// the product off the document.
    static let sizes = Gen.int32(in: 0...100).array(of: 3)
    /// A line: one of the three products, 1-50 units.
    static let line = zip(Gen.int(in: 0...2), Gen.int32(in: 1...50))
    /// 1-40 receipts and shipments of 1-3 lines each.
    static let history = zip(Gen.bool, line.array(of: 1...3)).array(of: 1...40)
    /// A bill of 1-100,000.
    static let bill = Gen.int64(in: 1...100_000)
    /// 1-15 payments of 1-40,000 each.
    static let payments = Gen.int64(in: 1...40_000).array(of: 1...15)

    @Test(
        "stock never goes negative and is received − shipped; no document is overdrawn; exactly breaches are refused"
    )
    func stockAndDocumentsAgree() async {
        await propertyCheck(count: 300, input: Self.sizes, Self.sizes, Self.history) { ordered, contracted, history in
            var warehouse = try Warehouse(ordered: ordered, contracted: contracted)
            for (index, step) in history.enumerated() {
                warehouse.perform((step.0, step.1.map { (product: $0.0, quantity: $0.1) }), number: index)
            }
        }
    }

    @Test("accepted supplier payments never sum past the bill; a payment is refused exactly when it would")
    func paymentsWithinBill() async {
        await propertyCheck(count: 300, input: Self.bill, Self.payments) { amount, payments in
            let bills = [("bill-1", Stockroom.cash(amount)), ("bill-2", Stockroom.cash(1))]
            var supplier = try Stockroom.supplier(bills: bills)
            var paid: Int64 = 0
            for payment in payments {
                let wouldPass = paid + payment > amount
                do throws(DomainError) {
                    let event = try InventoryDecisions.paySupplier(
                        supplier,
                        billID: "bill-1",
                        amount: Stockroom.cash(payment),
                        method: .bankTransfer
                    )
                    #expect(!wouldPass, "accepted \(payment) over \(paid) of \(amount)")
                    supplier.apply(event)
                    paid += payment
                } catch {
                    #expect(wouldPass, "refused \(payment) over \(paid) of \(amount): \(error)")
                    #expect(error.code == .paymentExceedsBill)
                    #expect(error.facts == ["amount": String(amount), "paid": String(paid)])
                }
                #expect(supplier.bills["bill-1"]?.paid == paid)
                #expect(paid <= amount)
                #expect(supplier.bills["bill-2"]?.paid == 0, "a payment on bill-1 reached bill-2")
            }
        }
    }

    /// A purchase order, a binding contract and the stock of three products, changed only
    /// through the decisions, beside a plain tally of what should have happened.
    struct Warehouse {
        static let products = ["p-0", "p-1", "p-2"]

        var order: PurchaseOrderState
        var contract: ContractState
        var stock: [String: StockState]
        /// The tally: units on each document, and units received and shipped so far.
        let ordered: [String: Int64], contracted: [String: Int64]
        var received: [String: Int64] = [:], shipped: [String: Int64] = [:]

        /// The documents for `ordered` and `contracted` units of each product; a document of
        /// no units at all gets one unit of the first product, since it needs a line.
        init(ordered: [Int32], contracted: [Int32]) throws {
            func tally(_ sizes: [Int32]) -> [String: Int64] {
                var sizes = sizes
                if sizes.allSatisfy({ $0 == 0 }) { sizes[0] = 1 }
                return Dictionary(uniqueKeysWithValues: zip(Self.products, sizes.map(Int64.init)))
            }
            func lines(_ tally: [String: Int64]) -> [(String, Int32)] {
                Self.products.compactMap { tally[$0]! > 0 ? ($0, Int32(tally[$0]!)) : nil }
            }
            (self.ordered, self.contracted) = (tally(ordered), tally(contracted))
            order = try Stockroom.purchaseOrder("po-1", lines(self.ordered))
            contract = try Stockroom.bindingContract("k-1", lines(self.contracted))
            stock = Dictionary(uniqueKeysWithValues: Self.products.map { ($0, StockState(productID: $0)) })
        }

        func onHand(_ productID: String) -> Int64 { received[productID, default: 0] - shipped[productID, default: 0] }

        /// Tries the step's receipt or shipment, applies it when accepted, and checks the
        /// refusal, if any, is the one the tally predicts.
        mutating func perform(_ step: Step, number: Int) {
            let units = step.lines.map { Stockroom.units(Self.products[$0.product], $0.quantity) }
            var merged: [(productID: String, quantity: Int64)] = []
            for unit in units {
                if let index = merged.firstIndex(where: { $0.productID == unit.productID }) {
                    merged[index].quantity += Int64(unit.quantity)
                } else {
                    merged.append((unit.productID, Int64(unit.quantity)))
                }
            }
            // The first product, in first-mentioned order, that would break a rule names the refusal.
            let expected: DomainError.Code? = merged.compactMap { line -> DomainError.Code? in
                let (productID, quantity) = line
                if step.isShipment {
                    if shipped[productID, default: 0] + quantity > contracted[productID]! {
                        return .shipmentExceedsContract
                    }
                    if onHand(productID) < quantity { return .insufficientStock }
                    return nil
                }
                return received[productID, default: 0] + quantity > ordered[productID]! ? .receiptExceedsOrder : nil
            }.first
            let what =
                "\(step.isShipment ? "shipping" : "receiving") \(merged) with ordered \(ordered), "
                + "contracted \(contracted), received \(received), shipped \(shipped)"
            do throws(DomainError) {
                let changes: [CRMStockChanged]
                if step.isShipment {
                    let result = try InventoryDecisions.ship(id: "sh-\(number)", contract, units, stock: stock)
                    contract.apply(result.shipment)
                    changes = result.changes
                    #expect(result.changes.map { Int64($0.delta) } == merged.map { -$0.quantity })
                    for (productID, quantity) in merged { shipped[productID, default: 0] += quantity }
                } else {
                    let result = try InventoryDecisions.receive(order, units, stock: stock)
                    order.apply(result.receipt)
                    changes = result.changes
                    #expect(result.changes.map { Int64($0.delta) } == merged.map(\.quantity))
                    for (productID, quantity) in merged { received[productID, default: 0] += quantity }
                }
                #expect(expected == nil, "accepted \(what), expected \(expected.map { "\($0)" } ?? "")")
                #expect(changes.map(\.productID) == merged.map(\.productID))
                for change in changes { stock[change.productID]!.apply(change) }
            } catch {
                #expect(error.code == expected, "refused \(what): \(error)")
            }
            check()
        }

        func check() {
            for productID in Self.products {
                let onHand = stock[productID]!.onHand
                #expect(onHand >= 0, "\(productID) has \(onHand) in stock")
                #expect(
                    onHand == self.onHand(productID),
                    "\(productID): stock \(onHand), received \(received), shipped \(shipped)"
                )
                #expect(contract.shipped[productID, default: 0] == shipped[productID, default: 0])
                #expect(
                    contract.shipped[productID, default: 0] <= contracted[productID]!,
                    "\(productID) shipped past the contract"
                )
                #expect(order.received[productID, default: 0] == received[productID, default: 0])
                #expect(
                    order.received[productID, default: 0] <= ordered[productID]!,
                    "\(productID) received past the order"
                )
            }
        }
    }
}
