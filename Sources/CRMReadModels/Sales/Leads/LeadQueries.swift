public import CRMDomain
public import Foundation
public import Projections

/// A lead as an app shows it in a list or on its own page, with its priority score at the
/// time of the query and the reasons for it.
public struct LeadSummary: Codable, Sendable, Hashable {
    public var leadID: String
    public var companyName: String
    public var contactName: String
    public var phone: String
    public var email: String
    public var creditCode: String
    public var source: String
    public var campaignID: String
    public var companySize: String
    /// Empty while unassigned.
    public var ownerID: String
    /// `open`, `qualified`, `disqualified` or `converted`.
    public var status: String
    public var createdAt: Date
    public var createdBy: String
    /// The latest of its creation, follow-ups and qualification.
    public var lastContactAt: Date
    /// Whole days from the last contact to the query's time.
    public var idleDays: Int
    /// The next contact the latest follow-up planned; absent when none is planned.
    public var nextContactAt: Date?
    public var followUps: Int
    public var campaignResponses: Int
    /// Why it was disqualified; absent unless it was.
    public var disqualifiedReason: String?
    /// What it was converted into; absent until it was.
    public var customerID: String?
    public var opportunityID: String?
    /// The priority score by the weights in force (0 for a closed lead, which needs no work),
    /// and its parts.
    public var priority: Int
    public var priorityReasons: [LeadPriorityReason]
}

/// One part of a lead's priority score.
public struct LeadPriorityReason: Codable, Sendable, Hashable {
    /// `source`, `company_size`, `campaign_responses` or `freshness`.
    public var factor: String
    /// What the lead had: its source, its size, its number of responses, its idle days.
    public var detail: String
    public var points: Int
}

/// Which leads a list shows; every filter left `nil` lets all through.
public struct LeadFilter: Sendable, Hashable {
    /// Only leads held by these users (the empty id: unassigned ones).
    public var owners: [String]?
    public var status: String?
    public var source: String?
    public var campaignID: String?
    /// Created at or after `createdFrom` and before `createdTo`.
    public var createdFrom: Date?
    public var createdTo: Date?

    /// No filter.
    public init() {}

    /// The statuses a lead can have.
    public static let statuses: Set<String> = ["open", "qualified", "disqualified", "converted"]
}

/// How a lead list is ordered.
public enum LeadOrder: String, Sendable, Hashable, CaseIterable {
    /// Highest priority first (open and qualified leads before closed ones), then oldest first.
    case priority
    /// Newest first.
    case created
    /// By id.
    case id
}

/// Reads the leads (``LeadsProjector``) from the read-model store.
public struct LeadQueries: Sendable {
    /// The store the leads were built into.
    public let store: ReadModelStore

    /// Queries over `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    /// The leads `filter` lets through, in `order`, scored by `weights` at `now`.
    ///
    /// Owners are read by prefix (a rep's leads are one range of keys); with no owner filter
    /// every lead is read.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed owner or
    ///   campaign id, an unknown status, or `createdFrom` after `createdTo`;
    ///   ``ProjectionError`` when the store cannot be read.
    public func leads(
        _ filter: LeadFilter,
        order: LeadOrder = .priority,
        weights: LeadPriority,
        now: Date
    ) throws -> [LeadSummary] {
        try check(filter)
        var found: [(String, LeadRow)] = []
        if let owners = filter.owners {
            for owner in Set(owners).sorted() {
                for (key, _) in try store.rows(
                    Bool.self,
                    projector: LeadsProjector.name,
                    table: "byOwner",
                    prefix: owner + "|"
                ) {
                    let leadID = String(key.dropFirst(owner.utf8.count + 1))
                    if let row = try row(leadID) { found.append((leadID, row)) }
                }
            }
        } else {
            found = try store.rows(LeadRow.self, projector: LeadsProjector.name, table: "leads").map {
                ($0.key, $0.row)
            }
        }
        let summaries = found.filter { matches($0.1, filter) }.map { summary($0.0, $0.1, weights: weights, now: now) }
        switch order {
        case .priority:
            return summaries.sorted {
                ($0.priority, $1.createdAt, $1.leadID) > ($1.priority, $0.createdAt, $0.leadID)
            }
        case .created:
            return summaries.sorted { ($0.createdAt, $0.leadID) > ($1.createdAt, $1.leadID) }
        case .id:
            return summaries.sorted { $0.leadID < $1.leadID }
        }
    }

    /// Lead `id`, scored by `weights` at `now`.
    ///
    /// - Throws: ``ReadModelQueryError`` `not_found` for a lead the log does not know.
    public func lead(id: String, weights: LeadPriority, now: Date) throws -> LeadSummary {
        try CustomerQueryParameters.requireID(id, "lead")
        guard let row = try row(id) else { throw ReadModelQueryError(.notFound, "no lead \(id)", parameter: "lead") }
        return summary(id, row, weights: weights, now: now)
    }

    /// Lead `id`'s timeline in log order: at most `limit` entries after position `after`, and
    /// the position to pass as `after` for the next page (`nil` on the last).
    ///
    /// - Throws: ``ReadModelQueryError`` `not_found` for an unknown lead; `invalid_query_parameter`
    ///   for a limit outside 1…1000.
    public func timeline(
        of id: String,
        after: UInt64? = nil,
        limit: Int = 100
    ) throws -> (entries: [LeadTimelineEntry], next: UInt64?) {
        try CustomerQueryParameters.requireLimit(limit)
        try CustomerQueryParameters.requireID(id, "lead")
        guard try row(id) != nil else { throw ReadModelQueryError(.notFound, "no lead \(id)", parameter: "lead") }
        var entries: [LeadTimelineEntry] = []
        // One more than asked says whether another page follows.
        for (_, entry) in try store.rows(
            LeadTimelineEntry.self,
            projector: LeadsProjector.name,
            table: "timeline",
            prefix: id + "|"
        ) where entry.position > (after ?? 0) {
            entries.append(entry)
            if entries.count > limit { break }
        }
        guard entries.count > limit else { return (entries, nil) }
        entries.removeLast()
        return (entries, entries.last?.position)
    }

    // MARK: - Reading

    private func row(_ id: String) throws -> LeadRow? {
        try store.row(LeadRow.self, projector: LeadsProjector.name, table: "leads", key: id)
    }

    private func check(_ filter: LeadFilter) throws(ReadModelQueryError) {
        for owner in filter.owners ?? [] where !owner.isEmpty { try CustomerQueryParameters.requireID(owner, "owner") }
        if let campaign = filter.campaignID { try CustomerQueryParameters.requireID(campaign, "campaign") }
        if let status = filter.status, !LeadFilter.statuses.contains(status) {
            throw .invalid(
                "status",
                "status must be one of \(LeadFilter.statuses.sorted().joined(separator: ", ")), not \"\(status)\""
            )
        }
        if let from = filter.createdFrom, let to = filter.createdTo, from > to {
            throw .invalid("createdFrom", "createdFrom comes after createdTo")
        }
    }

    private func matches(_ lead: LeadRow, _ filter: LeadFilter) -> Bool {
        if let status = filter.status, lead.status != status { return false }
        if let source = filter.source, lead.source != source { return false }
        if let campaign = filter.campaignID, lead.campaignID != campaign { return false }
        if let from = filter.createdFrom, lead.createdAt < from { return false }
        if let to = filter.createdTo, lead.createdAt >= to { return false }
        return true
    }

    private func summary(_ id: String, _ lead: LeadRow, weights: LeadPriority, now: Date) -> LeadSummary {
        let idle = now.timeIntervalSince(lead.lastContactAt) / 86_400
        // A time far outside any business window must not trap the conversion.
        let idleDays = idle.isFinite ? Int(max(0, min(idle, 1e6)).rounded(.down)) : 0
        let open = lead.status == "open" || lead.status == "qualified"
        let score = weights.score(
            source: lead.source,
            companySize: lead.companySize,
            campaignResponses: lead.campaignResponses,
            idleDays: idleDays
        )
        return LeadSummary(
            leadID: id,
            companyName: lead.companyName,
            contactName: lead.contactName,
            phone: lead.phone,
            email: lead.email,
            creditCode: lead.creditCode,
            source: lead.source,
            campaignID: lead.campaignID,
            companySize: lead.companySize,
            ownerID: lead.ownerID,
            status: lead.status,
            createdAt: lead.createdAt,
            createdBy: lead.createdBy,
            lastContactAt: lead.lastContactAt,
            idleDays: idleDays,
            nextContactAt: lead.nextContactAt,
            followUps: lead.followUps,
            campaignResponses: lead.campaignResponses,
            disqualifiedReason: lead.status == "disqualified" ? lead.disqualifiedReason : nil,
            customerID: lead.customerID.isEmpty ? nil : lead.customerID,
            opportunityID: lead.opportunityID.isEmpty ? nil : lead.opportunityID,
            priority: open ? score.total : 0,
            priorityReasons: score.reasons.map {
                LeadPriorityReason(factor: $0.factor, detail: $0.detail, points: open ? $0.points : 0)
            }
        )
    }
}
