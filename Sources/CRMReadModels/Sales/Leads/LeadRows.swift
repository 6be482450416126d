public import Foundation

/// One lead as the `leads` read model keeps it (key: lead id in `leads`).
struct LeadRow: Codable, Sendable, Hashable {
    var companyName = ""
    var contactName = ""
    var phone = ""
    var email = ""
    var creditCode = ""
    var source = ""
    var campaignID = ""
    var companySize = ""
    /// Empty while unassigned.
    var ownerID = ""
    /// `open`, `qualified`, `disqualified` or `converted`.
    var status = "open"
    var createdAt = Date(timeIntervalSince1970: 0)
    var createdBy = ""
    /// The latest of its creation, follow-ups and qualification: where its idle days start.
    var lastContactAt = Date(timeIntervalSince1970: 0)
    /// The next contact the latest follow-up planned, if it planned one.
    var nextContactAt: Date?
    var followUps = 0
    var campaignResponses = 0
    /// Whether it was ever qualified (a qualified lead may still be disqualified).
    var wasQualified = false
    var disqualifiedReason = ""
    /// What it was converted into.
    var customerID = ""
    var contactID = ""
    var opportunityID = ""
    /// Whether the opportunity it was converted into is won now.
    var won = false
    /// How many timeline entries it has (`timeline` keys `lead|n`, n from 0).
    var timelineCount = 0
    /// The key of the `cohorts` cell it counts in.
    var cohort = ""
}

/// One entry of a lead's timeline (key: `lead|n` in `timeline`, n zero-padded).
public struct LeadTimelineEntry: Codable, Sendable, Hashable {
    /// The event's position in the log.
    public var position: UInt64
    /// The event's type, e.g. `crm.v1.LeadAssigned`.
    public var type: String
    /// Business time.
    public var occurredAt: Date
    /// Who did it.
    public var actor: String
    /// What happened, for a person: "assigned to u-2", "call: asked for a demo", …
    public var summary: String
}

/// The leads created in one month from one source and campaign and held by one rep, and how
/// far they went (key: `month|rep|source|campaign`, each part escaped by
/// ``LeadsProjector/keyPart(_:)``).
struct LeadCohortCell: Codable, Sendable, Hashable {
    var month = ""
    var rep = ""
    var source = ""
    var campaignID = ""
    /// Leads created.
    var leads = 0
    /// Of those, qualified at some point (converted ones included).
    var qualified = 0
    /// Of those, converted into a customer.
    var converted = 0
    /// Of those, whose opportunity is won.
    var won = 0

    var isEmpty: Bool { leads == 0 && qualified == 0 && converted == 0 && won == 0 }
}
