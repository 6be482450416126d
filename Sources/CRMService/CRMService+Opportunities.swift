public import CRMDomain
public import CRMSchema
public import EventStore
public import Foundation
import SwiftProtobuf

extension CRMService {
    /// Opens an opportunity with an owned customer, at a stage of the pipeline in force.
    ///
    /// - Returns: the opportunity's id.
    /// - Throws: `DomainError` as ``OpportunityDecisions/open(_:id:customer:pipeline:)``.
    public func openOpportunity(
        _ opportunity: OpportunityDecisions.NewOpportunity,
        for customerID: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> String {
        let context = try context(actor, occurredAt)
        let opportunityID = newID()
        let pipeline = try await pipeline(at: context.occurredAt)
        try await retryingOnConflict("opening an opportunity with \(customerID)") {
            // The customer's version is expected unchanged, so it cannot go to the pool meanwhile.
            let (customer, customerVersion) = try await loadCustomer(customerID)
            let opened = try OpportunityDecisions.open(
                opportunity,
                id: opportunityID,
                customer: customer,
                pipeline: pipeline
            )
            _ = try await append(
                AppendRequest([
                    StreamAppend(
                        stream: try opportunityStream(opportunityID),
                        expectedVersion: .noStream,
                        events: [try event(opened, context)]
                    ),
                    StreamAppend(stream: try customerStream(customerID), expectedVersion: customerVersion, events: []),
                ])
            )
        }
        return opportunityID
    }

    /// Moves an open opportunity to another stage of the pipeline in force.
    @discardableResult
    public func moveOpportunity(
        _ opportunityID: String,
        toStage stageID: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnOpportunity(opportunityID, actor: actor, occurredAt: occurredAt) { opportunity, pipeline in
            try OpportunityDecisions.moveStage(opportunity, to: stageID, pipeline: pipeline)
        }
    }

    /// Closes an open opportunity as won, for `amount` (the expected amount when `nil`).
    @discardableResult
    public func winOpportunity(
        _ opportunityID: String,
        reason: String,
        amount: CRMMoney? = nil,
        actor: String,
        occurredAt: Date? = nil
    ) async throws
        -> AppendResult
    {
        try await decideOnOpportunity(opportunityID, actor: actor, occurredAt: occurredAt) { opportunity, _ in
            try OpportunityDecisions.win(opportunity, reason: reason, amount: amount)
        }
    }

    /// Closes an open opportunity as lost at its current stage.
    @discardableResult
    public func loseOpportunity(
        _ opportunityID: String,
        reason: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnOpportunity(opportunityID, actor: actor, occurredAt: occurredAt) { opportunity, _ in
            try OpportunityDecisions.lose(opportunity, reason: reason)
        }
    }

    /// Reopens a won or lost opportunity, at `stageID` or where it was lost.
    @discardableResult
    public func reopenOpportunity(
        _ opportunityID: String,
        atStage stageID: String = "",
        reason: String,
        actor: String,
        occurredAt: Date? = nil
    )
        async throws -> AppendResult
    {
        try await decideOnOpportunity(opportunityID, actor: actor, occurredAt: occurredAt) { opportunity, pipeline in
            try OpportunityDecisions.reopen(opportunity, at: stageID, reason: reason, pipeline: pipeline)
        }
    }

    /// Decides one event on an opportunity, given the pipeline in force at the business time.
    private func decideOnOpportunity(
        _ opportunityID: String,
        actor: String,
        occurredAt: Date?,
        decide: (OpportunityState, Pipeline) throws -> any SwiftProtobuf.Message
    ) async throws -> AppendResult {
        let pipeline = try await pipeline(at: try context(actor, occurredAt).occurredAt)
        return try await decideOnStream(
            try opportunityStream(opportunityID),
            actor: actor,
            occurredAt: occurredAt,
            load: { try await loadOpportunity(opportunityID) }
        ) {
            try decide($0, pipeline)
        }
    }

    func loadOpportunity(_ id: String) async throws -> (OpportunityState, ExpectedVersion) {
        try await load(try opportunityStream(id), into: OpportunityState(opportunityID: id)) { state, message, _ in
            state.apply(message)
        }
    }
}
