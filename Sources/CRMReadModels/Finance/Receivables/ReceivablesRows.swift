/// A contract's money history as the receivables read model stores it: every instalment,
/// allocation, payment, invoice and refund with the business day it happened on, so that the
/// position on any past day can be worked out at query time.
///
/// Days are ``BusinessDay/number``s. Amounts are minor units of ``currency``.
struct ReceivableContractRow: Codable, Sendable {
    var contractID: String
    var customerID: String
    /// The rep who owns the contract (and earns its commission); it never changes.
    var ownerID: String
    var currency: String
    var amount: Int64
    var draftedDay: Int
    /// When the last approval made it binding (the drafting day when it needed none).
    var boundDay: Int?
    var rejectedDay: Int?
    var instalments: [Instalment] = []
    var payments: [Payment] = []
    var invoices: [Invoice] = []
    var refunds: [Refund] = []

    struct Instalment: Codable, Sendable {
        var number: Int32
        /// When it was added to the plan.
        var scheduledDay: Int
        var dueDay: Int
        var amount: Int64
        /// What payments allocated to it, in the order received.
        var allocations: [Allocation] = []
    }

    struct Allocation: Codable, Sendable {
        var day: Int
        var amount: Int64
        var paymentID: String
    }

    struct Payment: Codable, Sendable {
        var paymentID: String
        var day: Int
        var amount: Int64
        var method: String
        var clerkID: String
        var allocations: [Share]
        var credit: Int64

        struct Share: Codable, Sendable {
            var instalment: Int32
            var amount: Int64
        }
    }

    struct Invoice: Codable, Sendable {
        var invoiceID: String
        var amount: Int64
        var title: String
        var requestedDay: Int
        var issuedDay: Int?
        var number: String?
    }

    struct Refund: Codable, Sendable {
        var refundID: String
        var amount: Int64
        var reason: String
        var returnGoods: Bool
        var requestedDay: Int
        var approvedDay: Int?
        var rejectedDay: Int?
        var goodsReceivedDay: Int?
        var paidDay: Int?
        var paidAmount: Int64?
        var method: String?
    }
}

/// An index row: a contract found by its customer or its owner.
struct ReceivableLinkRow: Codable, Sendable {
    var contractID: String
}

/// The figures of the binding contracts that settled on one day, summed: what they add to an
/// aging as of that day or any later one.
struct SettledDayRow: Codable, Sendable {
    /// The day, a ``BusinessDay/number``.
    var day: Int
    var figures: ReceivablesFigures
}
