/// One rep's activity over a day, an ISO week or a month.
public struct ActivityReport: Codable, Sendable, Hashable {
    /// The rep's user id.
    public var rep: String
    /// The rep's name; empty when the log never named them.
    public var name: String
    /// The period asked for: `2026-11-27`, `2026-W48` or `2026-11`.
    public var period: String
    /// Its first day, `yyyy-mm-dd`.
    public var from: String
    /// Its last day, included.
    public var to: String
    /// The sums over the period.
    public var totals: ActivityCounts
    /// The days with activity, in order.
    public var days: [ActivityDay]
}

/// A rep's activity on one day.
public struct ActivityDay: Codable, Sendable, Hashable {
    /// `yyyy-mm-dd`.
    public var day: String
    /// What was done that day.
    public var counts: ActivityCounts
}

/// Every rep's activity over a day, an ISO week or a month.
public struct TeamActivityReport: Codable, Sendable, Hashable {
    /// The period asked for.
    public var period: String
    /// Its first day, `yyyy-mm-dd`.
    public var from: String
    /// Its last day, included.
    public var to: String
    /// The team asked about; `nil` for everyone.
    public var team: String?
    /// Each active sales rep (of the team), and any other user with activity in the period,
    /// by name then id.
    public var reps: [TeamActivityRow]
    /// The sums over all of them.
    public var totals: ActivityCounts
}

/// One rep in a ``TeamActivityReport``.
public struct TeamActivityRow: Codable, Sendable, Hashable {
    /// The rep's user id.
    public var rep: String
    /// The rep's name; empty when the log never named them.
    public var name: String
    /// The rep's team now; empty when none.
    public var team: String
    /// The sums over the period.
    public var totals: ActivityCounts
}
