public import CRMSchema

/// How an open lead's priority score is made: points for its source and its company size,
/// points per campaign response up to a cap, and freshness points that fall with each idle
/// day (days since the lead was created, followed up or qualified), never below zero.
///
/// The weights come from the latest `LeadPriorityConfigured` event at the query's business
/// time, so "my leads by priority" always ranks by the weights in force.
public struct LeadPriority: Sendable, Hashable {
    /// Points by lead source (`website`, `referral`, …); other sources earn none.
    public var sourcePoints: [String: Int]
    /// Points by company size (`1-49`, `50-249`, `250+`); other sizes, and none, earn none.
    public var sizePoints: [String: Int]
    /// Points per campaign response, and the most responses can earn together.
    public var pointsPerCampaignResponse: Int
    public var campaignResponseCap: Int
    /// Points of a lead contacted today, and how many it loses per idle day.
    public var freshPoints: Int
    public var pointsLostPerIdleDay: Int

    /// The weights before any are configured: referrals and trade shows first, bigger
    /// companies first, 10 points per campaign response up to 30, and 30 freshness points
    /// losing 3 a day, so a lead untouched for ten days has lost its freshness.
    public static let defaults = LeadPriority(
        sourcePoints: ["referral": 30, "trade-show": 25, "website": 20, "event": 20, "cold-call": 5],
        sizePoints: ["1-49": 5, "50-249": 15, "250+": 25],
        pointsPerCampaignResponse: 10,
        campaignResponseCap: 30,
        freshPoints: 30,
        pointsLostPerIdleDay: 3
    )

    /// Creates weights; see the properties.
    public init(
        sourcePoints: [String: Int],
        sizePoints: [String: Int],
        pointsPerCampaignResponse: Int,
        campaignResponseCap: Int,
        freshPoints: Int,
        pointsLostPerIdleDay: Int
    ) {
        self.sourcePoints = sourcePoints
        self.sizePoints = sizePoints
        self.pointsPerCampaignResponse = pointsPerCampaignResponse
        self.campaignResponseCap = campaignResponseCap
        self.freshPoints = freshPoints
        self.pointsLostPerIdleDay = pointsLostPerIdleDay
    }

    /// The weights a (validated) `LeadPriorityConfigured` event sets.
    public init(_ configured: CRMLeadPriorityConfigured) {
        self.init(
            sourcePoints: Dictionary(configured.sourcePoints.map { ($0.value, Int($0.points)) }) { _, last in last },
            sizePoints: Dictionary(configured.sizePoints.map { ($0.value, Int($0.points)) }) { _, last in last },
            pointsPerCampaignResponse: Int(configured.pointsPerCampaignResponse),
            campaignResponseCap: Int(configured.campaignResponseCap),
            freshPoints: Int(configured.freshPoints),
            pointsLostPerIdleDay: Int(configured.pointsLostPerIdleDay)
        )
    }

    /// The weights as the event that sets them, lists sorted by value.
    public var configured: CRMLeadPriorityConfigured {
        func points(_ byValue: [String: Int]) -> [CRMLeadPriorityPoints] {
            byValue.sorted { $0.key < $1.key }.map { value, points in
                var entry = CRMLeadPriorityPoints()
                (entry.value, entry.points) = (value, Int32(clamping: points))
                return entry
            }
        }
        var event = CRMLeadPriorityConfigured()
        (event.sourcePoints, event.sizePoints) = (points(sourcePoints), points(sizePoints))
        event.pointsPerCampaignResponse = Int32(clamping: pointsPerCampaignResponse)
        event.campaignResponseCap = Int32(clamping: campaignResponseCap)
        event.freshPoints = Int32(clamping: freshPoints)
        event.pointsLostPerIdleDay = Int32(clamping: pointsLostPerIdleDay)
        return event
    }

    /// One part of a score and why it was given.
    public struct Reason: Sendable, Hashable {
        /// `source`, `company_size`, `campaign_responses` or `freshness`.
        public var factor: String
        /// What the lead had: the source, the size, the number of responses, the idle days.
        public var detail: String
        public var points: Int
    }

    /// The score of a lead with these facts, and its parts (every factor, even at 0 points).
    ///
    /// - Parameters:
    ///   - campaignResponses: the responses recorded for the lead; a negative count is read as 0.
    ///   - idleDays: whole days since its last contact; a negative count is read as 0.
    public func score(
        source: String,
        companySize: String,
        campaignResponses: Int,
        idleDays: Int
    ) -> (total: Int, reasons: [Reason]) {
        let responses = max(0, campaignResponses)
        let idle = max(0, idleDays)
        // Arithmetic saturates: a count from a long history must not trap the query.
        let responsePoints = min(campaignResponseCap, responses.saturatingMultiply(pointsPerCampaignResponse))
        let freshness = max(0, freshPoints.saturatingSubtract(idle.saturatingMultiply(pointsLostPerIdleDay)))
        let reasons = [
            Reason(factor: "source", detail: source, points: sourcePoints[source] ?? 0),
            Reason(factor: "company_size", detail: companySize, points: sizePoints[companySize] ?? 0),
            Reason(factor: "campaign_responses", detail: String(responses), points: responsePoints),
            Reason(factor: "freshness", detail: String(idle), points: freshness),
        ]
        return (reasons.map(\.points).saturatingSum(), reasons)
    }
}

extension LeadPriority {
    /// The most points any one weight may give: four factors of at most this many add up to
    /// a score no sum can overflow.
    public static let maximumPoints: Int32 = 1_000

    /// Checks new weights: every number within 0…``maximumPoints``, values named (at most 100
    /// characters) and listed once, at most 100 of each; lists are returned sorted by value,
    /// so the same weights always make the same event.
    ///
    /// - Throws: `invalid_value` naming the field.
    public static func validate(
        _ configured: CRMLeadPriorityConfigured
    ) throws(DomainError) -> CRMLeadPriorityConfigured {
        func refuse(_ field: String, _ message: String) -> DomainError {
            DomainError(.invalidValue, message, facts: ["field": field])
        }
        func checked(_ points: Int32, _ field: String) throws(DomainError) {
            guard (0...maximumPoints).contains(points) else {
                throw refuse(field, "\(field) must be between 0 and \(maximumPoints), not \(points)")
            }
        }
        func checked(_ list: [CRMLeadPriorityPoints], _ field: String) throws(DomainError) -> [CRMLeadPriorityPoints] {
            guard list.count <= 100 else { throw refuse(field, "at most 100 \(field), not \(list.count)") }
            var seen = Set<String>()
            var cleaned: [CRMLeadPriorityPoints] = []
            for var entry in list {
                entry.value = entry.value.trimmedOfWhitespace()
                guard !entry.value.isEmpty, entry.value.count <= 100 else {
                    throw refuse(field, "every entry of \(field) names a value of 1 to 100 characters")
                }
                guard seen.insert(entry.value).inserted else {
                    throw refuse(field, "\"\(entry.value)\" is listed twice in \(field)")
                }
                try checked(entry.points, field)
                cleaned.append(entry)
            }
            return cleaned.sorted { $0.value < $1.value }
        }
        var valid = configured
        valid.sourcePoints = try checked(configured.sourcePoints, "source_points")
        valid.sizePoints = try checked(configured.sizePoints, "size_points")
        try checked(configured.pointsPerCampaignResponse, "points_per_campaign_response")
        try checked(configured.campaignResponseCap, "campaign_response_cap")
        try checked(configured.freshPoints, "fresh_points")
        try checked(configured.pointsLostPerIdleDay, "points_lost_per_idle_day")
        return valid
    }
}
