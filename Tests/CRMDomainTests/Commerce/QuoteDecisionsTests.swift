import CRMDomain
import CRMSchema
import Foundation
import PropertyBased
import SwiftProtobuf
import Testing

@Suite("Quote decisions")
struct QuoteDecisionsTests {
    let context = try! CommandContext(actor: "rep-7", occurredAt: businessDay(), now: businessDay())
    /// A week after the quote is made: 2026-03-09 02:00 UTC.
    let validUntil = businessDay(7)

    private func lines() throws(DomainError) -> [CRMPricedLine] {
        [
            try pricedLine(listed("prod-1", name: "Widget", price: 333), quantity: 3, discount: 1500),
            try pricedLine(listed("prod-2", name: "Gadget", price: 500), quantity: 2),
        ]
    }

    /// A quote for `c-1`, owned by `rep-7`, folded through `events` after its creation.
    private func quote(_ events: (inout QuoteState) throws -> Void = { _ in }) throws -> QuoteState {
        var state = QuoteState(quoteID: "q-1")
        state.apply(
            try QuoteDecisions.create(
                id: "q-1",
                customer: customer("c-1", owner: "rep-7"),
                opportunityID: "o-1",
                lines: lines(),
                validUntil: validUntil,
                context: context
            )
        )
        try events(&state)
        return state
    }

    // MARK: - Creating

    @Test("a quote names the customer, its owner, the opportunity, the lines, the totals and the validity")
    func create() throws {
        let event = try QuoteDecisions.create(
            id: "q-1",
            customer: customer("c-1", owner: "rep-7"),
            opportunityID: "o-1",
            lines: lines(),
            validUntil: validUntil,
            context: context
        )
        #expect(event.quoteID == "q-1")
        #expect(event.customerID == "c-1")
        #expect(event.ownerID == "rep-7", "the owner is the customer's owner")
        #expect(event.opportunityID == "o-1")
        #expect(event.lines == (try lines()))
        #expect(event.listTotal == money(1_999))
        #expect(event.total == money(1_849))
        #expect(event.validUntil.date == validUntil)
        var state = QuoteState(quoteID: "q-1")
        state.apply(event)
        #expect(state.status == .open)
        #expect(state.created == event)
    }

    @Test("the owner on the quote is the customer's owner, whoever makes it")
    func ownerIsCustomerOwner() throws {
        let managerContext = try CommandContext(actor: "manager-1", occurredAt: businessDay(), now: businessDay())
        let event = try QuoteDecisions.create(
            id: "q-2",
            customer: customer("c-1", owner: "rep-3"),
            opportunityID: "",
            lines: lines(),
            validUntil: validUntil,
            context: managerContext
        )
        #expect(event.ownerID == "rep-3")
        #expect(event.opportunityID == "")
    }

    @Test("a customer in the pool gets no quote: customer_in_pool")
    func createForPoolCustomer() {
        let error = #expect(throws: DomainError.self) {
            try QuoteDecisions.create(
                id: "q-1",
                customer: customer("c-1", owner: nil),
                opportunityID: "o-1",
                lines: lines(),
                validUntil: validUntil,
                context: context
            )
        }
        #expect(error?.code == .customerInPool)
        #expect(error?.facts == ["customer": "c-1"])
    }

    @Test("a customer never created gets no quote: customer_not_found")
    func createForMissingCustomer() {
        let error = #expect(throws: DomainError.self) {
            try QuoteDecisions.create(
                id: "q-1",
                customer: CustomerState(customerID: "c-404"),
                opportunityID: "o-1",
                lines: lines(),
                validUntil: validUntil,
                context: context
            )
        }
        #expect(error?.code == .customerNotFound)
        #expect(error?.facts == ["customer": "c-404"])
    }

    @Test(
        "a validity that ends when the quote is made, or before, is refused on valid_until",
        arguments: [0.0, -1.0, -30.0]
    )
    func createWithoutValidity(days: Double) {
        let error = #expect(throws: DomainError.self) {
            try QuoteDecisions.create(
                id: "q-1",
                customer: customer("c-1", owner: "rep-7"),
                opportunityID: "o-1",
                lines: lines(),
                validUntil: businessDay(days),
                context: context
            )
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "valid_until"])
    }

    @Test("a quote needs lines, all in one currency")
    func createLines() throws {
        let none = #expect(throws: DomainError.self) {
            try QuoteDecisions.create(
                id: "q-1",
                customer: customer("c-1", owner: "rep-7"),
                opportunityID: "o-1",
                lines: [],
                validUntil: validUntil,
                context: context
            )
        }
        #expect(none?.code == .fieldRequired)
        #expect(none?.facts == ["field": "lines"])
        let mixed = [try pricedLine(listed("prod-1")), try pricedLine(listed("prod-2", currency: "USD"))]
        let error = #expect(throws: DomainError.self) {
            try QuoteDecisions.create(
                id: "q-1",
                customer: customer("c-1", owner: "rep-7"),
                opportunityID: "o-1",
                lines: mixed,
                validUntil: validUntil,
                context: context
            )
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": "lines"])
    }

    // MARK: - Accepting and rejecting

    @Test("an open quote is accepted up to the last second of its validity")
    func accept() throws {
        for time in [businessDay(1), validUntil] {
            let at = try CommandContext(actor: "rep-7", occurredAt: time, now: time)
            let event = try QuoteDecisions.accept(quote(), context: at)
            #expect(event.quoteID == "q-1")
            var state = try quote()
            state.apply(event)
            #expect(state.status == .accepted)
        }
    }

    @Test("the last instant of a validity survives the quote's timestamp, to the microsecond")
    func acceptAtLastMicrosecond() async {
        let micros = Gen.int64(in: 1_772_416_800_000_001...1_900_000_000_000_000)
        await propertyCheck(count: 300, input: micros) { micros in
            let until = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
            var state = QuoteState(quoteID: "q-1")
            state.apply(
                try QuoteDecisions.create(
                    id: "q-1",
                    customer: customer("c-1", owner: "rep-7"),
                    opportunityID: "",
                    lines: lines(),
                    validUntil: until,
                    context: context
                )
            )
            let at = try CommandContext(actor: "rep-7", occurredAt: until, now: until)
            #expect(throws: Never.self) { try QuoteDecisions.accept(state, context: at) }
        }
    }

    @Test("accepting after the validity is refused as quote_expired, with validUntil")
    func acceptExpired() throws {
        let late = validUntil.addingTimeInterval(1)
        let at = try CommandContext(actor: "rep-7", occurredAt: late, now: late)
        let open = try quote()
        let error = #expect(throws: DomainError.self) { try QuoteDecisions.accept(open, context: at) }
        #expect(error?.code == .quoteExpired)
        #expect(error?.facts == ["validUntil": "2026-03-09T02:00:00Z"])
    }

    @Test("an accepted or rejected quote takes no decision: quote_closed with the status")
    func closed() throws {
        let accepted = try quote { $0.apply(try QuoteDecisions.accept($0, context: context)) }
        let rejected = try quote { $0.apply(try QuoteDecisions.reject($0, reason: "too dear")) }
        for (state, status) in [(accepted, "accepted"), (rejected, "rejected")] {
            let accepting = #expect(throws: DomainError.self) { try QuoteDecisions.accept(state, context: context) }
            #expect(accepting?.code == .quoteClosed)
            #expect(accepting?.facts == ["status": status])
            let rejecting = #expect(throws: DomainError.self) {
                try QuoteDecisions.reject(state, reason: "changed mind")
            }
            #expect(rejecting?.code == .quoteClosed)
            #expect(rejecting?.facts == ["status": status])
        }
    }

    @Test("a quote never created is refused as quote_not_found")
    func absent() {
        let ghost = QuoteState(quoteID: "q-404")
        let accepting = #expect(throws: DomainError.self) { try QuoteDecisions.accept(ghost, context: context) }
        #expect(accepting?.code == .quoteNotFound)
        #expect(accepting?.facts == ["quote": "q-404"])
        let rejecting = #expect(throws: DomainError.self) { try QuoteDecisions.reject(ghost, reason: "no") }
        #expect(rejecting?.code == .quoteNotFound)
        #expect(rejecting?.facts == ["quote": "q-404"])
    }

    @Test("an open quote is rejected with the trimmed reason")
    func reject() throws {
        let event = try QuoteDecisions.reject(quote(), reason: "  budget cut \n")
        #expect((event.quoteID, event.reason) == ("q-1", "budget cut"))
        var state = try quote()
        state.apply(event)
        #expect(state.status == .rejected)
    }

    @Test("a rejection without a reason is refused as reason_required")
    func rejectWithoutReason() throws {
        let open = try quote()
        let error = #expect(throws: DomainError.self) { try QuoteDecisions.reject(open, reason: " \n\t") }
        #expect(error?.code == .reasonRequired)
        #expect(error?.facts == ["field": "reason"])
    }
}
