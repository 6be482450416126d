import CRMDomain
import CRMSchema
import EventStore
import Foundation
public import Projections
import SwiftProtobuf

/// The opportunities as the reps and managers who work them see them: each deal's stage,
/// amount, expected close and every stay at a stage, indexed by owner and, while open, by the
/// month it is expected to close, which the forecast reads.
///
/// Tables:
/// - `opportunities`, opportunity id → ``OpportunityRow``.
/// - `byOwner`, `owner|opportunity` → `true`: a rep's deals are one prefix read.
/// - `open`, `yyyy-mm|opportunity` (`none|…` without an expected close) → ``OpenDealRow``:
///   the open deals by the month they are expected to close.
public final class OpportunitiesProjector: Projector {
    /// The read model's name, which its rows and checkpoint are stored under.
    public static let name = "opportunities"
    /// The projection logic's version: changing it rebuilds the read model.
    public static let version: UInt32 = 1
    /// The events the read model reads.
    public static let eventTypes: Set<String> = [
        CRMOpportunityOpened.protoMessageName,
        CRMOpportunityStageChanged.protoMessageName,
        CRMOpportunityWon.protoMessageName,
        CRMOpportunityLost.protoMessageName,
        CRMOpportunityReopened.protoMessageName,
    ]

    /// The key part of the open deals with no expected close.
    static let noMonth = "none"

    let opportunities = ReadModelTable<OpportunityRow>("opportunities")
    let byOwner = ReadModelTable<Bool>("byOwner")
    let open = ReadModelTable<OpenDealRow>("open")

    /// No opportunities.
    public init() {}

    /// The tables holding the read model's state.
    public var tables: [any ReadModelTableProtocol] { [opportunities, byOwner, open] }

    /// Applies one event to the tables.
    public func apply(_ event: CRMEvent) throws {
        let time = event.occurredAt.date
        switch event.payload {
        case let changed as CRMOpportunityStageChanged:
            change(changed.opportunityID) { deal in
                guard deal.status == "open" else { return }
                leave(&deal, at: time)
                deal.stageID = changed.toStageID
                deal.stays.append(.init(stageID: changed.toStageID, enteredAt: time))
            }
        case let opened as CRMOpportunityOpened:
            var deal = OpportunityRow()
            (deal.customerID, deal.name, deal.ownerID, deal.stageID) = (
                opened.customerID, opened.name, opened.ownerID, opened.stageID
            )
            (deal.amount, deal.currency, deal.openedAt) = (opened.amount.minorUnits, opened.amount.currency, time)
            if opened.hasExpectedCloseAt {
                deal.expectedCloseAt = opened.expectedCloseAt.date
                deal.expectedCloseMonth = SalesCalendar.month(BusinessDay(Timestamp(opened.expectedCloseAt.date)))
            }
            deal.stays = [.init(stageID: opened.stageID, enteredAt: time)]
            byOwner["\(opened.ownerID)|\(opened.opportunityID)"] = true
            opportunities[opened.opportunityID] = deal
            index(opened.opportunityID, deal)
        case let won as CRMOpportunityWon:
            change(won.opportunityID) { deal in
                guard deal.status == "open" else { return }
                leave(&deal, at: time)
                (deal.status, deal.closedAt, deal.reason) = ("won", time, won.reason)
                if won.hasAmount { (deal.amount, deal.currency) = (won.amount.minorUnits, won.amount.currency) }
            }
        case let lost as CRMOpportunityLost:
            change(lost.opportunityID) { deal in
                guard deal.status == "open" else { return }
                leave(&deal, at: time)
                (deal.status, deal.closedAt, deal.reason) = ("lost", time, lost.reason)
                if !lost.stageID.isEmpty { deal.stageID = lost.stageID }
            }
        case let reopened as CRMOpportunityReopened:
            change(reopened.opportunityID) { deal in
                guard deal.status != "open" else { return }
                (deal.status, deal.closedAt, deal.reason, deal.stageID) = (
                    "open", nil, reopened.reason, reopened.stageID
                )
                deal.stays.append(.init(stageID: reopened.stageID, enteredAt: time))
            }
        default:
            break
        }
    }

    /// Changes a known opportunity and keeps its place in the forecast index.
    private func change(_ id: String, _ body: (inout OpportunityRow) -> Void) {
        guard var deal = opportunities[id] else { return }
        open[Self.openKey(id, deal)] = nil
        body(&deal)
        opportunities[id] = deal
        index(id, deal)
    }

    private func index(_ id: String, _ deal: OpportunityRow) {
        guard deal.status == "open" else { return }
        open[Self.openKey(id, deal)] = OpenDealRow(
            ownerID: deal.ownerID,
            stageID: deal.stageID,
            amount: deal.amount,
            currency: deal.currency
        )
    }

    private func leave(_ deal: inout OpportunityRow, at time: Date) {
        guard let last = deal.stays.indices.last, deal.stays[last].leftAt == nil else { return }
        deal.stays[last].leftAt = max(time, deal.stays[last].enteredAt)
    }

    static func openKey(_ id: String, _ deal: OpportunityRow) -> String {
        (deal.expectedCloseMonth.isEmpty ? noMonth : deal.expectedCloseMonth) + "|" + id
    }
}
