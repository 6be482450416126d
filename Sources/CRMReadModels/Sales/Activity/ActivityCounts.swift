import CRMDomain

/// What a rep did in a day, a week or a month: the numbers sales staff used to type into
/// their daily, weekly and monthly reports.
///
/// Stored per rep and day; a week or a month is the sum of its days.
public struct ActivityCounts: Codable, Sendable, Hashable {
    /// Follow-ups logged by the rep as phone calls.
    public var calls = 0
    /// Follow-ups logged as visits.
    public var visits = 0
    /// Follow-ups logged as emails.
    public var emails = 0
    /// Follow-ups logged as instant messages (WeChat and the like).
    public var instantMessages = 0
    /// Follow-ups with no known channel (old entries whose free-text channel was not understood).
    public var otherFollowUps = 0
    /// All follow-ups, whatever the channel.
    public var followUps = 0
    /// Leads that became the rep's: created with the rep as owner (or by the rep, unassigned),
    /// or assigned to the rep; each lead counts once per rep, on the day it first became theirs.
    public var newLeads = 0
    /// Customers the rep claimed from the public pool.
    public var claims = 0
    /// Customers the rep released to the pool.
    public var releases = 0
    /// The rep's customers sent to the pool by others: the idle sweep, a manager, a departure.
    public var lostToPool = 0
    /// Opportunities opened for the rep (as their owner).
    public var opportunitiesOpened = 0
    /// Quotes made to the rep's customers (the quote's owner).
    public var quotesSent = 0
    /// The rep's contracts that became binding: at once, or on the last approval.
    public var contractsSigned = 0

    /// No activity.
    public init() {}

    /// Whether nothing was done.
    public var isEmpty: Bool { self == ActivityCounts() }

    /// Adds another day's (or rep's) counts.
    public mutating func add(_ other: ActivityCounts) {
        calls.saturatingIncrement(by: other.calls)
        visits.saturatingIncrement(by: other.visits)
        emails.saturatingIncrement(by: other.emails)
        instantMessages.saturatingIncrement(by: other.instantMessages)
        otherFollowUps.saturatingIncrement(by: other.otherFollowUps)
        followUps.saturatingIncrement(by: other.followUps)
        newLeads.saturatingIncrement(by: other.newLeads)
        claims.saturatingIncrement(by: other.claims)
        releases.saturatingIncrement(by: other.releases)
        lostToPool.saturatingIncrement(by: other.lostToPool)
        opportunitiesOpened.saturatingIncrement(by: other.opportunitiesOpened)
        quotesSent.saturatingIncrement(by: other.quotesSent)
        contractsSigned.saturatingIncrement(by: other.contractsSigned)
    }
}

/// A user as the activity reports list them (key: user id in `reps`).
struct ActivityRep: Codable, Sendable, Hashable {
    var name = ""
    var team = ""
    /// Whether the user is an active sales rep: team reports list every one, with or
    /// without activity; other users are listed when they did something.
    var salesRep = false
}

/// The reps already credited with a lead (key: lead id in `leads`), so each counts once.
struct ActivityLead: Codable, Sendable, Hashable {
    var credited: [String] = []
}

/// A contract awaiting approval (key: contract id in `contracts`): whose it is.
struct ActivityContract: Codable, Sendable, Hashable {
    var owner: String
}
