/// The rows of the deals read model (``DealsProjector``). Times are nanoseconds since 1970
/// (business time, `occurredAt`, unless said otherwise); amounts are minor units of the
/// quote's or contract's currency.

/// A priced product line of a quote or contract.
struct DealLineRow: Codable, Sendable, Hashable {
    var productID: String
    var productName: String
    var quantity: Int32
    var currency: String
    var unitPrice: Int64
    var discountBasisPoints: Int32
    var lineTotal: Int64
}

/// A quote (key: quote id in `quotes`).
struct QuoteRow: Codable, Sendable, Hashable {
    var listing: QuoteListingRow
    var lines: [DealLineRow]
    var decidedAt: Int64?
    var rejectionReason: String?
}

/// What a list of quotes shows of one: the row of the `quotes-by-*` indexes, and part of
/// ``QuoteRow``. Copied into each index so that a page reads no other table.
struct QuoteListingRow: Codable, Sendable, Hashable {
    /// Where a quote stands as the log says: expiry is worked out against the query's `now`.
    enum Stored: String, Codable, Sendable, Hashable {
        case open, accepted, rejected
    }

    var quoteID: String
    var customerID: String
    var opportunityID: String
    var ownerID: String
    var createdAt: Int64
    var validUntil: Int64
    var status: Stored
    var currency: String
    var listTotal: Int64
    var total: Int64
    /// The contract drafted from it, once there is one.
    var contractID: String?
}

/// A contract (key: contract id in `contracts`): its terms, approval chain, payment plan and
/// everything that happened to its money and goods.
struct ContractRow: Codable, Sendable, Hashable {
    var listing: ContractListingRow
    var lines: [DealLineRow]
    var chain: [Step]
    var instalments: [Instalment] = []
    var payments: [Payment] = []
    var invoices: [Invoice] = []
    var refunds: [Refund] = []
    var shipments: [Shipment] = []

    /// One step of the approval chain.
    struct Step: Codable, Sendable, Hashable {
        var role: String
        /// When the step became the one waiting: the drafting, or the previous step's approval.
        var pendingSince: Int64?
        var decision: ApprovalDecision?
        var approverID = ""
        var decidedAt: Int64?
        var comment = ""
    }

    /// How an approval step or a refund was decided.
    enum ApprovalDecision: String, Codable, Sendable, Hashable {
        case approved, rejected
    }

    struct Instalment: Codable, Sendable, Hashable {
        var number: Int32
        var dueAt: Int64
        var amount: Int64
        var scheduledAt: Int64
        /// What payments allocated to it.
        var paid: Int64 = 0
    }

    struct Payment: Codable, Sendable, Hashable {
        var paymentID: String
        var receivedAt: Int64
        var amount: Int64
        var method: String
        var clerkID: String
        var bankReference: String
        var allocations: [Allocation]
        var credit: Int64

        struct Allocation: Codable, Sendable, Hashable {
            var instalment: Int32
            var amount: Int64
        }
    }

    struct Invoice: Codable, Sendable, Hashable {
        var invoiceID: String
        var amount: Int64
        var title: String
        var requestedAt: Int64
        var issuedAt: Int64?
        var number: String?
    }

    struct Refund: Codable, Sendable, Hashable {
        var refundID: String
        var amount: Int64
        var reason: String
        var returnGoods: Bool
        var requestedAt: Int64
        var decision: ApprovalDecision?
        var decidedBy = ""
        var decidedAt: Int64?
        var rejectionReason = ""
        var goodsReturnedAt: Int64?
        var paidAt: Int64?
        var paidAmount: Int64?
        var method: String?
    }

    struct Shipment: Codable, Sendable, Hashable {
        var shipmentID: String
        var dispatchedAt: Int64
        var lines: [Line]

        struct Line: Codable, Sendable, Hashable {
            var productID: String
            var quantity: Int32
        }
    }
}

/// What a list of contracts shows of one: the row of the `contracts-by-*` indexes, and part
/// of ``ContractRow``.
struct ContractListingRow: Codable, Sendable, Hashable {
    var contractID: String
    var customerID: String
    var ownerID: String
    var quoteID: String
    var opportunityID: String
    var draftedAt: Int64
    var status: ContractApprovalStatus
    var currency: String
    var listTotal: Int64
    var amount: Int64
    var discountBasisPoints: Int32
    var boundAt: Int64?
    var rejectedAt: Int64?
    /// The step waiting for a decision, while the contract is pending.
    var pendingStep: Int?
    var pendingRole: String?
}

/// One item waiting for a decision (`pending`, key `waitingSince|contract|step|n` or
/// `waitingSince|contract|refund|id`): everything the inbox shows and filters on, so the inbox
/// reads this table alone.
struct PendingApprovalRow: Codable, Sendable, Hashable {
    var kind: ApprovalKind
    var contractID: String
    var refundID: String
    var customerID: String
    var ownerID: String
    var currency: String
    var amount: Int64
    /// The step (index into the chain) and its role; 0 and empty for a refund.
    var step: Int
    var role: String
    /// Those who approved earlier steps: none of them may decide this one.
    var earlierApprovers: [String]
    /// The refund's reason; empty for a step.
    var reason: String
    var waitingSince: Int64
}

/// The decisions of one business day on one step of the chains (by step and role) or on
/// refunds (`timings`, key `day|step|n|role` or `day|refund`).
///
/// Durations are kept whole, sorted, rather than as a histogram: a median over any run of
/// days is then exact, and a day holds as many durations as decisions were made that day —
/// the rows a period reads grow with the decisions in it, never with every contract.
struct ApprovalTimingRow: Codable, Sendable, Hashable {
    var kind: ApprovalKind
    var step: Int
    var role: String
    var approved = 0
    var rejected = 0
    /// Seconds from pending to decision, ascending.
    var durations: [Int64] = []

    /// Counts one decision that took `seconds`.
    mutating func add(_ seconds: Int64, approved wasApproved: Bool) {
        if wasApproved { approved += 1 } else { rejected += 1 }
        var low = 0
        var high = durations.count
        while low < high {
            let middle = (low + high) / 2
            if durations[middle] <= seconds { low = middle + 1 } else { high = middle }
        }
        durations.insert(seconds, at: low)
    }
}
