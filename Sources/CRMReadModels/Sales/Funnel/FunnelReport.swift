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
    /// Opportunities won in the period (each opportunity counts once, with its latest outcome).
    public var won: Int
    /// Opportunities lost in the period and not reopened since.
    public var lost: Int
    /// Won or lost opportunities reopened in the period.
    public var reopened: Int
    /// won / (won + lost); `nil` when nothing was decided.
    public var winRate: Double?
}

/// One stage of a ``FunnelReport``.
public struct FunnelStageRow: Codable, Sendable, Hashable {
    /// The stage's id.
    public var stageID: String
    /// The stage's name in the pipeline (the id for a stage no pipeline named).
    public var name: String
    /// Opportunities opened at this stage.
    public var opened: Int
    /// Opportunities that first entered the stage in the period.
    public var entered: Int
    /// Of those, how many have since reached a later stage or been won.
    public var advanced: Int
    /// advanced / entered; `nil` when none entered.
    public var conversionRate: Double?
    /// Stays at the stage that began in the period and have ended.
    public var stays: Int
    /// Those stays' total length, in seconds.
    public var secondsInStage: Int64
    /// secondsInStage / stays, rounded down; `nil` without stays.
    public var averageSecondsInStage: Int64?
    /// The same in days, for reading; `nil` without stays.
    public var averageDaysInStage: Double?
    /// Opportunities won at this stage in the period.
    public var won: Int
    /// Opportunities lost at this stage in the period and not reopened since.
    public var lost: Int
    /// Opportunities reopened at this stage in the period.
    public var reopened: Int
}
