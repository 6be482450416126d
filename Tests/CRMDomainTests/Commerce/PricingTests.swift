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
            .init(productID: "prod-7", quantity: line.quantity, discountBasisPoints: line.discount),
            of: widget
        )
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
        ]
    )
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
        arguments: [Int32(-1), 10_001, .min, .max]
    )
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
        "a product priced above the maximum (from the log) is refused on price, not a crash",
        arguments: [Int64.max, Int64.max / 2 + 1, CRMMoney.maxMinorUnits + 1]
    )
    func priceAboveMaximum(price: Int64) {
        let error = #expect(throws: DomainError.self) { try pricedLine(listed(price: price)) }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "price"])
    }

    @Test(
        "a line whose quantity × price passes the maximum or 64 bits is refused as invalid_value on amount",
        arguments: [
            (CRMMoney.maxMinorUnits, Int32(2), Int32(0)),  // 2 × 10^15
            (CRMMoney.maxMinorUnits / 1_000, 1_000_000, 0),  // 10^18: past the maximum
            (CRMMoney.maxMinorUnits / 10, 1_000_000, 9_999),  // 10^20: past 64 bits, whatever the discount
        ]
    )
    func overflow(price: Int64, quantity: Int32, discount: Int32) {
        let error = #expect(throws: DomainError.self) {
            try pricedLine(listed(price: price), quantity: quantity, discount: discount)
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "amount"])
    }

    @Test("a line at the maximum is priced exactly, with and without a discount")
    func largestLine() throws {
        #expect(try pricedLine(listed(price: CRMMoney.maxMinorUnits)).lineTotal == money(CRMMoney.maxMinorUnits))
        #expect(
            try pricedLine(listed(price: CRMMoney.maxMinorUnits - 1), discount: 1).lineTotal
                == money(999_899_999_999_999),
            "(10^15 − 1) × 0.9999 = 999,899,999,999,999.0001"
        )
        #expect(
            try pricedLine(listed(price: 1_000), quantity: 1_000_000, discount: 5_000).lineTotal == money(500_000_000)
        )
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
        ]
    )
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

    @Test("lines adding up past the maximum are refused as invalid_value on amount")
    func totalsAboveMaximum() throws {
        let line = try pricedLine(listed(price: CRMMoney.maxMinorUnits / 2 + 1))
        #expect(try Pricing.totals([line]).total == money(CRMMoney.maxMinorUnits / 2 + 1))
        let error = #expect(throws: DomainError.self) { try Pricing.totals([line, line]) }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "amount"])
    }

    @Test(
        "lines from the log (a quote's) that no pricing gives are refused as invalid_value, not a crash",
        arguments: [
            // quantity × unit price past 64 bits
            (Int32(1_000_000), Int64(10_000_000_000_000), Int64(0), "amount"),
            // a negative line total: (list − total) × 10000 / list would pass Int32
            (1, 1, -1_000_000_000_000, "line_total"),
            // more than quantity × unit price
            (2, 10, 21, "line_total"),
            (0, 10, 0, "quantity"),
            (1, Int64.max, 1, "unit_price"),
        ]
    )
    func inconsistentLines(quantity: Int32, unitPrice: Int64, lineTotal: Int64, field: String) {
        var line = CRMPricedLine()
        (line.productID, line.quantity, line.unitPrice) = ("prod-1", quantity, money(unitPrice))
        line.lineTotal = money(lineTotal)
        let error = #expect(throws: DomainError.self) { try Pricing.totals([line]) }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": field])
    }
}
