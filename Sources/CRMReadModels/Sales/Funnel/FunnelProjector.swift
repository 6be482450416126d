import CRMDomain
import CRMSchema
import EventStore
public import Projections
import SwiftProtobuf

/// The sales funnel: per month, rep (the opportunity's owner) and stage, how many
/// opportunities entered each stage, how many of those went further, how long they stayed, and
/// how many were won, lost and reopened.
///
/// Tables:
/// - `cells`, `yyyy-mm|rep|stage` → ``FunnelCell``: the counts a query for one rep sums, so a
///   rep's quarter reads three months of rows whatever the size of the history.
/// - `companyCells`, `yyyy-mm|stage` → ``FunnelCell``: every rep's cells of that month and
///   stage summed, so the whole company's funnel reads as few rows however many reps it has.
/// - `opportunities`, opportunity id → ``FunnelOpportunity``: the stage, owner, current stay,
///   stages entered and counted outcome each later event needs.
/// - `pipeline`, `current` → ``SalesPipeline``: the stage order, which says what "later" means.
///
/// Counting rules:
/// - An opportunity enters a stage when it is opened at it, moved to it or reopened at it; it
///   counts once per stage (its first entry), in the month of that entry.
/// - An entry converts when the opportunity later reaches a stage further down the pipeline or
///   is won (winning goes past every stage); the conversion is counted in the entry's row.
/// - A stay at a stage runs from entering it to leaving it (a move, a win or a loss); its
///   length in seconds is added to the row of the month it began, with the stay's count, so
///   a stay across a month end belongs wholly to the month it started.
/// - Won and lost count in the month and at the stage of the outcome. A reopen counts in its
///   own month and takes the earlier outcome back, so each opportunity counts at most once,
///   with its latest outcome: lost, reopened, then won is one win.
public final class FunnelProjector: Projector {
    /// The read model's name, which its rows and checkpoint are stored under.
    public static let name = "funnel"
    /// The projection logic's version: changing it rebuilds the read model.
    /// 3: the company's cells beside the reps'.
    public static let version: UInt32 = 3
    /// The events the read model reads.
    public static let eventTypes: Set<String> = [
        CRMPipelineConfigured.protoMessageName,
        CRMOpportunityOpened.protoMessageName,
        CRMOpportunityStageChanged.protoMessageName,
        CRMOpportunityWon.protoMessageName,
        CRMOpportunityLost.protoMessageName,
        CRMOpportunityReopened.protoMessageName,
    ]

    let cells = ReadModelTable<FunnelCell>("cells")
    let companyCells = ReadModelTable<FunnelCell>("companyCells")
    let opportunities = ReadModelTable<FunnelOpportunity>("opportunities")
    let pipeline = ReadModelTable<SalesPipeline>("pipeline")

    /// An empty funnel.
    public init() {}

    /// The tables holding the read model's state.
    public var tables: [any ReadModelTableProtocol] { [cells, companyCells, opportunities, pipeline] }

    /// Applies one event to the tables.
    public func apply(_ event: CRMEvent) throws {
        let time = event.occurredAt
        // The most frequent event first: each case tried is a dynamic cast.
        switch event.payload {
        case let changed as CRMOpportunityStageChanged:
            let pipeline = currentPipeline
            change(changed.opportunityID, at: time) { opportunity, month in
                // A closed opportunity keeps the stage its outcome is counted at, for a reopen
                // to take it back from (the CRM refuses to move one).
                guard opportunity.open else { return }
                endStay(of: &opportunity, at: time)
                startStay(of: &opportunity, at: changed.toStageID, time: time, month: month, pipeline: pipeline)
            }
        case let opened as CRMOpportunityOpened:
            open(opened, at: time)
        case let lost as CRMOpportunityLost:
            change(lost.opportunityID, at: time) { opportunity, month in
                guard opportunity.open else { return }
                endStay(of: &opportunity, at: time)
                close(
                    &opportunity,
                    won: false,
                    at: lost.stageID.isEmpty ? opportunity.stage : lost.stageID,
                    month: month
                )
            }
        case let won as CRMOpportunityWon:
            change(won.opportunityID, at: time) { opportunity, month in
                guard opportunity.open else { return }
                endStay(of: &opportunity, at: time)
                for index in opportunity.marks.indices where !opportunity.marks[index].advanced {
                    advance(&opportunity, index)
                }
                close(&opportunity, won: true, at: opportunity.stage, month: month)
            }
        case let reopened as CRMOpportunityReopened:
            let pipeline = currentPipeline
            change(reopened.opportunityID, at: time) { opportunity, month in
                guard !opportunity.open else { return }
                if let outcomeMonth = opportunity.outcomeMonth {
                    let won = opportunity.outcomeWon
                    bump(outcomeMonth, opportunity.owner, opportunity.stage) { cell in
                        if won { cell.won -= 1 } else { cell.lost -= 1 }
                    }
                }
                opportunity.outcomeMonth = nil
                opportunity.open = true
                bump(month, opportunity.owner, reopened.stageID) { $0.reopened += 1 }
                startStay(of: &opportunity, at: reopened.stageID, time: time, month: month, pipeline: pipeline)
            }
        case let configured as CRMPipelineConfigured:
            var current = currentPipeline
            current.configure(configured)
            pipeline[SalesPipeline.key] = current
        default:
            break
        }
    }

    // MARK: - Steps

    private func open(_ opened: CRMOpportunityOpened, at time: Timestamp) {
        guard !opportunities.contains(opened.opportunityID) else { return }
        let month = SalesCalendar.month(BusinessDay(time))
        var opportunity = FunnelOpportunity(
            owner: opened.ownerID,
            stage: opened.stageID,
            stayStart: time.nanosecondsSinceEpoch,
            stayMonth: month
        )
        bump(month, opened.ownerID, opened.stageID) { $0.opened += 1 }
        startStay(of: &opportunity, at: opened.stageID, time: time, month: month, pipeline: currentPipeline)
        opportunities[opened.opportunityID] = opportunity
    }

    /// Changes a known opportunity; events of one never opened are ignored.
    private func change(_ id: String, at time: Timestamp, _ body: (inout FunnelOpportunity, _ month: String) -> Void) {
        let month = SalesCalendar.month(BusinessDay(time))
        // In place: a copy taken out and put back would copy its marks whenever they change.
        opportunities.updateIfPresent(id) { body(&$0, month) }
    }

    /// The opportunity arrives at `stage`: entries of earlier stages have converted, and a
    /// stage never entered before counts as entered.
    private func startStay(
        of opportunity: inout FunnelOpportunity,
        at stage: String,
        time: Timestamp,
        month: String,
        pipeline: SalesPipeline
    ) {
        (opportunity.stage, opportunity.stayStart, opportunity.stayMonth) = (stage, time.nanosecondsSinceEpoch, month)
        if let order = pipeline.order(of: stage) {
            for index in opportunity.marks.indices where !opportunity.marks[index].advanced {
                if let earlier = pipeline.order(of: opportunity.marks[index].stage), earlier < order {
                    advance(&opportunity, index)
                }
            }
        }
        if !opportunity.marks.contains(where: { $0.stage == stage }) {
            opportunity.marks.append(.init(stage: stage, month: month))
            bump(month, opportunity.owner, stage) { $0.entered += 1 }
        }
    }

    /// The current stay ends at `time`; its length goes to the month it began.
    private func endStay(of opportunity: inout FunnelOpportunity, at time: Timestamp) {
        // Business times may arrive out of order (back-dated entries): a stay never counts negative.
        let seconds = max(0, time.nanosecondsSinceEpoch.saturatingSubtract(opportunity.stayStart)) / 1_000_000_000
        bump(opportunity.stayMonth, opportunity.owner, opportunity.stage) { cell in
            cell.stays += 1
            cell.staySeconds.saturatingIncrement(by: seconds)
        }
    }

    /// The entry `marks[index]` has gone further; counted in the month of the entry.
    private func advance(_ opportunity: inout FunnelOpportunity, _ index: Int) {
        opportunity.marks[index].advanced = true
        bump(opportunity.marks[index].month, opportunity.owner, opportunity.marks[index].stage) { $0.advanced += 1 }
    }

    private func close(_ opportunity: inout FunnelOpportunity, won: Bool, at stage: String, month: String) {
        bump(month, opportunity.owner, stage) { cell in
            if won { cell.won += 1 } else { cell.lost += 1 }
        }
        (opportunity.open, opportunity.stage, opportunity.outcomeMonth, opportunity.outcomeWon) = (
            false, stage, month, won
        )
    }

    /// Changes the rep's cell and the company's cell of `month` and `stage` alike.
    private func bump(_ month: String, _ rep: String, _ stage: String, _ change: (inout FunnelCell) -> Void) {
        cells.update(Self.key(month, rep, stage), default: FunnelCell(), change)
        companyCells.update(SalesKey.join(month, stage), default: FunnelCell(), change)
    }

    private var currentPipeline: SalesPipeline { pipeline[SalesPipeline.key] ?? .defaults }

    /// `yyyy-mm|rep|stage`.
    static func key(_ month: String, _ rep: String, _ stage: String) -> String {
        SalesKey.join(month, rep, stage)
    }
}
