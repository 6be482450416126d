public import CRMSchema
public import Foundation
public import SwiftProtobuf

/// One quote, folded from its stream (`quote-<id>`).
public struct QuoteState: Sendable, Hashable {
    /// Where a quote is in its life.
    public enum Status: String, Sendable, Hashable {
        case absent, open, accepted, rejected
    }

    /// The quote's id.
    public var quoteID: String
    public var status = Status.absent
    /// The quote as created.
    public var created = CRMQuoteCreated()

    /// A quote not seen yet.
    public init(quoteID: String) {
        self.quoteID = quoteID
    }

    /// Folds one event of the quote's stream.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        switch event {
        case let quote as CRMQuoteCreated:
            (created, status) = (quote, .open)
        case is CRMQuoteAccepted:
            status = .accepted
        case is CRMQuoteRejected:
            status = .rejected
        default:
            break
        }
    }
}

/// Quotes: created for an owned customer from priced lines, then accepted or rejected.
public enum QuoteDecisions {
    /// A quote for `customer` over `lines` (priced by ``Pricing``), valid until `validUntil`.
    ///
    /// - Throws: `customer_not_found`; `customer_in_pool`; as ``Pricing/totals(_:)``;
    ///   `invalid_value` for a validity that ends before the quote is made.
    public static func create(
        id: String,
        customer: CustomerState,
        opportunityID: String,
        lines: [CRMPricedLine],
        validUntil: Date,
        context: CommandContext
    ) throws(DomainError) -> CRMQuoteCreated {
        try CustomerDecisions.requireExists(customer)
        guard let owner = customer.owner else {
            throw DomainError(
                .customerInPool,
                "customer \(customer.customerID) is in the public pool; claim it before quoting",
                facts: ["customer": customer.customerID]
            )
        }
        guard validUntil > context.occurredAt else {
            throw DomainError(
                .invalidValue,
                "a quote must be valid for some time after it is made",
                facts: ["field": "valid_until"]
            )
        }
        let totals = try Pricing.totals(lines)
        var event = CRMQuoteCreated()
        (event.quoteID, event.customerID, event.opportunityID, event.ownerID) = (
            id, customer.customerID, opportunityID, owner
        )
        (event.lines, event.listTotal, event.total) = (lines, totals.listTotal, totals.total)
        event.validUntil = Google_Protobuf_Timestamp(date: validUntil)
        return event
    }

    /// The customer accepts an open quote before it expires.
    ///
    /// - Throws: `quote_not_found`; `quote_closed`; `quote_expired` (with `validUntil`).
    public static func accept(_ quote: QuoteState, context: CommandContext) throws(DomainError) -> CRMQuoteAccepted {
        try requireOpen(quote)
        let validUntil = quote.created.validUntil.date
        guard context.occurredAt <= validUntil else {
            throw DomainError(
                .quoteExpired,
                "quote \(quote.quoteID) expired at \(validUntil.formatted(.iso8601))",
                facts: ["validUntil": validUntil.formatted(.iso8601)]
            )
        }
        var event = CRMQuoteAccepted()
        event.quoteID = quote.quoteID
        return event
    }

    /// The customer rejects an open quote, with the reason.
    ///
    /// - Throws: `quote_not_found`; `quote_closed`; `reason_required`.
    public static func reject(_ quote: QuoteState, reason: String) throws(DomainError) -> CRMQuoteRejected {
        try requireOpen(quote)
        var event = CRMQuoteRejected()
        (event.quoteID, event.reason) = (quote.quoteID, try required(reason, "reason", code: .reasonRequired))
        return event
    }

    private static func requireOpen(_ quote: QuoteState) throws(DomainError) {
        guard quote.status != .absent else {
            throw DomainError(.quoteNotFound, "no quote \(quote.quoteID)", facts: ["quote": quote.quoteID])
        }
        guard quote.status == .open else {
            throw DomainError(
                .quoteClosed,
                "quote \(quote.quoteID) is \(quote.status.rawValue)",
                facts: ["status": quote.status.rawValue]
            )
        }
    }
}
