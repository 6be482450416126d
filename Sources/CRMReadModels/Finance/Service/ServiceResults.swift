/// A count under a key (a complaint category or root cause).
public struct KeyedCount: Codable, Sendable, Hashable {
    /// The category or root cause.
    public var key: String
    /// How many.
    public var count: Int
}

/// Work orders opened and closed, and how long closing took.
public struct WorkOrderStatistics: Codable, Sendable, Hashable {
    /// Opened in the period.
    public var opened: Int
    /// Closed in the period.
    public var closed: Int
    /// Mean whole minutes from opening to closing of those closed, rounded down; `nil` when
    /// none closed.
    public var meanMinutesToClose: Int64?
}

/// Complaints filed and resolved, why, and how long resolving took.
public struct ComplaintStatistics: Codable, Sendable, Hashable {
    /// Filed in the period.
    public var filed: Int
    /// Resolved in the period.
    public var resolved: Int
    /// Filed, by category, most first (then by category).
    public var byCategory: [KeyedCount]
    /// Resolved, by root cause, most first (then by cause).
    public var byRootCause: [KeyedCount]
    /// Mean whole minutes from filing to resolution of those resolved, rounded down; `nil`
    /// when none was resolved.
    public var meanMinutesToResolve: Int64?
}

/// Satisfaction surveys and their scores.
public struct SatisfactionStatistics: Codable, Sendable, Hashable {
    /// Surveys taken.
    public var surveys: Int
    /// How many scored 1, 2, 3, 4 and 5 (index 0 holds the 1s).
    public var scores: [Int]
    /// The mean score in hundredths (450 = 4.50), rounded half up; `nil` without surveys.
    public var averageHundredths: Int?
}

/// After-sales figures of a period, a month or a rep.
public struct ServiceStatistics: Codable, Sendable, Hashable {
    /// Work orders.
    public var workOrders: WorkOrderStatistics
    /// Complaints.
    public var complaints: ComplaintStatistics
    /// Satisfaction surveys.
    public var satisfaction: SatisfactionStatistics
}

/// One month's figures.
public struct ServiceMonth: Codable, Sendable, Hashable {
    /// `yyyy-mm`.
    public var month: String
    /// Its figures.
    public var statistics: ServiceStatistics
}

/// One rep's figures: for customers they owned when the work order was opened, the complaint
/// filed or the survey taken. An empty rep is the public pool.
public struct ServiceRep: Codable, Sendable, Hashable {
    /// The rep's user id.
    public var repID: String
    /// Their figures.
    public var statistics: ServiceStatistics
}

/// Work orders and complaints open now.
public struct ServiceOpenItems: Codable, Sendable, Hashable {
    /// Work orders opened and not yet closed.
    public var workOrders: Int
    /// Complaints filed and not yet resolved.
    public var complaints: Int
    /// Per rep, those with anything open, by rep.
    public var byRep: [ServiceOpenByRep]
}

/// One rep's open work orders and complaints.
public struct ServiceOpenByRep: Codable, Sendable, Hashable {
    /// The rep (empty: the public pool).
    public var repID: String
    /// Work orders open.
    public var workOrders: Int
    /// Complaints open.
    public var complaints: Int
}
