import CRMDomain
import CRMSchema
import CRMService
import Foundation
import Hummingbird
import SwiftProtobuf

/// Opportunities through the pipeline in force: opened with an owned customer, moved
/// between stages, won or lost with a reason, reopened.
extension CommandRoutes {
    func addOpportunities(to router: some RouterMethods<RapportRequestContext>) {
        router.post("v1/opportunities", use: openOpportunity)
        router.post("v1/opportunities/:opportunity/stage", use: moveOpportunity)
        router.post("v1/opportunities/:opportunity/win", use: winOpportunity)
        router.post("v1/opportunities/:opportunity/lose", use: loseOpportunity)
        router.post("v1/opportunities/:opportunity/reopen", use: reopenOpportunity)
    }

    struct OpenOpportunityBody: CommandBody, OpportunityFields {
        static let fields = opportunityFields.union(["customerId"])
        var customerId: String
        var name: String
        var amount: Int64
        var currency: String
        var stageId: String?
        var expectedCloseAt: Date?
    }

    /// `POST /v1/opportunities`: 201 with the opportunity's id; the customer's owner owns it.
    @Sendable func openOpportunity(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await OpenOpportunityBody.decodeCommand(from: request, context: context)
        try requireInScope(principal, customer: body.customerId)
        return try await created("opportunityId") {
            try await service.openOpportunity(
                body.opportunity,
                for: body.customerId,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct MoveStageBody: CommandBody {
        static let fields: Set<String> = ["stageId"]
        var stageId: String
    }

    /// `POST /v1/opportunities/{opportunity}/stage`: to another stage, forward or back.
    @Sendable func moveOpportunity(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, opportunity) = try routeRecord(context, "opportunity")
        let (body, occurredAt) = try await MoveStageBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.moveOpportunity(
                opportunity,
                toStage: body.stageId,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct WinBody: CommandBody {
        static let fields: Set<String> = ["reason", "amount", "currency"]
        var reason: String
        /// The amount won, in minor units of `currency`, when it is not the expected one.
        var amount: Int64?
        var currency: String?

        /// The amount won, if given: `amount` and `currency` come together.
        func won() throws -> CRMMoney? {
            switch (amount, currency) {
            case (nil, nil): return nil
            case (let amount?, let currency?): return CRMMoney(minorUnits: amount, currency: currency)
            default:
                let missing = amount == nil ? "amount" : "currency"
                throw APIError(
                    .badRequest,
                    .fieldRequired,
                    "amount and currency go together; the body needs \"\(missing)\"",
                    facts: ["field": missing]
                )
            }
        }
    }

    /// `POST /v1/opportunities/{opportunity}/win`: closed as won, for `amount` or the
    /// expected amount.
    @Sendable func winOpportunity(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, opportunity) = try routeRecord(context, "opportunity")
        let (body, occurredAt) = try await WinBody.decodeCommand(from: request, context: context)
        let won = try body.won()
        return try await appended {
            try await service.winOpportunity(
                opportunity,
                reason: body.reason,
                amount: won,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    /// `POST /v1/opportunities/{opportunity}/lose`: closed as lost at its current stage.
    @Sendable func loseOpportunity(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, opportunity) = try routeRecord(context, "opportunity")
        let (body, occurredAt) = try await ReasonBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.loseOpportunity(
                opportunity,
                reason: body.reason,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct ReopenBody: CommandBody {
        static let fields: Set<String> = ["reason", "stageId"]
        var reason: String
        var stageId: String?
    }

    /// `POST /v1/opportunities/{opportunity}/reopen`: a won or lost opportunity open again,
    /// at `stageId` or where it was lost.
    @Sendable func reopenOpportunity(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, opportunity) = try routeRecord(context, "opportunity")
        let (body, occurredAt) = try await ReopenBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.reopenOpportunity(
                opportunity,
                atStage: body.stageId ?? "",
                reason: body.reason,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }
}

/// The fields that describe a new opportunity, in the bodies that open one.
protocol OpportunityFields: AmountFields {
    var name: String { get }
    /// The first stage; the pipeline's first when absent.
    var stageId: String? { get }
    var expectedCloseAt: Date? { get }
}

extension OpportunityFields {
    /// The body fields of ``OpportunityFields``.
    static var opportunityFields: Set<String> { ["name", "amount", "currency", "stageId", "expectedCloseAt"] }

    /// The opportunity the fields describe.
    var opportunity: OpportunityDecisions.NewOpportunity {
        var opportunity = OpportunityDecisions.NewOpportunity(name: name, amount: money)
        opportunity.stageID = stageId ?? ""
        opportunity.expectedCloseAt = expectedCloseAt.map { Google_Protobuf_Timestamp(date: $0) }
        return opportunity
    }
}
