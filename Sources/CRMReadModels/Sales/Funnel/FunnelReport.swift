/// The funnel of a period, for all reps or one.
public struct FunnelReport: Codable, Sendable, Hashable {
    /// The period asked for: `2026-03`, `2026-Q1` or `2026`.
    public var period: String
    /// The months summed, `yyyy-mm`.
    public var months: [String]
    /// The rep asked about; `nil` for every rep.
    public var rep: String?
    /// One row per stage: every stage of the pipeline in force, in pipeline order, then stages
    /// of earlier pipelines that have numbers in the period.
    public var stages: [FunnelStageRow]
    /// Opportunities opened in the period.
    public var opened: Int
    /// Opportunities won and lost in the period (each opportunity with its latest outcome).
    public var won: Int
    public var lost: Int
    /// Won or lost opportunities reopened in the period.
    public var reopened: Int
    /// won / (won + lost); `nil` when nothing was decided.
    public var winRate: Double?
}

/// One stage of a ``FunnelReport``.
public struct FunnelStageRow: Codable, Sendable, Hashable {
    /// The stage's id and name.
    public var stageID: String
    public var name: String
    /// Opportunities opened at this stage.
    public var opened: Int
    /// Opportunities that first entered the stage in the period.
    public var entered: Int
    /// Of those, how many have since reached a later stage or been won.
    public var advanced: Int
    /// advanced / entered; `nil` when none entered.
    public var conversionRate: Double?
    /// Stays at the stage that began in the period and have ended, and their total seconds.
    public var stays: Int
    public var secondsInStage: Int64
    /// secondsInStage / stays, rounded down; `nil` without stays.
    public var averageSecondsInStage: Int64?
    /// The same in days, for reading; `nil` without stays.
    public var averageDaysInStage: Double?
    /// Opportunities won and lost at this stage in the period, and reopened at it.
    public var won: Int
    public var lost: Int
    public var reopened: Int
}
