public import CRMSchema
public import SwiftProtobuf

/// One opportunity, folded from its stream (`opportunity-<id>`).
public struct OpportunityState: Sendable, Hashable {
    /// Where an opportunity is in its life.
    public enum Status: String, Sendable, Hashable {
        /// Not opened yet.
        case absent
        /// Moving through the pipeline.
        case open
        /// Closed as won.
        case won
        /// Closed as lost, at ``OpportunityState/stageID``.
        case lost
    }

    /// The opportunity's id.
    public var opportunityID: String
    public var status = Status.absent
    /// The customer it is with.
    public var customerID = ""
    /// The rep who owns it.
    public var ownerID = ""
    /// The expected (or, once won, the won) amount.
    public var amount = CRMMoney()
    /// The current stage; for a lost opportunity, the stage it was lost at.
    public var stageID = ""

    /// An opportunity not seen yet.
    public init(opportunityID: String) {
        self.opportunityID = opportunityID
    }

    /// Folds one event of the opportunity's stream.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        switch event {
        case let opened as CRMOpportunityOpened:
            status = .open
            (customerID, ownerID, amount, stageID) = (opened.customerID, opened.ownerID, opened.amount, opened.stageID)
        case let changed as CRMOpportunityStageChanged:
            stageID = changed.toStageID
        case let won as CRMOpportunityWon:
            status = .won
            amount = won.amount
        case let lost as CRMOpportunityLost:
            status = .lost
            stageID = lost.stageID
        case let reopened as CRMOpportunityReopened:
            status = .open
            stageID = reopened.stageID
        default:
            break
        }
    }
}
