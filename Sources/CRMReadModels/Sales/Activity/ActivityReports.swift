/// One rep's activity over a day, an ISO week or a month.
public struct ActivityReport: Codable, Sendable, Hashable {
    /// The rep's user id and name (empty when the log never named them).
    public var rep: String
    public var name: String
    /// The period asked for (`2026-11-27`, `2026-W48`, `2026-11`) and its first and last days.
    public var period: String
    public var from: String
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
    public var counts: ActivityCounts
}

/// Every rep's activity over a day, an ISO week or a month.
public struct TeamActivityReport: Codable, Sendable, Hashable {
    /// The period asked for and its first and last days.
    public var period: String
    public var from: String
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
    public var rep: String
    public var name: String
    public var team: String
    public var totals: ActivityCounts
}
