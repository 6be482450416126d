import CRMDomain
import CRMSchema
import EventStore
import Foundation
public import Projections
import SwiftProtobuf

/// The leads as the reps and managers who work them see them: each lead's facts, owner,
/// status, contacts and campaign responses, its timeline, and how the leads of each month,
/// source, campaign and rep went on (qualified, converted, won).
///
/// Tables:
/// - `leads`, lead id → ``LeadRow``.
/// - `byOwner`, `owner|lead` → `true` (owner empty for an unassigned lead, so `|` is the
///   prefix of the unassigned): a rep's leads are one prefix read.
/// - `timeline`, `lead|n` (n zero-padded to 6 digits) → ``LeadTimelineEntry``.
/// - `cohorts`, `month|rep|source|campaign` → ``LeadCohortCell``: a lead counts in the cell
///   of the month it was created in, with its current owner (a reassignment moves it).
/// - `opportunities`, opportunity id → lead id, for the opportunities leads converted into,
///   whose wins count for the lead.
public final class LeadsProjector: Projector {
    /// The read model's name, which its rows and checkpoint are stored under.
    public static let name = "leads"
    /// The projection logic's version: changing it rebuilds the read model.
    public static let version: UInt32 = 1
    /// The events the read model reads.
    public static let eventTypes: Set<String> = [
        CRMLeadCreated.protoMessageName,
        CRMLeadAssigned.protoMessageName,
        CRMLeadFollowedUp.protoMessageName,
        CRMLeadQualified.protoMessageName,
        CRMLeadDisqualified.protoMessageName,
        CRMLeadConverted.protoMessageName,
        CRMCampaignResponded.protoMessageName,
        CRMOpportunityWon.protoMessageName,
        CRMOpportunityReopened.protoMessageName,
    ]

    let leads = ReadModelTable<LeadRow>("leads")
    let byOwner = ReadModelTable<Bool>("byOwner")
    let timeline = ReadModelTable<LeadTimelineEntry>("timeline")
    let cohorts = ReadModelTable<LeadCohortCell>("cohorts")
    let opportunities = ReadModelTable<String>("opportunities")

    /// No leads.
    public init() {}

    /// The tables holding the read model's state.
    public var tables: [any ReadModelTableProtocol] { [leads, byOwner, timeline, cohorts, opportunities] }

    /// Applies one event to the tables.
    public func apply(_ event: CRMEvent) throws {
        let time = event.occurredAt.date
        switch event.payload {
        case let created as CRMLeadCreated:
            create(created, event)
        case let followedUp as CRMLeadFollowedUp:
            let channel = Self.channelName(followedUp.channel)
            change(followedUp.leadID, event, followedUp.note.isEmpty ? channel : "\(channel): \(followedUp.note)") {
                $0.lastContactAt = max($0.lastContactAt, time)
                $0.nextContactAt = followedUp.hasNextContactAt ? followedUp.nextContactAt.date : nil
                $0.followUps += 1
            }
        case let assigned as CRMLeadAssigned:
            let to = assigned.toOwnerID
            change(assigned.leadID, event, to.isEmpty ? "unassigned" : "assigned to \(to)") { lead in
                byOwner["\(lead.ownerID)|\(assigned.leadID)"] = nil
                byOwner["\(to)|\(assigned.leadID)"] = true
                lead.ownerID = to
            }
        case let qualified as CRMLeadQualified:
            change(qualified.leadID, event, qualified.note.isEmpty ? "qualified" : "qualified: \(qualified.note)") {
                $0.status = "qualified"
                $0.wasQualified = true
                $0.lastContactAt = max($0.lastContactAt, time)
            }
        case let disqualified as CRMLeadDisqualified:
            change(disqualified.leadID, event, "disqualified: \(disqualified.reason)") {
                $0.status = "disqualified"
                $0.disqualifiedReason = disqualified.reason
            }
        case let converted as CRMLeadConverted:
            opportunities[converted.opportunityID] = converted.leadID
            change(converted.leadID, event, "converted into customer \(converted.customerID)") {
                $0.status = "converted"
                ($0.customerID, $0.contactID, $0.opportunityID) = (
                    converted.customerID, converted.contactID, converted.opportunityID
                )
            }
        case let responded as CRMCampaignResponded where !responded.leadID.isEmpty:
            change(responded.leadID, event, "responded to campaign \(responded.campaignID): \(responded.response)") {
                $0.campaignResponses += 1
            }
        case let won as CRMOpportunityWon:
            guard let leadID = opportunities[won.opportunityID] else { return }
            change(leadID, nil, "") { $0.won = true }
        case let reopened as CRMOpportunityReopened:
            guard let leadID = opportunities[reopened.opportunityID] else { return }
            change(leadID, nil, "") { $0.won = false }
        default:
            break
        }
    }

    private func create(_ created: CRMLeadCreated, _ event: CRMEvent) {
        var lead = LeadRow()
        (lead.companyName, lead.contactName, lead.phone, lead.email, lead.creditCode) = (
            created.companyName, created.contactName, created.phone, created.email, created.creditCode
        )
        (lead.source, lead.campaignID, lead.companySize, lead.ownerID) = (
            created.source, created.campaignID, created.companySize, created.ownerID
        )
        (lead.createdAt, lead.lastContactAt, lead.createdBy) = (
            event.occurredAt.date, event.occurredAt.date, event.actor
        )
        let month = SalesCalendar.month(BusinessDay(event.occurredAt))
        lead.cohort = Self.cohortKey(month: month, lead)
        addEntry(
            to: &lead,
            created.leadID,
            event,
            "created from \(created.source.isEmpty ? "no source" : created.source)"
        )
        count(lead, in: month, sign: 1)
        leads[created.leadID] = lead
        byOwner["\(lead.ownerID)|\(created.leadID)"] = true
    }

    /// Changes a known lead, moving its counts to the cell it belongs in afterwards, and adds
    /// `event` to its timeline (`nil`: an event of another stream that only changes figures).
    private func change(_ leadID: String, _ event: CRMEvent?, _ summary: String, _ body: (inout LeadRow) -> Void) {
        guard var lead = leads[leadID] else { return }
        let month = String(lead.cohort.prefix(while: { $0 != "|" }))
        count(lead, in: month, sign: -1)
        body(&lead)
        if let event { addEntry(to: &lead, leadID, event, summary) }
        lead.cohort = Self.cohortKey(month: month, lead)
        count(lead, in: month, sign: 1)
        leads[leadID] = lead
    }

    private func addEntry(to lead: inout LeadRow, _ leadID: String, _ event: CRMEvent, _ summary: String) {
        timeline[Self.timelineKey(leadID, lead.timelineCount)] = LeadTimelineEntry(
            position: event.position,
            type: event.type,
            occurredAt: event.occurredAt.date,
            actor: event.actor,
            summary: summary
        )
        lead.timelineCount += 1
    }

    /// Adds (`sign` 1) or takes back (-1) what `lead` counts for in its cohort cell.
    private func count(_ lead: LeadRow, in month: String, sign: Int) {
        cohorts.update(lead.cohort, default: LeadCohortCell()) { cell in
            (cell.month, cell.rep, cell.source, cell.campaignID) = (month, lead.ownerID, lead.source, lead.campaignID)
            cell.leads += sign
            if lead.wasQualified { cell.qualified += sign }
            if lead.status == "converted" { cell.converted += sign }
            if lead.won { cell.won += sign }
        }
        if cohorts[lead.cohort]?.isEmpty == true { cohorts[lead.cohort] = nil }
    }

    // MARK: - Keys

    /// The key of a lead's `n`th timeline entry: `n` zero-padded so keys sort in order.
    static func timelineKey(_ leadID: String, _ n: Int) -> String {
        let digits = String(n)
        return leadID + "|" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    static func cohortKey(month: String, _ lead: LeadRow) -> String {
        [month, lead.ownerID, lead.source, lead.campaignID].map(keyPart).joined(separator: "|")
    }

    /// A free-text value made safe to join with `|`: `%` and `|` are percent-escaped.
    static func keyPart(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "%") }) else { return value }
        return value.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "|", with: "%7C")
    }

    /// The channel's name in the API.
    static func channelName(_ channel: CRMFollowUpChannel) -> String {
        switch channel {
        case .call: "call"
        case .visit: "visit"
        case .email: "email"
        case .im: "im"
        default: "follow-up"
        }
    }
}
