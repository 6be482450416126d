public import CRMSchema
public import SwiftProtobuf

/// Opportunities through the configured pipeline: open, move between stages, win or lose
/// with a reason, reopen.
public enum OpportunityDecisions {
    /// What an opportunity is opened with.
    public struct NewOpportunity: Sendable, Hashable {
        public var name: String
        /// The expected amount.
        public var amount: CRMMoney
        /// The first stage; empty for the pipeline's first.
        public var stageID = ""
        public var expectedCloseAt: Google_Protobuf_Timestamp?

        /// An opportunity called `name` for `amount`.
        public init(name: String, amount: CRMMoney) {
            self.name = name
            self.amount = amount
        }
    }

    /// Opens an opportunity with an owned customer; the customer's owner owns it.
    ///
    /// - Throws: `customer_not_found`; `customer_in_pool` (claim it first);
    ///   `field_required` without a name; `invalid_value` for a bad amount; `unknown_stage`.
    public static func open(
        _ opportunity: NewOpportunity,
        id: String,
        customer: CustomerState,
        pipeline: Pipeline
    ) throws(DomainError) -> CRMOpportunityOpened {
        try CustomerDecisions.requireExists(customer)
        guard let owner = customer.owner else {
            throw DomainError(
                .customerInPool,
                "customer \(customer.customerID) is in the public pool; claim it before opening an opportunity",
                facts: ["customer": customer.customerID]
            )
        }
        var event = CRMOpportunityOpened()
        (event.opportunityID, event.customerID, event.ownerID) = (id, customer.customerID, owner)
        event.name = try required(opportunity.name, "name")
        event.amount = try opportunity.amount.validated("amount")
        event.stageID =
            opportunity.stageID.isEmpty
            ? pipeline.stages[0].stageID : try pipeline.requireStage(opportunity.stageID).stageID
        if let expected = opportunity.expectedCloseAt { event.expectedCloseAt = expected }
        return event
    }

    /// Moves an open opportunity to another stage of the pipeline, forward or back.
    ///
    /// - Throws: `opportunity_not_found`; `opportunity_closed`; `unknown_stage`; `no_change`.
    public static func moveStage(
        _ opportunity: OpportunityState,
        to stageID: String,
        pipeline: Pipeline
    ) throws(DomainError) -> CRMOpportunityStageChanged {
        try requireOpen(opportunity)
        let stage = try pipeline.requireStage(stageID)
        guard stage.stageID != opportunity.stageID else {
            throw DomainError(
                .noChange,
                "opportunity \(opportunity.opportunityID) is at stage \(stageID) already",
                facts: ["stage": stageID]
            )
        }
        var event = CRMOpportunityStageChanged()
        (event.opportunityID, event.fromStageID, event.toStageID) = (
            opportunity.opportunityID, opportunity.stageID, stage.stageID
        )
        return event
    }

    /// Closes an open opportunity as won, for `amount` (the expected amount when `nil`).
    ///
    /// - Throws: `opportunity_not_found`; `opportunity_closed`; `reason_required`;
    ///   `invalid_value` for a bad amount.
    public static func win(
        _ opportunity: OpportunityState,
        reason: String,
        amount: CRMMoney? = nil
    ) throws(DomainError) -> CRMOpportunityWon {
        try requireOpen(opportunity)
        var event = CRMOpportunityWon()
        event.opportunityID = opportunity.opportunityID
        event.reason = try required(reason, "reason", code: .reasonRequired)
        event.amount = try (amount ?? opportunity.amount).validated("amount")
        return event
    }

    /// Closes an open opportunity as lost at its current stage, for the churn reports.
    ///
    /// - Throws: `opportunity_not_found`; `opportunity_closed`; `reason_required`.
    public static func lose(_ opportunity: OpportunityState, reason: String) throws(DomainError) -> CRMOpportunityLost {
        try requireOpen(opportunity)
        var event = CRMOpportunityLost()
        (event.opportunityID, event.stageID) = (opportunity.opportunityID, opportunity.stageID)
        event.reason = try required(reason, "reason", code: .reasonRequired)
        return event
    }

    /// Reopens a won or lost opportunity at `stageID`; when empty, at the stage it was lost
    /// at if the pipeline still has it, else at the pipeline's first stage.
    ///
    /// - Throws: `opportunity_not_found`; `opportunity_open`; `reason_required`;
    ///   `unknown_stage`.
    public static func reopen(
        _ opportunity: OpportunityState,
        at stageID: String = "",
        reason: String,
        pipeline: Pipeline
    ) throws(DomainError) -> CRMOpportunityReopened {
        try requireExists(opportunity)
        guard opportunity.status != .open else {
            throw DomainError(
                .opportunityOpen,
                "opportunity \(opportunity.opportunityID) is open; only a won or lost one can be reopened"
            )
        }
        var event = CRMOpportunityReopened()
        event.opportunityID = opportunity.opportunityID
        event.reason = try required(reason, "reason", code: .reasonRequired)
        if !stageID.isEmpty {
            event.stageID = try pipeline.requireStage(stageID).stageID
        } else {
            event.stageID = pipeline.stage(opportunity.stageID)?.stageID ?? pipeline.stages[0].stageID
        }
        return event
    }

    private static func requireExists(_ opportunity: OpportunityState) throws(DomainError) {
        guard opportunity.status != .absent else {
            throw DomainError(
                .opportunityNotFound,
                "no opportunity \(opportunity.opportunityID)",
                facts: ["opportunity": opportunity.opportunityID]
            )
        }
    }

    private static func requireOpen(_ opportunity: OpportunityState) throws(DomainError) {
        try requireExists(opportunity)
        guard opportunity.status == .open else {
            throw DomainError(
                .opportunityClosed,
                "opportunity \(opportunity.opportunityID) is \(opportunity.status.rawValue); reopen it first",
                facts: ["status": opportunity.status.rawValue]
            )
        }
    }
}
