/// Lost opportunities of a period by the stage they were lost at.
public struct ChurnLossesByStage: Codable, Sendable, Hashable {
    /// The period asked for: `2026-03`, `2026-Q1` or `2026`.
    public var period: String
    /// The months summed, `yyyy-mm`.
    public var months: [String]
    /// All opportunities lost in the period (a loss stays counted if the deal is reopened).
    public var lost: Int
    /// The time from first follow-up to loss over all stages.
    public var timeToLoss: ChurnTimeToLoss
    /// One row per stage with losses, in pipeline order.
    public var stages: [ChurnStageLosses]
}

/// The losses at one stage.
public struct ChurnStageLosses: Codable, Sendable, Hashable {
    /// The stage's id.
    public var stageID: String
    /// The stage's name in the pipeline (the id for a stage no pipeline named).
    public var name: String
    /// Opportunities lost at the stage.
    public var lost: Int
    /// This stage's part of all losses of the period, 0-1.
    public var share: Double
    /// The time from first follow-up to loss at this stage.
    public var timeToLoss: ChurnTimeToLoss
}

/// How long after the customer's first follow-up opportunities were lost, in business days.
public struct ChurnTimeToLoss: Codable, Sendable, Hashable {
    /// Losses whose customer had been followed up (the others are not timed).
    public var timed: Int
    /// Their days, summed.
    public var totalDays: Int
    /// totalDays / timed; `nil` when none was timed.
    public var averageDays: Double?
    /// The timed losses by range of days, in the order of ``ChurnDaysBucket/all``.
    public var buckets: [ChurnBucketCount]
}

/// How many losses fall in one range of days.
public struct ChurnBucketCount: Codable, Sendable, Hashable {
    /// The range.
    public var bucket: ChurnDaysBucket
    /// The losses in it.
    public var count: Int
}

/// Why opportunities were lost in a period, the most frequent reason first.
public struct ChurnReasons: Codable, Sendable, Hashable {
    /// The period asked for.
    public var period: String
    /// The months summed, `yyyy-mm`.
    public var months: [String]
    /// All losses of the period.
    public var lost: Int
    /// Reasons by count, descending (ties by reason); rank 1 is the most frequent, and equal
    /// counts share a rank.
    public var reasons: [ChurnReason]
}

/// One reason for losing.
public struct ChurnReason: Codable, Sendable, Hashable {
    /// 1 for the most frequent; equal counts share the rank.
    public var rank: Int
    /// The reason as entered, trimmed; `(no reason)` when empty.
    public var reason: String
    /// How many losses gave it.
    public var count: Int
    /// Its part of all losses of the period, 0-1.
    public var share: Double
}

/// What came back in a period.
public struct ChurnWinBacks: Codable, Sendable, Hashable {
    /// The period asked for.
    public var period: String
    /// The months summed, `yyyy-mm`.
    public var months: [String]
    /// Customers claimed from the pool after a release.
    public var reclaimedCustomers: Int
    /// Lost opportunities reopened.
    public var reopenedOpportunities: Int
    /// Customers who signed a contract after losing an opportunity.
    public var contractsAfterLoss: Int
    /// All three.
    public var total: Int
}

/// Customers month by month.
public struct ChurnCustomerFlow: Codable, Sendable, Hashable {
    /// The first month, `yyyy-mm`.
    public var from: String
    /// The last month, included.
    public var to: String
    /// Every month from `from` to `to`, months without events included.
    public var months: [ChurnMonthFlow]
}

/// The customers of one month.
public struct ChurnMonthFlow: Codable, Sendable, Hashable {
    /// `yyyy-mm`.
    public var month: String
    /// Customers created in the month.
    public var newCustomers: Int
    /// Customers released to the pool in the month and not claimed back by its end.
    public var lostCustomers: Int
    /// Customers claimed back from the pool after a release.
    public var wonBackCustomers: Int
    /// Customers in the CRM at the end of the month.
    public var totalCustomers: Int
    /// Of those, the ones with an owner (not in the pool).
    public var ownedCustomers: Int
    /// Releases to the pool in the month, including those claimed back within it.
    public var released: Int
    /// Claims from the pool in the month.
    public var claimed: Int
    /// Opportunities lost in the month.
    public var lostOpportunities: Int
    /// Lost opportunities reopened in the month.
    public var reopenedOpportunities: Int
    /// Contracts signed in the month by customers who had lost an opportunity.
    public var contractsAfterLoss: Int
}
