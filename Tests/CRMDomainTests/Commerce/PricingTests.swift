import CRMDomain
import CRMSchema
import Foundation
import Testing

@Suite("Pricing")
struct PricingTests {
    // MARK: - Lines

    /// quantity × unit price × (10000 − discount) / 10000, rounded half up, worked out by hand.
    static let lines: [(quantity: Int32, unitPrice: Int64, discount: Int32, total: Int64)] = [
        (3, 333, 1500, 849),  // 999 × 0.85 = 849.15
        (1, 1, 5000, 1),  // 0.5 rounds up
        (1, 1, 5001, 0),  // 0.4999
        (1, 15, 3000, 11),  // 10.5
        (1, 5, 9000, 1),  // 0.5
        (1, 3, 1666, 3),  // 2.5002
        (1, 3, 1667, 2),  // 2.4999
        (1, 99, 5050, 49),  // 49.005
        (7, 1999, 0, 13_993),
        (2, 12_345, 10_000, 0),
        (1_000_000, 100, 1, 99_990_000),
        (1, 0, 2500, 0),
    ]

    @Test("a line costs quantity × unit price less the discount, rounded half up", arguments: lines)
    func lineTotal(_ line: (quantity: Int32, unitPrice: Int64, discount: Int32, total: Int64)) throws {
        let widget = listed("prod-7", name: "Widget", price: line.unitPrice, currency: "EUR")
        let priced = try Pricing.price(
            .init(productID: "prod-7", quantity: line.quantity, discountBasisPoints: line.discount), of: widget)
        #expect(priced.lineTotal == money(line.total, "EUR"))
        #expect(priced.productID == "prod-7")
        #expect(priced.productName == "Widget")
        #expect(priced.quantity == line.quantity)
        #expect(priced.unitPrice == money(line.unitPrice, "EUR"))
        #expect(priced.discountBasisPoints == line.discount)
    }

    @Test(
        "a line holds 1 to 1,000,000 units; other quantities are refused on the field quantity",
        arguments: [
            Int32(0), -1, 1_000_001, .min, .max,
        ])
    func quantityOutOfRange(_ quantity: Int32) {
        let error = #expect(throws: DomainError.self) { try pricedLine(listed(), quantity: quantity) }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "quantity"])
    }

    @Test("the least and the most units, and no discount or all of it, are accepted")
    func bounds() throws {
        #expect(try pricedLine(listed(price: 7), quantity: 1).lineTotal == money(7))
        #expect(try pricedLine(listed(price: 7), quantity: Pricing.maxQuantity).lineTotal == money(7_000_000))
        #expect(try pricedLine(listed(price: 7), discount: 0).lineTotal == money(7))
        #expect(try pricedLine(listed(price: 7), discount: 10_000).lineTotal == money(0))
    }

    @Test(
        "a discount outside 0-10000 basis points is refused on the field discount",
        arguments: [Int32(-1), 10_001, .min, .max])
    func discountOutOfRange(_ discount: Int32) {
        let error = #expect(throws: DomainError.self) { try pricedLine(listed(), discount: discount) }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "discount"])
    }

    @Test("pricing a product never added is refused as product_not_found")
    func unknownProduct() {
        let error = #expect(throws: DomainError.self) {
            try Pricing.price(.init(productID: "ghost", quantity: 1), of: ProductState(productID: "ghost"))
        }
        #expect(error?.code == .productNotFound)
        #expect(error?.facts == ["product": "ghost"])
    }

    @Test(
        "a line too large for 64 bits is refused as invalid_value, not a crash",
        arguments: [
            (Int64.max, Int32(1), Int32(0)),  // price × 10000
            (Int64.max / 2 + 1, 2, 0),  // quantity × price
            (Int64.max, 1, 9_999),  // the half added to round
            (Int64.max / 10_000 + 1, 1, 0),
        ])
    func overflow(price: Int64, quantity: Int32, discount: Int32) {
        let error = #expect(throws: DomainError.self) {
            try pricedLine(listed(price: price), quantity: quantity, discount: discount)
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "amount"])
    }

    @Test("the largest line that fits is priced exactly")
    func largestLine() throws {
        #expect(try pricedLine(listed(price: Int64.max / 10_000)).lineTotal == money(922_337_203_685_477))
    }

    // MARK: - Totals

    @Test("totals add list prices and line totals; the overall discount is in basis points rounded down")
    func totals() throws {
        let lines = [
            try pricedLine(listed("prod-1", price: 333), quantity: 3, discount: 1500),  // 849 of 999
            try pricedLine(listed("prod-2", price: 500), quantity: 2),  // 1000 of 1000
        ]
        let totals = try Pricing.totals(lines)
        #expect(totals.listTotal == money(1_999))
        #expect(totals.total == money(1_849))
        #expect(totals.discountBasisPoints == 750, "150 / 1999 = 7.5037%")
    }

    @Test(
        "the overall discount rounds down, and rounding can give the whole discount back",
        arguments: [
            (Int64(3), Int32(3333), Int32(3333)),  // 3 less 33.33% is 2.0001 → 2; 1/3 off = 3333.33 bp
            (3, 1666, 0),  // 2.5002 → 3: nothing off after rounding
            (3, 1667, 3333),  // 2.4999 → 2
            (10_000, 1, 1),
            (10_000, 10_000, 10_000),
            (0, 5000, 0),  // a free product: no division by zero
        ])
    func overallDiscount(price: Int64, discount: Int32, expected: Int32) throws {
        #expect(try oneLineTotals(price: price, discount: discount).discountBasisPoints == expected)
    }

    @Test("totals of no lines are refused as field_required on lines")
    func noLines() {
        let error = #expect(throws: DomainError.self) { try Pricing.totals([]) }
        #expect(error?.code == .fieldRequired)
        #expect(error?.facts == ["field": "lines"])
    }

    @Test("lines in different currencies are refused as invalid_value on lines")
    func mixedCurrencies() throws {
        let lines = [
            try pricedLine(listed("prod-1", currency: "CNY")), try pricedLine(listed("prod-2", currency: "USD")),
        ]
        let error = #expect(throws: DomainError.self) { try Pricing.totals(lines) }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "lines"])
    }

    @Test("a list total too large for 64 bits is refused as invalid_value on amount")
    func totalsOverflow() throws {
        let free = try pricedLine(listed(price: Int64.max), discount: 10_000)
        #expect(free.lineTotal == money(0))
        let error = #expect(throws: DomainError.self) { try Pricing.totals([free, free]) }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "amount"])
    }

    @Test("totals whose overall discount is too large to compute are refused as invalid_value, not a crash")
    func discountOverflow() throws {
        // 10¹⁶ at 95% off prices to 5 × 10¹⁴, but (list − total) × 10⁴ = 9.5 × 10¹⁹ passes Int64.
        let line = try pricedLine(listed(price: 10_000_000_000_000_000), discount: 9_500)
        #expect(line.lineTotal == money(500_000_000_000_000))
        let error = #expect(throws: DomainError.self) { try Pricing.totals([line]) }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "amount"])
    }
}
