/// What a rep did in a day, a week or a month: the numbers sales staff used to type into
/// their daily, weekly and monthly reports.
///
/// Stored per rep and day; a week or a month is the sum of its days.
public struct ActivityCounts: Codable, Sendable, Hashable {
    /// Follow-ups logged by the rep, by channel: phone calls, visits, emails, instant messages,
    /// and those with no channel given.
    public var calls = 0
    public var visits = 0
    public var emails = 0
    public var instantMessages = 0
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
        calls += other.calls
        visits += other.visits
        emails += other.emails
        instantMessages += other.instantMessages
        otherFollowUps += other.otherFollowUps
        followUps += other.followUps
        newLeads += other.newLeads
        claims += other.claims
        releases += other.releases
        lostToPool += other.lostToPool
        opportunitiesOpened += other.opportunitiesOpened
        quotesSent += other.quotesSent
        contractsSigned += other.contractsSigned
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
