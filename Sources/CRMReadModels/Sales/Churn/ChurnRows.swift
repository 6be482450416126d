import CRMDomain

/// Lost opportunities of one month at one stage (key `yyyy-mm|stage`).
struct ChurnLossCell: Codable, Sendable, Hashable {
    /// Opportunities lost.
    var lost = 0
    /// Of those, the ones whose customer had been followed up before: how long from the
    /// customer's first follow-up to the loss, in business days.
    var timed = 0
    var days = 0
    /// How many of the timed losses fall in each of ``ChurnDaysBucket/all``.
    var buckets: [Int] = Array(repeating: 0, count: ChurnDaysBucket.all.count)

    mutating func add(_ other: ChurnLossCell) {
        lost.saturatingIncrement(by: other.lost)
        timed.saturatingIncrement(by: other.timed)
        days.saturatingIncrement(by: other.days)
        for index in buckets.indices where index < other.buckets.count {
            buckets[index].saturatingIncrement(by: other.buckets[index])
        }
    }
}

/// A count (key `yyyy-mm|reason` in `reasons`).
struct ChurnCount: Codable, Sendable, Hashable {
    var count = 0
}

/// The customers and win-backs of one month (key `yyyy-mm` in `months`).
struct ChurnMonth: Codable, Sendable, Hashable {
    /// Customers created, and of those the ones created with an owner.
    var newCustomers = 0
    var createdOwned = 0
    /// Customers that went to the pool (released by the rep or a manager, swept for being
    /// idle, or left behind by a departing rep), and customers claimed from it.
    var released = 0
    var claimed = 0
    /// Lost customers: released to the pool this month and not claimed back by its end.
    var lostCustomers = 0
    /// Win-backs: customers claimed from the pool after a release, lost opportunities
    /// reopened, and customers signing a contract after losing an opportunity.
    var reclaimedCustomers = 0
    var reopenedOpportunities = 0
    var contractsAfterLoss = 0
    /// Opportunities lost.
    var lostOpportunities = 0
}

/// What churn remembers of a customer (key: its id), from its first follow-up, release, claim
/// or loss on.
struct ChurnCustomer: Codable, Sendable, Hashable {
    /// The business day (``BusinessDay/number``) of its first follow-up.
    var firstFollowUp: Int?
    /// The month it was counted lost in, while it is in the pool after a release.
    var lostMonth: String?
    /// Whether it is in the pool after a release (a claim is then a win-back).
    var released = false
    /// Lost opportunities not reopened since its last contract: a contract then is a win-back.
    var lostDeals = 0
}

/// What churn remembers of an opportunity (key: its id).
struct ChurnOpportunity: Codable, Sendable, Hashable {
    var customer: String
    /// Whether it is lost (a reopen is then a win-back).
    var lost = false
}

/// A contract waiting for approval (key: its id): whose it is, for when it binds.
struct ChurnContract: Codable, Sendable, Hashable {
    var customer: String
}

/// The ranges of days from a customer's first follow-up to a loss that the churn timeline
/// counts.
public struct ChurnDaysBucket: Codable, Sendable, Hashable {
    /// A label such as `8-30`.
    public var label: String
    /// The first day of the range.
    public var fromDays: Int
    /// The last day of the range, included; `nil` when it has no upper end.
    public var toDays: Int?

    /// 0-7, 8-30, 31-90 and 91+ days.
    public static let all = [
        ChurnDaysBucket(label: "0-7", fromDays: 0, toDays: 7),
        ChurnDaysBucket(label: "8-30", fromDays: 8, toDays: 30),
        ChurnDaysBucket(label: "31-90", fromDays: 31, toDays: 90),
        ChurnDaysBucket(label: "91+", fromDays: 91, toDays: nil),
    ]

    /// The index in ``all`` of the bucket holding `days`.
    static func index(of days: Int) -> Int {
        all.lastIndex { days >= $0.fromDays } ?? 0
    }
}
