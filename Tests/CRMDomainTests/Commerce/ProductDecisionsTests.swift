import CRMDomain
import CRMSchema
import Testing

@Suite("Product decisions")
struct ProductDecisionsTests {
    // MARK: - Adding

    @Test("a product is added with its SKU trimmed and upper-cased, its name and unit trimmed")
    func add() throws {
        let event = try ProductDecisions.add(
            id: "prod-9",
            sku: "  ab-12 x\n",
            name: " Widget Pro ",
            price: money(12_000),
            cost: money(8_000),
            unit: " box "
        )
        #expect(event.productID == "prod-9")
        #expect(event.sku == "AB-12 X")
        #expect(event.name == "Widget Pro")
        #expect(event.unit == "box")
        #expect(event.price == money(12_000))
        #expect(event.cost == money(8_000))
        var state = ProductState(productID: "prod-9")
        state.apply(event)
        #expect(state.exists)
        #expect(
            (state.sku, state.name, state.price, state.cost) == ("AB-12 X", "Widget Pro", money(12_000), money(8_000))
        )
    }

    @Test("a free product at cost zero is a valid product")
    func addFree() throws {
        let event = try ProductDecisions.add(
            id: "prod-0",
            sku: "free",
            name: "Sample",
            price: money(0),
            cost: money(0),
            unit: ""
        )
        #expect((event.sku, event.price, event.cost, event.unit) == ("FREE", money(0), money(0), ""))
    }

    @Test(
        "a blank SKU or name is refused as field_required naming the field",
        arguments: [
            (" \t", "Widget", "sku"), ("sku-1", " \n ", "name"), ("", "", "sku"),
        ]
    )
    func addBlank(sku: String, name: String, field: String) {
        let error = #expect(throws: DomainError.self) {
            try ProductDecisions.add(
                id: "prod-1",
                sku: sku,
                name: name,
                price: money(100),
                cost: money(50),
                unit: "piece"
            )
        }
        #expect(error?.code == .fieldRequired)
        #expect(error?.facts == ["field": field])
    }

    @Test(
        "a negative amount or a currency that is not three capital letters is refused as invalid_value",
        arguments: [
            (money(-1), money(0), "price"), (money(100, "cny"), money(50, "cny"), "price"),
            (money(100, "CN"), money(50, "CN"), "price"),
            (money(100, ""), money(50, ""), "price"), (money(100, "CNYY"), money(50, "CNYY"), "price"),
            (money(100, "C1Y"), money(50, "C1Y"), "price"), (money(100), money(-1), "cost"),
            (money(100), money(50, "RMB "), "cost"),
        ]
    )
    func addInvalidMoney(price: CRMMoney, cost: CRMMoney, field: String) {
        let error = #expect(throws: DomainError.self) {
            try ProductDecisions.add(
                id: "prod-1",
                sku: "SKU-1",
                name: "Widget",
                price: price,
                cost: cost,
                unit: "piece"
            )
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": field])
    }

    @Test("a cost in another currency than the price is refused as invalid_value on the cost")
    func addCostCurrency() {
        let error = #expect(throws: DomainError.self) {
            try ProductDecisions.add(
                id: "prod-1",
                sku: "SKU-1",
                name: "Widget",
                price: money(100),
                cost: money(50, "USD"),
                unit: ""
            )
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "cost"])
    }

    // MARK: - Prices

    @Test("a new price or a new cost alone is a price change naming both")
    func changePrice() throws {
        let widget = listed("prod-1", price: 10_000, cost: 6_000)
        let both = try ProductDecisions.changePrice(widget, price: money(12_000), cost: money(7_000))
        #expect((both.productID, both.price, both.cost) == ("prod-1", money(12_000), money(7_000)))
        let costOnly = try ProductDecisions.changePrice(widget, price: money(10_000), cost: money(5_500))
        #expect((costOnly.price, costOnly.cost) == (money(10_000), money(5_500)))
        var state = widget
        state.apply(both)
        #expect((state.price, state.cost) == (money(12_000), money(7_000)))
        #expect((state.sku, state.name) == (widget.sku, widget.name), "a price change keeps the SKU and name")
    }

    @Test("changing to the same price and cost is refused as no_change")
    func changePriceNoChange() {
        let error = #expect(throws: DomainError.self) {
            try ProductDecisions.changePrice(
                listed("prod-1", price: 10_000, cost: 6_000),
                price: money(10_000),
                cost: money(6_000)
            )
        }
        #expect(error?.code == .noChange)
        #expect(error?.facts == [:])
    }

    @Test("changing the price of a product never added is refused as product_not_found")
    func changePriceUnknown() {
        let error = #expect(throws: DomainError.self) {
            try ProductDecisions.changePrice(ProductState(productID: "ghost"), price: money(1), cost: money(1))
        }
        #expect(error?.code == .productNotFound)
        #expect(error?.facts == ["product": "ghost"])
    }

    @Test("a new price must be valid and in the currency of the new cost")
    func changePriceInvalid() {
        let widget = listed("prod-1", price: 10_000)
        let negative = #expect(throws: DomainError.self) {
            try ProductDecisions.changePrice(widget, price: money(-5), cost: money(0))
        }
        #expect(negative?.code == .invalidValue)
        #expect(negative?.facts == ["field": "price"])
        let mixed = #expect(throws: DomainError.self) {
            try ProductDecisions.changePrice(widget, price: money(100, "EUR"), cost: money(50))
        }
        #expect(mixed?.code == .invalidValue)
        #expect(mixed?.facts == ["field": "cost"])
    }
}
