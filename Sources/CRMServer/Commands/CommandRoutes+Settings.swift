import CRMDomain
import CRMSchema
import CRMService
import Foundation
import Hummingbird

/// The business settings: pool rules, the opportunity pipeline, the contract approval policy
/// and the commission rate. `PUT` records new settings in force from `occurredAt` (now by
/// default); `GET` answers the settings in force now, or at `?at=` (ISO 8601), in the shape
/// `PUT` takes.
extension CommandRoutes {
    func addSettings(to router: some RouterMethods<RapportRequestContext>) {
        router.get("v1/settings/pool-rules", use: poolRules)
        router.put("v1/settings/pool-rules", use: configurePoolRules)
        router.get("v1/settings/pipeline", use: pipeline)
        router.put("v1/settings/pipeline", use: configurePipeline)
        router.get("v1/settings/approval-policy", use: approvalPolicy)
        router.put("v1/settings/approval-policy", use: configureApprovalPolicy)
        router.get("v1/settings/commission-rate", use: commissionRate)
        router.put("v1/settings/commission-rate", use: configureCommissionRate)
    }

    // MARK: - Pool rules

    struct IdleLimitBody: BodyShape, Codable {
        static let fields: Set<String> = ["level", "idleDays"]
        /// The customer level; empty for every level not listed.
        var level: String
        var idleDays: Int32
    }

    struct PoolRulesBody: CommandBody, Encodable {
        static let fields: Set<String> = [
            "dailyClaimLimit", "holdingCap", "previousOwnerCooldownDays", "idleLimits", "warningDaysBeforeRelease",
        ]
        static var nested: [String: any BodyShape.Type] { ["idleLimits": IdleLimitBody.self] }
        var dailyClaimLimit: Int32
        var holdingCap: Int32
        var previousOwnerCooldownDays: Int32
        var idleLimits: [IdleLimitBody]
        var warningDaysBeforeRelease: Int32
    }

    /// `GET /v1/settings/pool-rules`.
    @Sendable func poolRules(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let rules = try await service.poolRules(at: try settingsTime(request, context))
        let levels = rules.idleDaysByLevel.sorted { $0.key < $1.key }.map {
            IdleLimitBody(level: $0.key, idleDays: Int32($0.value))
        }
        return try .encoded(
            PoolRulesBody(
                dailyClaimLimit: Int32(rules.dailyClaimLimit),
                holdingCap: Int32(rules.holdingCap),
                previousOwnerCooldownDays: Int32(rules.previousOwnerCooldownDays),
                idleLimits: [IdleLimitBody(level: "", idleDays: Int32(rules.defaultIdleDays))] + levels,
                warningDaysBeforeRelease: Int32(rules.warningDaysBeforeRelease)
            )
        )
    }

    /// `PUT /v1/settings/pool-rules`: 400 `invalid_value` naming the rule that cannot work.
    @Sendable func configurePoolRules(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await PoolRulesBody.decodeCommand(from: request, context: context)
        var rules = CRMPoolRulesConfigured()
        (rules.dailyClaimLimit, rules.holdingCap, rules.previousOwnerCooldownDays) = (
            body.dailyClaimLimit, body.holdingCap, body.previousOwnerCooldownDays
        )
        rules.warningDaysBeforeRelease = body.warningDaysBeforeRelease
        rules.idleLimits = body.idleLimits.map { limit in
            var idle = CRMIdleLimit()
            (idle.customerLevel, idle.idleDays) = (limit.level, limit.idleDays)
            return idle
        }
        return try await appended {
            try await service.configurePoolRules(rules, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    // MARK: - Pipeline

    struct StageBody: BodyShape, Codable {
        static let fields: Set<String> = ["stageId", "name", "order", "winProbabilityPercent"]
        var stageId: String
        var name: String
        /// Ascending through the pipeline.
        var order: Int32
        /// 0-100.
        var winProbabilityPercent: Int32
    }

    struct PipelineBody: CommandBody, Encodable {
        static let fields: Set<String> = ["stages"]
        static var nested: [String: any BodyShape.Type] { ["stages": StageBody.self] }
        var stages: [StageBody]
    }

    /// `GET /v1/settings/pipeline`: the stages in order.
    @Sendable func pipeline(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let pipeline = try await service.pipeline(at: try settingsTime(request, context))
        return try .encoded(
            PipelineBody(
                stages: pipeline.stages.map {
                    StageBody(
                        stageId: $0.stageID,
                        name: $0.name,
                        order: $0.order,
                        winProbabilityPercent: $0.winProbabilityPercent
                    )
                }
            )
        )
    }

    /// `PUT /v1/settings/pipeline`: replaces the pipeline; 400 `invalid_pipeline` saying what
    /// is wrong. Opportunities at a stage it drops keep it until they move or close.
    @Sendable func configurePipeline(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await PipelineBody.decodeCommand(from: request, context: context)
        var pipeline = CRMPipelineConfigured()
        pipeline.stages = body.stages.map { body in
            var stage = CRMPipelineStage()
            (stage.stageID, stage.name, stage.order, stage.winProbabilityPercent) = (
                body.stageId, body.name, body.order, body.winProbabilityPercent
            )
            return stage
        }
        return try await appended {
            try await service.configurePipeline(pipeline, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    // MARK: - Approval policy

    struct ApprovalPolicyBody: CommandBody, Encodable {
        static let fields: Set<String> = ["discountThresholdPercent", "amountThreshold", "chain"]
        static var nested: [String: any BodyShape.Type] { ["amountThreshold": MoneyBody.self] }
        /// An overall discount above this needs the chain's approvals.
        var discountThresholdPercent: Int32
        /// An amount above this needs them too; none when absent.
        var amountThreshold: MoneyBody?
        /// The approving roles in order: `manager`, `finance` or `admin`.
        var chain: [String]
    }

    /// `GET /v1/settings/approval-policy`.
    @Sendable func approvalPolicy(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let policy = try await service.approvalPolicy(at: try settingsTime(request, context))
        return try .encoded(
            ApprovalPolicyBody(
                discountThresholdPercent: policy.discountThresholdBasisPoints / 100,
                amountThreshold: policy.amountThreshold.map { MoneyBody(amount: $0.minorUnits, currency: $0.currency) },
                chain: policy.chain.map { CommandValues.role.name(of: $0) ?? "\($0)" }
            )
        )
    }

    /// `PUT /v1/settings/approval-policy`: 400 `invalid_value` naming the field; contracts
    /// drafted before keep their chain.
    @Sendable func configureApprovalPolicy(_ request: Request, context: RapportRequestContext) async throws -> Response
    {
        let principal = try context.caller()
        let (body, occurredAt) = try await ApprovalPolicyBody.decodeCommand(from: request, context: context)
        var policy = CRMApprovalPolicyConfigured()
        policy.discountThresholdPercent = body.discountThresholdPercent
        if let threshold = body.amountThreshold { policy.amountThreshold = threshold.money }
        policy.chain = try body.chain.map { name in
            var step = CRMApprovalStep()
            step.approverRole = try CommandValues.role(name, field: "chain")
            return step
        }
        return try await appended {
            try await service.configureApprovalPolicy(policy, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    // MARK: - Commission rate

    struct CommissionRateBody: CommandBody, Encodable {
        static let fields: Set<String> = ["rateBasisPoints"]
        /// 0-10000; 1 basis point is 0.01%.
        var rateBasisPoints: Int32
    }

    /// `GET /v1/settings/commission-rate`.
    @Sendable func commissionRate(_ request: Request, context: RapportRequestContext) async throws -> Response {
        try .encoded(
            CommissionRateBody(
                rateBasisPoints: try await service.commissionRate(at: try settingsTime(request, context))
            )
        )
    }

    /// `PUT /v1/settings/commission-rate`: the rate on payments collected from `occurredAt` on.
    @Sendable func configureCommissionRate(_ request: Request, context: RapportRequestContext) async throws -> Response
    {
        let principal = try context.caller()
        let (body, occurredAt) = try await CommissionRateBody.decodeCommand(from: request, context: context)
        var rate = CRMCommissionRateConfigured()
        rate.rateBasisPoints = body.rateBasisPoints
        return try await appended {
            try await service.configureCommissionRate(rate, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    /// The business time a settings read asks about, after checking the caller may read: `at`
    /// (ISO 8601) or now.
    private func settingsTime(_ request: Request, _ context: RapportRequestContext) throws -> Date {
        _ = try context.caller()
        guard let at = request.uri.queryParameters["at"] else { return Date() }
        guard let time = try? Date(String(at), strategy: .iso8601) else {
            throw APIError.badRequest(
                .invalidQueryParameter,
                "at is \"\(at)\", not an ISO 8601 time such as 2026-11-30T09:00:00Z",
                parameter: "at"
            )
        }
        return time
    }
}
