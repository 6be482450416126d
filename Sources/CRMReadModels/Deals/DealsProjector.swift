import CRMDomain
import CRMSchema
import EventStore
public import Projections

/// Quotes and contracts as a sales team works them: each one's detail, lists by customer,
/// owner, status and period, the approvals waiting for a decision, and how long decisions take.
///
/// Tables:
/// - `quotes`: quote id → ``QuoteRow``; `contracts`: contract id → ``ContractRow`` (terms,
///   approval chain, plan, payments, invoices, refunds, shipments).
/// - `quotes-by-customer`, `quotes-by-owner`, `quotes-by-status` (and the same three for
///   contracts): `customer|time|id`, `owner|time|id`, `status|time|id` → the listing row,
///   where `time` sorts newest first (``DealKey/listingSuffix(_:_:)``). A list reads the one
///   index its filters allow, from the key its period and cursor give, and no other table.
///   The stored quote statuses are `open`, `accepted` and `rejected`: expiry depends on the
///   query's `now`, so an expired quote is listed under `open`.
/// - `pending`: `waitingSince|contract|step|n` or `waitingSince|contract|refund|id` → what an
///   inbox shows of an item waiting for a decision (``PendingApprovalRow``), oldest first,
///   removed when decided. The inbox reads this table only.
/// - `timings`: `day|step|n|role` or `day|refund` → the decisions of a business day and how
///   long each took (``ApprovalTimingRow``), for the timing report over any period.
public final class DealsProjector: Projector {
    /// The read model's name.
    public static let name = "deals"
    /// Version 1: the first layout.
    public static let version: UInt32 = 1
    /// Quote, contract, receivable and shipment events.
    public static let eventTypes: Set<String> = [
        CRMQuoteCreated.protoMessageName, CRMQuoteAccepted.protoMessageName, CRMQuoteRejected.protoMessageName,
        CRMContractDrafted.protoMessageName, CRMContractApproved.protoMessageName,
        CRMContractRejected.protoMessageName, CRMInstalmentsScheduled.protoMessageName,
        CRMPaymentReceived.protoMessageName, CRMInvoiceRequested.protoMessageName, CRMInvoiceIssued.protoMessageName,
        CRMRefundRequested.protoMessageName, CRMRefundApproved.protoMessageName, CRMRefundRejected.protoMessageName,
        CRMReturnedGoodsReceived.protoMessageName, CRMRefundPaid.protoMessageName,
        CRMShipmentDispatched.protoMessageName,
    ]

    let quotes = ReadModelTable<QuoteRow>("quotes")
    let quotesByCustomer = ReadModelTable<QuoteListingRow>("quotes-by-customer")
    let quotesByOwner = ReadModelTable<QuoteListingRow>("quotes-by-owner")
    let quotesByStatus = ReadModelTable<QuoteListingRow>("quotes-by-status")
    let contracts = ReadModelTable<ContractRow>("contracts")
    let contractsByCustomer = ReadModelTable<ContractListingRow>("contracts-by-customer")
    let contractsByOwner = ReadModelTable<ContractListingRow>("contracts-by-owner")
    let contractsByStatus = ReadModelTable<ContractListingRow>("contracts-by-status")
    let pending = ReadModelTable<PendingApprovalRow>("pending")
    let timings = ReadModelTable<ApprovalTimingRow>("timings")

    /// An empty read model.
    public init() {}

    /// The projector's tables.
    public var tables: [any ReadModelTableProtocol] {
        [
            quotes, quotesByCustomer, quotesByOwner, quotesByStatus, contracts, contractsByCustomer,
            contractsByOwner, contractsByStatus, pending, timings,
        ]
    }

    /// Applies one event to the tables.
    public func apply(_ event: CRMEvent) throws {
        let at = event.occurredAt.nanosecondsSinceEpoch
        // The most frequent events first: each case tried is a dynamic cast.
        switch event.payload {
        case let payment as CRMPaymentReceived: apply(payment, at: at)
        case let plan as CRMInstalmentsScheduled: apply(plan, at: at)
        case let shipment as CRMShipmentDispatched: apply(shipment, at: at)
        case let created as CRMQuoteCreated: apply(created, at: at)
        case let accepted as CRMQuoteAccepted:
            decideQuote(accepted.quoteID) { row in
                row.listing.status = .accepted
                row.decidedAt = at
            }
        case let rejected as CRMQuoteRejected:
            decideQuote(rejected.quoteID) { row in
                row.listing.status = .rejected
                row.decidedAt = at
                row.rejectionReason = rejected.reason
            }
        case let drafted as CRMContractDrafted: apply(drafted, at: at)
        case let approved as CRMContractApproved: apply(approved, at: at)
        case let rejected as CRMContractRejected: apply(rejected, at: at)
        case let invoice as CRMInvoiceRequested: apply(invoice, at: at)
        case let issued as CRMInvoiceIssued: apply(issued, at: at)
        case let refund as CRMRefundRequested: apply(refund, at: at)
        case let approved as CRMRefundApproved:
            refundDecided(
                approved.contractID,
                approved.refundID,
                approved: true,
                by: approved.approverID,
                reason: "",
                at: at
            )
        case let rejected as CRMRefundRejected:
            refundDecided(
                rejected.contractID,
                rejected.refundID,
                approved: false,
                by: rejected.approverID,
                reason: rejected.reason,
                at: at
            )
        case let goods as CRMReturnedGoodsReceived:
            changeRefund(goods.contractID, goods.refundID) { $0.goodsReturnedAt = at }
        case let paid as CRMRefundPaid:
            changeRefund(paid.contractID, paid.refundID) { refund in
                (refund.paidAt, refund.paidAmount, refund.method) = (
                    at, paid.amount.minorUnits, FinancePaymentMethod.name(paid.method)
                )
            }
        default:
            break
        }
    }

    // MARK: - Quotes

    private func apply(_ created: CRMQuoteCreated, at: Int64) {
        if let old = quotes[created.quoteID] { unindex(old.listing) }
        let listing = QuoteListingRow(
            quoteID: created.quoteID,
            customerID: created.customerID,
            opportunityID: created.opportunityID,
            ownerID: created.ownerID,
            createdAt: at,
            validUntil: DealTime.nanoseconds(created.validUntil),
            status: .open,
            currency: created.total.currency,
            listTotal: created.listTotal.minorUnits,
            total: created.total.minorUnits,
            contractID: nil
        )
        quotes[created.quoteID] = QuoteRow(listing: listing, lines: created.lines.map(Self.line), decidedAt: nil)
        index(listing)
    }

    private func decideQuote(_ quoteID: String, _ change: (inout QuoteRow) -> Void) {
        guard var row = quotes[quoteID] else { return }
        unindex(row.listing)
        change(&row)
        quotes[quoteID] = row
        index(row.listing)
    }

    /// Notes on a quote the contract drafted from it.
    func quoteContracted(_ quoteID: String, contractID: String) {
        guard !quoteID.isEmpty else { return }
        decideQuote(quoteID) { $0.listing.contractID = contractID }
    }

    private func index(_ listing: QuoteListingRow) {
        let suffix = DealKey.listingSuffix(listing.createdAt, listing.quoteID)
        quotesByCustomer[FinanceKey.prefix(listing.customerID) + suffix] = listing
        quotesByOwner[FinanceKey.prefix(listing.ownerID) + suffix] = listing
        quotesByStatus[FinanceKey.prefix(listing.status.rawValue) + suffix] = listing
    }

    private func unindex(_ listing: QuoteListingRow) {
        let suffix = DealKey.listingSuffix(listing.createdAt, listing.quoteID)
        quotesByCustomer[FinanceKey.prefix(listing.customerID) + suffix] = nil
        quotesByOwner[FinanceKey.prefix(listing.ownerID) + suffix] = nil
        quotesByStatus[FinanceKey.prefix(listing.status.rawValue) + suffix] = nil
    }

    /// A priced line as the rows keep it.
    static func line(_ line: CRMPricedLine) -> DealLineRow {
        DealLineRow(
            productID: line.productID,
            productName: line.productName,
            quantity: line.quantity,
            currency: line.unitPrice.currency,
            unitPrice: line.unitPrice.minorUnits,
            discountBasisPoints: line.discountBasisPoints,
            lineTotal: line.lineTotal.minorUnits
        )
    }
}
