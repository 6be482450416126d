/// Lost opportunities of a period by the stage they were lost at.
public struct ChurnLossesByStage: Codable, Sendable, Hashable {
    /// The period asked for, and the months summed.
    public var period: String
    public var months: [String]
    /// All opportunities lost in the period.
    public var lost: Int
    /// The time from first follow-up to loss over all stages.
    public var timeToLoss: ChurnTimeToLoss
    /// One row per stage with losses, in pipeline order.
    public var stages: [ChurnStageLosses]
}

/// The losses at one stage.
public struct ChurnStageLosses: Codable, Sendable, Hashable {
    public var stageID: String
    public var name: String
    /// Opportunities lost at the stage.
    public var lost: Int
    /// This stage's part of all losses of the period.
    public var share: Double
    public var timeToLoss: ChurnTimeToLoss
}

/// How long after the customer's first follow-up opportunities were lost, in business days.
public struct ChurnTimeToLoss: Codable, Sendable, Hashable {
    /// Losses whose customer had been followed up (the others are not timed).
    public var timed: Int
    /// Their days, summed, and the mean; `nil` when none was timed.
    public var totalDays: Int
    public var averageDays: Double?
    /// The timed losses by range of days.
    public var buckets: [ChurnBucketCount]
}

/// How many losses fall in one range of days.
public struct ChurnBucketCount: Codable, Sendable, Hashable {
    public var bucket: ChurnDaysBucket
    public var count: Int
}

/// Why opportunities were lost in a period, the most frequent reason first.
public struct ChurnReasons: Codable, Sendable, Hashable {
    public var period: String
    public var months: [String]
    /// All losses of the period.
    public var lost: Int
    /// Reasons by count, descending (ties by reason); rank 1 is the most frequent, and equal
    /// counts share a rank.
    public var reasons: [ChurnReason]
}

/// One reason for losing.
public struct ChurnReason: Codable, Sendable, Hashable {
    public var rank: Int
    public var reason: String
    public var count: Int
    /// Its part of all losses of the period.
    public var share: Double
}

/// What came back in a period.
public struct ChurnWinBacks: Codable, Sendable, Hashable {
    public var period: String
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
    public var from: String
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
    /// Customers in the CRM at the end of the month, and of those the ones with an owner.
    public var totalCustomers: Int
    public var ownedCustomers: Int
    /// Releases to the pool and claims from it in the month (every one, including those
    /// undone within the month).
    public var released: Int
    public var claimed: Int
    /// Opportunities lost, lost ones reopened, and contracts signed after a loss.
    public var lostOpportunities: Int
    public var reopenedOpportunities: Int
    public var contractsAfterLoss: Int
}
