import CRMDomain

/// One month × rep × stage of the funnel (key `yyyy-mm|rep|stage`): plain counts and sums, so
/// a quarter or a year is the sum of its months.
///
/// Stage entries, conversions and stays belong to the month the opportunity entered the stage
/// (a cohort: later moves update the row of the month it entered); outcomes and reopens belong
/// to the month they happened.
struct FunnelCell: Codable, Sendable, Hashable {
    /// Opportunities opened at this stage.
    var opened = 0
    /// Opportunities that entered the stage for the first time (opened at it, moved to it, or
    /// reopened at it): each opportunity counts once per stage.
    var entered = 0
    /// Of those, how many went on to a later stage of the pipeline or were won.
    var advanced = 0
    /// Stays in the stage that began this month and have ended (moved on or back, won, lost).
    var stays = 0
    /// Their total length, in seconds.
    var staySeconds: Int64 = 0
    /// Opportunities won at this stage this month, and lost at it. An opportunity counts once,
    /// with its latest outcome: a reopen takes its earlier outcome back.
    var won = 0
    var lost = 0
    /// Won or lost opportunities reopened at this stage this month.
    var reopened = 0

    /// Adds another cell's counts.
    mutating func add(_ other: FunnelCell) {
        opened.saturatingIncrement(by: other.opened)
        entered.saturatingIncrement(by: other.entered)
        advanced.saturatingIncrement(by: other.advanced)
        stays.saturatingIncrement(by: other.stays)
        staySeconds.saturatingIncrement(by: other.staySeconds)
        won.saturatingIncrement(by: other.won)
        lost.saturatingIncrement(by: other.lost)
        reopened.saturatingIncrement(by: other.reopened)
    }
}

/// What the funnel remembers of one opportunity (key: its id) to attribute its next event.
struct FunnelOpportunity: Codable, Sendable, Hashable {
    /// A stage the opportunity has entered: when first, and whether it has gone past it.
    struct Mark: Codable, Sendable, Hashable {
        var stage: String
        /// The month of the first entry: the row its conversion is counted in.
        var month: String
        var advanced = false
    }

    /// The rep who owns it (an opportunity's owner never changes).
    var owner: String
    /// The stage it is at (or was closed at).
    var stage: String
    /// Whether it is open.
    var open = true
    /// When the current stay at ``stage`` began, in ns since the epoch, and its month.
    var stayStart: Int64
    var stayMonth: String
    /// The stages entered, in the order first entered.
    var marks: [Mark] = []
    /// The month its current outcome is counted in (at ``stage``), and whether it is a win.
    var outcomeMonth: String?
    var outcomeWon = false
}
