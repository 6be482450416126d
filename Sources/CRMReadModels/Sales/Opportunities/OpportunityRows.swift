public import Foundation

/// An opportunity as an app shows it in a list or on its own page.
public struct OpportunitySummary: Codable, Sendable, Hashable {
    public var opportunityID: String
    public var customerID: String
    public var name: String
    /// The rep who owns it.
    public var ownerID: String
    /// `open`, `won` or `lost`.
    public var status: String
    /// The current stage (the stage it was lost at, for a lost one).
    public var stageID: String
    public var stageName: String
    /// The expected amount while open; the amount won once won.
    public var amount: CustomerMoney
    /// The stage's win probability in the pipeline in force, in percent; 100 once won, 0 once
    /// lost, absent for a stage the pipeline no longer has.
    public var winProbabilityPercent: Int?
    /// `amount` × the win probability, rounded half up, in minor units; absent with it.
    public var weightedAmount: Int64?
    /// When it is expected to close; absent when no date was given.
    public var expectedCloseAt: Date?
    /// The business month (`yyyy-mm`) of `expectedCloseAt`; empty without one.
    public var expectedCloseMonth: String
    public var openedAt: Date
    /// When it was last won or lost; absent while open.
    public var closedAt: Date?
    /// Why it was last won, lost or reopened.
    public var reason: String
    /// Every stay at a stage, oldest first, the current one last and still running while open.
    public var stageHistory: [OpportunityStageStay]
}

/// A stay of an opportunity at one stage.
public struct OpportunityStageStay: Codable, Sendable, Hashable {
    public var stageID: String
    public var enteredAt: Date
    /// When it left the stage (a move, a win or a loss); absent while it is still there.
    public var leftAt: Date?
    /// Seconds at the stage, up to `leftAt` or to the query's time.
    public var seconds: Int64
}

/// One opportunity as the `opportunities` read model keeps it (key: its id).
struct OpportunityRow: Codable, Sendable, Hashable {
    var customerID = ""
    var name = ""
    var ownerID = ""
    var status = "open"
    var stageID = ""
    var amount: Int64 = 0
    var currency = ""
    var expectedCloseAt: Date?
    var expectedCloseMonth = ""
    var openedAt = Date(timeIntervalSince1970: 0)
    var closedAt: Date?
    var reason = ""
    var stays: [Stay] = []

    struct Stay: Codable, Sendable, Hashable {
        var stageID: String
        var enteredAt: Date
        var leftAt: Date?
    }
}

/// An open opportunity in the forecast index (key: `yyyy-mm|opportunity` in `open`, the
/// month it is expected to close, `none` without a date): what a forecast sums.
struct OpenDealRow: Codable, Sendable, Hashable {
    var ownerID: String
    var stageID: String
    var amount: Int64
    var currency: String
}
