import CRMDomain
import CRMSchema
import CRMService
import HTTPTypes
import RapportAPI

/// Opportunities through the pipeline in force: opened with an owned customer, moved
/// between stages, won or lost with a reason, reopened.
extension APIHandler {
    /// 201 with the opportunity's id; the customer's owner owns it.
    func openOpportunity(_ input: Operations.OpenOpportunity.Input) async throws -> Operations.OpenOpportunity.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        try requireInScope(acting.principal, customer: body.customerId)
        let opportunity = OpportunityDecisions.NewOpportunity(
            name: body.name,
            amount: body.amount,
            currency: body.currency,
            stageId: body.stageId,
            expectedCloseAt: body.expectedCloseAt
        )
        let opportunityID = try await created("opportunityId") {
            try await service.openOpportunity(
                opportunity,
                for: body.customerId,
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(opportunityId: opportunityID))))
    }

    /// To another stage, forward or back.
    func moveOpportunity(_ input: Operations.MoveOpportunity.Input) async throws -> Operations.MoveOpportunity.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.moveOpportunity(
                    input.path.opportunity,
                    toStage: body.stageId,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// Closed as won, for `amount` in `currency` (which come together) or the expected amount.
    func winOpportunity(_ input: Operations.WinOpportunity.Input) async throws -> Operations.WinOpportunity.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let won: CRMMoney?
        switch (body.amount, body.currency) {
        case (nil, nil):
            won = nil
        case (let amount?, let currency?):
            won = CRMMoney(minorUnits: amount, currency: currency)
        default:
            let missing = body.amount == nil ? "amount" : "currency"
            throw APIError(
                .badRequest,
                .fieldRequired,
                "amount and currency go together; the body needs \"\(missing)\"",
                facts: ["field": missing]
            )
        }
        return .ok(
            try await appended {
                try await service.winOpportunity(
                    input.path.opportunity,
                    reason: body.reason,
                    amount: won,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// Closed as lost at its current stage.
    func loseOpportunity(_ input: Operations.LoseOpportunity.Input) async throws -> Operations.LoseOpportunity.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.loseOpportunity(
                    input.path.opportunity,
                    reason: body.reason,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// A won or lost opportunity open again, at `stageId` or where it was lost.
    func reopenOpportunity(
        _ input: Operations.ReopenOpportunity.Input
    ) async throws -> Operations.ReopenOpportunity.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.reopenOpportunity(
                    input.path.opportunity,
                    atStage: body.stageId ?? "",
                    reason: body.reason,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }
}
