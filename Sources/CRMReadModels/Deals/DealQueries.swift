import CRMDomain
import EventStore
public import Foundation
public import Projections

/// Reads quotes and contracts (``DealsProjector``): details, lists, the approvals inbox and
/// how long approvals take.
///
/// Lists are newest first (by business time created or drafted, then by id) and paged by
/// keyset: `after` is the id of the last item of the previous page (the page's `next`), so a
/// page stays right while new deals arrive. `from` and `to` bound the business time created
/// (both included); a filter by customer, owner or status reads only that index's keys.
public struct DealQueries: Sendable {
    /// The store the read model was built into.
    public let store: ReadModelStore

    /// Queries over `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    /// The largest page a list returns.
    public static let maxPageSize = 500
    /// The most owners one list may name (a team's reps).
    public static let maxOwners = 1_000

    var name: String { DealsProjector.name }

    // MARK: - Quotes

    /// Quote `id`, its status as of `now` (an open quote past its validity is `expired`).
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed id,
    ///   `not_found` for a quote the log does not know; ``ProjectionError``.
    public func quote(id: String, now: Date) throws -> QuoteDetail {
        try CustomerQueryParameters.requireID(id, "id")
        guard let row = try store.row(QuoteRow.self, projector: name, table: "quotes", key: id) else {
            throw ReadModelQueryError(.notFound, "no quote \(id)", parameter: "id")
        }
        let summary = Self.summary(row.listing, now: Timestamp(now).nanosecondsSinceEpoch)
        return QuoteDetail(
            quoteID: summary.quoteID,
            customerID: summary.customerID,
            opportunityID: summary.opportunityID,
            ownerID: summary.ownerID,
            createdAt: summary.createdAt,
            validUntil: summary.validUntil,
            status: summary.status,
            lines: row.lines.map(Self.line),
            listTotal: summary.listTotal,
            total: summary.total,
            discountBasisPoints: summary.discountBasisPoints,
            decidedAt: row.decidedAt.map(DealTime.date),
            rejectionReason: row.rejectionReason,
            contractID: summary.contractID
        )
    }

    /// One page of quotes, newest first, with status as of `now`.
    ///
    /// - Parameters:
    ///   - customer: only this customer's.
    ///   - owners: only those of these owners (a rep: themselves; a manager: their team);
    ///     `nil` for every owner, empty for none.
    ///   - status: only quotes in this status as of `now`.
    ///   - from: only quotes created at or after this time; `to`: at or before it.
    ///   - after: the id of the last quote of the previous page.
    ///   - limit: 1 to ``maxPageSize``.
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` naming `customer`, `owner`,
    ///   `after` (malformed, or no such quote), `to` (before `from`) or `limit`;
    ///   ``ProjectionError``.
    public func quotes(
        customer: String? = nil,
        owners: [String]? = nil,
        status: QuoteStatus? = nil,
        from: Date? = nil,
        to: Date? = nil,
        now: Date,
        after: String? = nil,
        limit: Int = 100
    ) throws -> QuotePage {
        let filter = try DealListFilter(customer: customer, owners: owners, from: from, to: to, limit: limit)
        let nowNanoseconds = Timestamp(now).nanosecondsSinceEpoch
        var cursor: String?
        if let after {
            try CustomerQueryParameters.requireID(after, "after")
            guard let row = try store.row(QuoteRow.self, projector: name, table: "quotes", key: after) else {
                throw ReadModelQueryError.invalid("after", "after \"\(after)\" is no quote: pass the next of a page")
            }
            cursor = DealKey.listingSuffix(row.listing.createdAt, after)
        }
        let stored: [QuoteListingRow.Stored] =
            switch status {
            case nil: [.open, .accepted, .rejected]
            case .open?, .expired?: [.open]
            case .accepted?: [.accepted]
            case .rejected?: [.rejected]
            }
        let (table, prefixes) = filter.index(
            "quotes",
            statuses: stored.map(\.rawValue)
        )
        let rows = try filter.page(
            QuoteListingRow.self,
            in: self,
            table: table,
            prefixes: prefixes,
            cursor: cursor,
            time: \.createdAt
        ) { row in
            filter.matches(customer: row.customerID, owner: row.ownerID)
                && (status == nil || Self.status(of: row, now: nowNanoseconds) == status)
        }
        let quotes = rows.prefix(limit).map { Self.summary($0, now: nowNanoseconds) }
        return QuotePage(quotes: quotes, next: rows.count > limit ? quotes.last?.quoteID : nil)
    }

    // MARK: - Contracts

    /// Contract `id` with its lines, approval chain, plan, payments, invoices, refunds and
    /// shipments.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed id,
    ///   `not_found` for a contract the log does not know; ``ProjectionError``.
    public func contract(id: String) throws -> ContractDetail {
        try CustomerQueryParameters.requireID(id, "id")
        guard let row = try store.row(ContractRow.self, projector: name, table: "contracts", key: id) else {
            throw ReadModelQueryError(.notFound, "no contract \(id)", parameter: "id")
        }
        return Self.detail(row)
    }

    /// One page of contracts, newest first.
    ///
    /// - Parameters:
    ///   - customer: only this customer's.
    ///   - owners: only those of these owners; `nil` for every owner, empty for none.
    ///   - status: only contracts in this status.
    ///   - from: only contracts drafted at or after this time; `to`: at or before it.
    ///   - after: the id of the last contract of the previous page.
    ///   - limit: 1 to ``maxPageSize``.
    /// - Throws: as ``quotes(customer:owners:status:from:to:now:after:limit:)``.
    public func contracts(
        customer: String? = nil,
        owners: [String]? = nil,
        status: ContractApprovalStatus? = nil,
        from: Date? = nil,
        to: Date? = nil,
        after: String? = nil,
        limit: Int = 100
    ) throws -> ContractPage {
        let filter = try DealListFilter(customer: customer, owners: owners, from: from, to: to, limit: limit)
        var cursor: String?
        if let after {
            try CustomerQueryParameters.requireID(after, "after")
            guard let row = try store.row(ContractRow.self, projector: name, table: "contracts", key: after) else {
                throw ReadModelQueryError.invalid("after", "after \"\(after)\" is no contract: pass the next of a page")
            }
            cursor = DealKey.listingSuffix(row.listing.draftedAt, after)
        }
        let statuses: [ContractApprovalStatus] = status.map { [$0] } ?? [.pendingApproval, .binding, .rejected]
        let (table, prefixes) = filter.index("contracts", statuses: statuses.map(\.rawValue))
        let rows = try filter.page(
            ContractListingRow.self,
            in: self,
            table: table,
            prefixes: prefixes,
            cursor: cursor,
            time: \.draftedAt
        ) { row in
            filter.matches(customer: row.customerID, owner: row.ownerID) && (status == nil || row.status == status)
        }
        let contracts = rows.prefix(limit).map(Self.summary)
        return ContractPage(contracts: contracts, next: rows.count > limit ? contracts.last?.contractID : nil)
    }
}

// MARK: - Listing

/// A list's filters, checked, and how they pick the index to read.
struct DealListFilter {
    var customer: String?
    /// Sorted, without repeats.
    var owners: [String]?
    var from: Int64?
    var to: Int64?
    var limit: Int

    init(customer: String?, owners: [String]?, from: Date?, to: Date?, limit: Int) throws {
        if let customer { try CustomerQueryParameters.requireID(customer, "customer") }
        if let owners {
            guard owners.count <= DealQueries.maxOwners else {
                throw ReadModelQueryError.invalid("owner", "at most \(DealQueries.maxOwners) owners at once")
            }
            for owner in owners { try CustomerQueryParameters.requireID(owner, "owner") }
        }
        guard (1...DealQueries.maxPageSize).contains(limit) else {
            throw ReadModelQueryError.invalid(
                "limit",
                "limit must be between 1 and \(DealQueries.maxPageSize), not \(limit)"
            )
        }
        if let from, let to, from > to {
            throw ReadModelQueryError.invalid("to", "to (\(to)) is before from (\(from))")
        }
        self.customer = customer
        self.owners = owners.map { Array(Set($0)).sorted() }
        self.from = from.map { Timestamp($0).nanosecondsSinceEpoch }
        self.to = to.map { Timestamp($0).nanosecondsSinceEpoch }
        self.limit = limit
    }

    /// The index to read and the prefixes to merge: the customer's when one is named (the
    /// narrowest), else each owner's, else each status asked for.
    func index(_ kind: String, statuses: [String]) -> (table: String, prefixes: [String]) {
        if let customer { return ("\(kind)-by-customer", [FinanceKey.prefix(customer)]) }
        if let owners { return ("\(kind)-by-owner", owners.map { FinanceKey.prefix($0) }) }
        return ("\(kind)-by-status", statuses.map { FinanceKey.prefix($0) })
    }

    /// Whether a row read through some index also passes the customer and owner filters.
    func matches(customer rowCustomer: String, owner: String) -> Bool {
        (customer == nil || customer == rowCustomer) && (owners.map { $0.contains(owner) } ?? true)
    }

    /// Up to `limit + 1` rows of the listing index `table`, newest first across `prefixes`,
    /// after `cursor` (a key suffix, see ``DealKey/listingSuffix(_:_:)``), within the period,
    /// that `keep` accepts.
    ///
    /// Each prefix is read in key order from the later of the period's end and the cursor,
    /// and only until its rows pass the period's start or enough are kept; the prefixes'
    /// rows are then merged by key.
    func page<Row: Decodable>(
        _: Row.Type,
        in queries: DealQueries,
        table: String,
        prefixes: [String],
        cursor: String?,
        time: (Row) -> Int64,
        keep: (Row) -> Bool
    ) throws -> [Row] {
        var start = to.map { DealKey.descending($0) }
        if let cursor, start.map({ $0.utf8.lexicographicallyPrecedes(cursor.utf8) }) ?? true { start = cursor }
        let chunk = min(limit + 1, 256)
        var found: [(suffix: String, row: Row)] = []
        for prefix in prefixes {
            var after = start.map { prefix + $0 }
            var kept = 0
            reading: while true {
                let rows = try queries.store.rows(
                    Row.self,
                    projector: queries.name,
                    table: table,
                    prefix: prefix,
                    after: after,
                    limit: chunk
                )
                for (key, row) in rows {
                    if let from, time(row) < from { break reading }
                    guard keep(row) else { continue }
                    found.append((String(decoding: key.utf8.dropFirst(prefix.utf8.count), as: UTF8.self), row))
                    kept += 1
                    if kept > limit { break reading }
                }
                guard rows.count == chunk, let last = rows.last else { break }
                after = last.key
            }
        }
        if prefixes.count > 1 { found.sort { $0.suffix.utf8.lexicographicallyPrecedes($1.suffix.utf8) } }
        return found.prefix(limit + 1).map(\.row)
    }
}

// MARK: - Answers

extension DealQueries {
    static func status(of row: QuoteListingRow, now: Int64) -> QuoteStatus {
        switch row.status {
        case .accepted: .accepted
        case .rejected: .rejected
        // A quote may be accepted up to and at its last valid moment.
        case .open: now > row.validUntil ? .expired : .open
        }
    }

    static func summary(_ row: QuoteListingRow, now: Int64) -> QuoteSummary {
        QuoteSummary(
            quoteID: row.quoteID,
            customerID: row.customerID,
            opportunityID: row.opportunityID,
            ownerID: row.ownerID,
            createdAt: DealTime.date(row.createdAt),
            validUntil: DealTime.date(row.validUntil),
            status: status(of: row, now: now),
            listTotal: CustomerMoney(minorUnits: row.listTotal, currency: row.currency),
            total: CustomerMoney(minorUnits: row.total, currency: row.currency),
            discountBasisPoints: discount(list: row.listTotal, total: row.total),
            contractID: row.contractID
        )
    }

    static func summary(_ row: ContractListingRow) -> ContractSummary {
        ContractSummary(
            contractID: row.contractID,
            customerID: row.customerID,
            ownerID: row.ownerID,
            quoteID: row.quoteID,
            opportunityID: row.opportunityID,
            draftedAt: DealTime.date(row.draftedAt),
            status: row.status,
            listTotal: CustomerMoney(minorUnits: row.listTotal, currency: row.currency),
            amount: CustomerMoney(minorUnits: row.amount, currency: row.currency),
            discountBasisPoints: Int(row.discountBasisPoints),
            boundAt: row.boundAt.map(DealTime.date),
            rejectedAt: row.rejectedAt.map(DealTime.date),
            pendingStep: row.pendingStep,
            pendingRole: row.pendingRole
        )
    }

    /// 1 - total / list, in basis points rounded down, as ``Pricing/totals(_:)`` works it out;
    /// computed in double width so that amounts read from the log never overflow.
    static func discount(list: Int64, total: Int64) -> Int {
        guard list > 0 else { return 0 }
        let off = min(list, max(0, list.saturatingSubtract(total)))
        return Int(list.dividingFullWidth(off.multipliedFullWidth(by: 10_000)).quotient)
    }

    static func line(_ row: DealLineRow) -> DealLine {
        DealLine(
            productID: row.productID,
            productName: row.productName,
            quantity: Int(row.quantity),
            unitPrice: CustomerMoney(minorUnits: row.unitPrice, currency: row.currency),
            discountBasisPoints: Int(row.discountBasisPoints),
            lineTotal: CustomerMoney(minorUnits: row.lineTotal, currency: row.currency)
        )
    }

    static func detail(_ row: ContractRow) -> ContractDetail {
        let listing = row.listing
        let currency = listing.currency
        func money(_ minorUnits: Int64) -> CustomerMoney { CustomerMoney(minorUnits: minorUnits, currency: currency) }
        let approvals = row.chain.enumerated().map { index, step in
            let status: ApprovalStepStatus =
                switch step.decision {
                case .approved?: .approved
                case .rejected?: .rejected
                case nil:
                    listing.pendingStep == index ? .pending : listing.status == .pendingApproval ? .waiting : .closed
                }
            return ContractApprovalStep(
                step: index,
                role: step.role,
                status: status,
                pendingSince: step.pendingSince.map(DealTime.date),
                decidedBy: step.decision == nil ? nil : step.approverID,
                decidedAt: step.decidedAt.map(DealTime.date),
                comment: step.decision == nil ? nil : step.comment
            )
        }
        let instalments = row.instalments.map { instalment in
            ContractInstalment(
                number: Int(instalment.number),
                dueAt: DealTime.date(instalment.dueAt),
                amount: money(instalment.amount),
                paid: money(instalment.paid),
                outstanding: money(instalment.amount.saturatingSubtract(instalment.paid)),
                scheduledAt: DealTime.date(instalment.scheduledAt)
            )
        }
        let payments = row.payments.map { payment in
            ContractPayment(
                paymentID: payment.paymentID,
                receivedAt: DealTime.date(payment.receivedAt),
                amount: money(payment.amount),
                method: payment.method,
                clerkID: payment.clerkID,
                bankReference: payment.bankReference,
                allocations: payment.allocations.map {
                    ContractPaymentAllocation(instalment: Int($0.instalment), amount: money($0.amount))
                },
                credit: money(payment.credit)
            )
        }
        let invoices = row.invoices.map { invoice in
            ContractInvoice(
                invoiceID: invoice.invoiceID,
                amount: money(invoice.amount),
                title: invoice.title,
                requestedAt: DealTime.date(invoice.requestedAt),
                issuedAt: invoice.issuedAt.map(DealTime.date),
                number: invoice.number
            )
        }
        let refunds = row.refunds.map { refund in
            let status: RefundStatus =
                if refund.paidAt != nil { .paid } else if refund.goodsReturnedAt != nil { .goodsReceived } else {
                    switch refund.decision {
                    case .approved?: .approved
                    case .rejected?: .rejected
                    case nil: .requested
                    }
                }
            return ContractRefund(
                refundID: refund.refundID,
                amount: money(refund.amount),
                reason: refund.reason,
                returnGoods: refund.returnGoods,
                status: status,
                requestedAt: DealTime.date(refund.requestedAt),
                decidedBy: refund.decision == nil ? nil : refund.decidedBy,
                decidedAt: refund.decidedAt.map(DealTime.date),
                rejectionReason: refund.decision == .rejected ? refund.rejectionReason : nil,
                goodsReturnedAt: refund.goodsReturnedAt.map(DealTime.date),
                paidAt: refund.paidAt.map(DealTime.date),
                paidAmount: refund.paidAt == nil ? nil : money(refund.paidAmount ?? refund.amount),
                method: refund.method
            )
        }
        var names: [String: String] = [:]
        for line in row.lines where names[line.productID] == nil { names[line.productID] = line.productName }
        let shipments = row.shipments.map { shipment in
            ContractShipment(
                shipmentID: shipment.shipmentID,
                dispatchedAt: DealTime.date(shipment.dispatchedAt),
                lines: shipment.lines.map {
                    ContractShipmentLine(
                        productID: $0.productID,
                        productName: names[$0.productID] ?? "",
                        quantity: Int($0.quantity)
                    )
                }
            )
        }
        let scheduled = row.instalments.lazy.map(\.amount).saturatingSum()
        let collected = row.instalments.lazy.map(\.paid).saturatingSum()
        let totals = ContractTotals(
            currency: currency,
            scheduled: scheduled,
            collected: collected,
            outstanding: scheduled.saturatingSubtract(collected),
            credit: row.payments.lazy.map(\.credit).saturatingSum(),
            invoiced: row.invoices.lazy.map(\.amount).saturatingSum(),
            refunded: row.refunds.lazy.filter { $0.paidAt != nil }.map { $0.paidAmount ?? $0.amount }.saturatingSum()
        )
        return ContractDetail(
            contractID: listing.contractID,
            customerID: listing.customerID,
            ownerID: listing.ownerID,
            quoteID: listing.quoteID,
            opportunityID: listing.opportunityID,
            draftedAt: DealTime.date(listing.draftedAt),
            status: listing.status,
            lines: row.lines.map(line),
            listTotal: money(listing.listTotal),
            amount: money(listing.amount),
            discountBasisPoints: Int(listing.discountBasisPoints),
            boundAt: listing.boundAt.map(DealTime.date),
            rejectedAt: listing.rejectedAt.map(DealTime.date),
            approvals: approvals,
            instalments: instalments,
            payments: payments,
            invoices: invoices,
            refunds: refunds,
            shipments: shipments,
            totals: totals
        )
    }
}
