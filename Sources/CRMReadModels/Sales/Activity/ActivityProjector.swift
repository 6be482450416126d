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
/// - `leads`, `contracts`: the reps credited with each lead, and the owner of each contract
///   awaiting approval.
///
/// Whose activity it is: a follow-up is the acting user's (it names no rep); a lead is its
/// owner's (its creator's when a sales rep created it unassigned) and each assignee's; a claim, the claiming
/// rep's; a release, the customer's previous owner's; an opportunity, a quote or a contract,
/// its owner's. A day is the business day (China time) of the event's business time.
public final class ActivityProjector: Projector {
    public static let name = "activity"
    public static let version: UInt32 = 1
    public static let eventTypes: Set<String> = [
        CRMFollowUpLogged.protoMessageName,
        CRMLeadCreated.protoMessageName,
        CRMLeadAssigned.protoMessageName,
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

    public var tables: [any ReadModelTableProtocol] { [days, reps, leads, contracts] }

    public func apply(_ event: CRMEvent) throws {
        let time = event.occurredAt
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
        case let created as CRMLeadCreated:
            // An unassigned lead is its creator's only when a sales rep typed it in; leads an
            // admin or a manager enters are counted when they are assigned.
            let rep = created.ownerID.isEmpty && reps[event.actor]?.salesRep == true ? event.actor : created.ownerID
            credit(lead: created.leadID, to: rep, at: time)
        case let assigned as CRMLeadAssigned:
            credit(lead: assigned.leadID, to: assigned.toOwnerID, at: time)
        case let change as CRMCustomerOwnershipChanged:
            if change.reason == .claimed {
                count(change.toOwnerID, at: time) { $0.claims += 1 }
            } else if change.toOwnerID.isEmpty {
                let byRep = change.reason == .releasedByRep
                count(change.fromOwnerID, at: time) { counts in
                    if byRep { counts.releases += 1 } else { counts.lostToPool += 1 }
                }
            }
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
            if contracts[rejected.contractID] != nil { contracts[rejected.contractID] = nil }
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
        guard !rep.isEmpty, !rep.utf8.contains(UInt8(ascii: "|")) else { return }
        if reps[rep] == nil { reps[rep] = ActivityRep() }
        days.update(rep + "|" + SalesCalendar.day(BusinessDay(time)), default: ActivityCounts(), change)
    }

    /// Credits `rep` with a lead, once per lead.
    private func credit(lead: String, to rep: String, at time: Timestamp) {
        guard !rep.isEmpty else { return }
        var credited = leads[lead] ?? ActivityLead()
        guard !credited.credited.contains(rep) else { return }
        credited.credited.append(rep)
        leads[lead] = credited
        count(rep, at: time) { $0.newLeads += 1 }
    }
}
