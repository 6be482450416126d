import CRMSchema
import EventStore
public import Projections
import SwiftProtobuf

/// Activity reports: per rep and business day, the follow-ups by channel, new leads, claims,
/// releases, opportunities, quotes and contracts (see ``ActivityCounts`` for each count's rule).
///
/// Tables:
/// - `days`, `rep|yyyy-mm-dd` → ``ActivityCounts``: a rep's week or month is one prefix range
///   of at most 31 rows.
/// - `reps`, user id → ``ActivityRep``: who to list in a team report.
/// - `leads`, `contracts`: the reps credited with each open lead (a converted or disqualified
///   lead can no longer be assigned, so its row goes), and the owner of each contract
///   awaiting approval.
///
/// Whose activity it is: a follow-up is the acting user's (it names no rep); a lead is its
/// owner's (its creator's when a sales rep created it unassigned) and each assignee's; a claim, the claiming
/// rep's; a release, the customer's previous owner's; an opportunity, a quote or a contract,
/// its owner's. A day is the business day (China time) of the event's business time.
public final class ActivityProjector: Projector {
    /// The read model's name, which its rows and checkpoint are stored under.
    public static let name = "activity"
    /// The projection logic's version: changing it rebuilds the read model.
    public static let version: UInt32 = 1
    /// The events the read model reads.
    public static let eventTypes: Set<String> = [
        CRMFollowUpLogged.protoMessageName,
        CRMLeadCreated.protoMessageName,
        CRMLeadAssigned.protoMessageName,
        CRMLeadConverted.protoMessageName,
        CRMLeadDisqualified.protoMessageName,
        CRMCustomerOwnershipChanged.protoMessageName,
        CRMOpportunityOpened.protoMessageName,
        CRMQuoteCreated.protoMessageName,
        CRMContractDrafted.protoMessageName,
        CRMContractApproved.protoMessageName,
        CRMContractRejected.protoMessageName,
        CRMUserAdded.protoMessageName,
        CRMUserMovedToTeam.protoMessageName,
        CRMUserRoleChanged.protoMessageName,
        CRMUserDeactivated.protoMessageName,
    ]

    let days = ReadModelTable<ActivityCounts>("days")
    let reps = ReadModelTable<ActivityRep>("reps")
    let leads = ReadModelTable<ActivityLead>("leads")
    let contracts = ReadModelTable<ActivityContract>("contracts")

    /// Empty reports.
    public init() {}

    /// The tables holding the read model's state.
    public var tables: [any ReadModelTableProtocol] { [days, reps, leads, contracts] }

    /// Applies one event to the tables.
    public func apply(_ event: CRMEvent) throws {
        let time = event.occurredAt
        // The most frequent events first: each case tried is a dynamic cast.
        switch event.payload {
        case let followUp as CRMFollowUpLogged:
            count(event.actor, at: time) { counts in
                counts.followUps += 1
                switch followUp.channel {
                case .call: counts.calls += 1
                case .visit: counts.visits += 1
                case .email: counts.emails += 1
                case .im: counts.instantMessages += 1
                default: counts.otherFollowUps += 1
                }
            }
        case let change as CRMCustomerOwnershipChanged:
            if change.reason == .claimed {
                count(change.toOwnerID, at: time) { $0.claims += 1 }
            } else if change.toOwnerID.isEmpty {
                let byRep = change.reason == .releasedByRep
                count(change.fromOwnerID, at: time) { counts in
                    if byRep { counts.releases += 1 } else { counts.lostToPool += 1 }
                }
            }
        case let converted as CRMLeadConverted:
            forget(lead: converted.leadID)
        case let disqualified as CRMLeadDisqualified:
            forget(lead: disqualified.leadID)
        case let created as CRMLeadCreated:
            // An unassigned lead is its creator's only when a sales rep typed it in; leads an
            // admin or a manager enters are counted when they are assigned.
            let rep = created.ownerID.isEmpty && reps[event.actor]?.salesRep == true ? event.actor : created.ownerID
            credit(lead: created.leadID, to: rep, at: time)
        case let assigned as CRMLeadAssigned:
            credit(lead: assigned.leadID, to: assigned.toOwnerID, at: time)
        case let opened as CRMOpportunityOpened:
            count(opened.ownerID, at: time) { $0.opportunitiesOpened += 1 }
        case let quote as CRMQuoteCreated:
            count(quote.ownerID, at: time) { $0.quotesSent += 1 }
        case let drafted as CRMContractDrafted:
            if drafted.approvalChain.isEmpty {
                count(drafted.ownerID, at: time) { $0.contractsSigned += 1 }
            } else {
                contracts[drafted.contractID] = ActivityContract(owner: drafted.ownerID)
            }
        case let approved as CRMContractApproved:
            guard approved.binding, let contract = contracts[approved.contractID] else { return }
            contracts[approved.contractID] = nil
            count(contract.owner, at: time) { $0.contractsSigned += 1 }
        case let rejected as CRMContractRejected:
            if contracts.contains(rejected.contractID) { contracts[rejected.contractID] = nil }
        case let added as CRMUserAdded:
            reps[added.userID] = ActivityRep(name: added.name, team: added.teamID, salesRep: added.role == .salesRep)
        case let moved as CRMUserMovedToTeam:
            reps.updateIfPresent(moved.userID) { $0.team = moved.toTeamID }
        case let changed as CRMUserRoleChanged:
            reps.updateIfPresent(changed.userID) { $0.salesRep = changed.toRole == .salesRep }
        case let deactivated as CRMUserDeactivated:
            reps.updateIfPresent(deactivated.userID) { $0.salesRep = false }
        default:
            break
        }
    }

    /// Counts something `rep` did on the business day of `time`.
    private func count(_ rep: String, at time: Timestamp, _ change: (inout ActivityCounts) -> Void) {
        // Only ids that fit a key are counted: an empty owner means nobody.
        guard SalesKey.fits(rep) else { return }
        if !reps.contains(rep) { reps[rep] = ActivityRep() }
        days.update(SalesKey.join(rep, SalesCalendar.day(BusinessDay(time))), default: ActivityCounts(), change)
    }

    /// Credits `rep` with a lead, once per lead.
    private func credit(lead: String, to rep: String, at time: Timestamp) {
        guard !rep.isEmpty else { return }
        var new = false
        leads.update(lead, default: ActivityLead()) { credited in
            guard !credited.credited.contains(rep) else { return }
            credited.credited.append(rep)
            new = true
        }
        if new { count(rep, at: time) { $0.newLeads += 1 } }
    }

    /// Drops a closed lead: no assignment can follow, so its credits are no longer needed.
    private func forget(lead: String) {
        if leads.contains(lead) { leads[lead] = nil }
    }
}
