import CRMDomain
import CRMSchema
import CRMService
import Foundation
import RapportAPI

/// The CRM's business settings, each a settings event in force from its business time: the
/// pool rules, the pipeline, the contract approval policy and the commission rate. Everyone
/// but subscribers reads the ones in force at any time; an admin (or migration) sets new ones.
extension APIHandler {
    // MARK: - Pool rules

    /// The pool rules in force at `at`, or now.
    func poolRules(_ input: Operations.PoolRules.Input) async throws -> Operations.PoolRules.Output {
        let rules = try await service.poolRules(at: try settingsTime(input.query.at))
        let levels = rules.idleDaysByLevel.sorted { $0.key < $1.key }.map {
            Components.Schemas.PoolRules.IdleLimitsPayloadPayload(level: $0.key, idleDays: Int32(clamping: $0.value))
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        dailyClaimLimit: Int32(clamping: rules.dailyClaimLimit),
                        holdingCap: Int32(clamping: rules.holdingCap),
                        previousOwnerCooldownDays: Int32(clamping: rules.previousOwnerCooldownDays),
                        idleLimits: [.init(level: "", idleDays: Int32(clamping: rules.defaultIdleDays))] + levels,
                        warningDaysBeforeRelease: Int32(clamping: rules.warningDaysBeforeRelease)
                    )
                )
            )
        )
    }

    /// New pool rules from `occurredAt` on.
    func configurePoolRules(
        _ input: Operations.ConfigurePoolRules.Input
    ) async throws -> Operations.ConfigurePoolRules.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
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
        return .ok(
            try await appended {
                try await service.configurePoolRules(rules, actor: acting.actor, occurredAt: acting.occurredAt)
            }
        )
    }

    // MARK: - Pipeline

    /// The stages in force at `at`, or now, in order.
    func pipeline(_ input: Operations.Pipeline.Input) async throws -> Operations.Pipeline.Output {
        let pipeline = try await service.pipeline(at: try settingsTime(input.query.at))
        let stages = pipeline.stages.map {
            Components.Schemas.Pipeline.StagesPayloadPayload(
                stageId: $0.stageID,
                name: $0.name,
                order: $0.order,
                winProbabilityPercent: $0.winProbabilityPercent
            )
        }
        return .ok(.init(body: .json(.init(stages: stages))))
    }

    /// A new pipeline from `occurredAt` on; opportunities at a stage it drops keep it until
    /// they move or close.
    func configurePipeline(
        _ input: Operations.ConfigurePipeline.Input
    ) async throws -> Operations.ConfigurePipeline.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        var pipeline = CRMPipelineConfigured()
        pipeline.stages = body.stages.map { body in
            var stage = CRMPipelineStage()
            (stage.stageID, stage.name, stage.order, stage.winProbabilityPercent) = (
                body.stageId, body.name, body.order, body.winProbabilityPercent
            )
            return stage
        }
        return .ok(
            try await appended {
                try await service.configurePipeline(pipeline, actor: acting.actor, occurredAt: acting.occurredAt)
            }
        )
    }

    // MARK: - Approval policy

    /// The contract approval policy in force at `at`, or now.
    func approvalPolicy(_ input: Operations.ApprovalPolicy.Input) async throws -> Operations.ApprovalPolicy.Output {
        let policy = try await service.approvalPolicy(at: try settingsTime(input.query.at))
        return .ok(
            .init(
                body: .json(
                    .init(
                        discountThresholdPercent: policy.discountThresholdBasisPoints / 100,
                        amountThreshold: policy.amountThreshold.map {
                            .init(amount: $0.minorUnits, currency: $0.currency)
                        },
                        chain: policy.chain.compactMap {
                            CommandValues.role.name(of: $0).flatMap(
                                Components.Schemas.ApprovalPolicy.ChainPayloadPayload.init(rawValue:)
                            )
                        }
                    )
                )
            )
        )
    }

    /// A new approval policy from `occurredAt` on: a discount or an amount above its
    /// thresholds needs the chain's approvals, in order.
    func configureApprovalPolicy(
        _ input: Operations.ConfigureApprovalPolicy.Input
    ) async throws -> Operations.ConfigureApprovalPolicy.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        var policy = CRMApprovalPolicyConfigured()
        policy.discountThresholdPercent = body.discountThresholdPercent
        if let threshold = body.amountThreshold {
            policy.amountThreshold = CRMMoney(minorUnits: threshold.amount, currency: threshold.currency)
        }
        policy.chain = try body.chain.map { role in
            var step = CRMApprovalStep()
            step.approverRole = try CommandValues.role(role.rawValue, field: "chain")
            return step
        }
        return .ok(
            try await appended {
                try await service.configureApprovalPolicy(policy, actor: acting.actor, occurredAt: acting.occurredAt)
            }
        )
    }

    // MARK: - Commission rate

    /// The commission rate in force at `at`, or now, in basis points.
    func commissionRate(_ input: Operations.CommissionRate.Input) async throws -> Operations.CommissionRate.Output {
        let rate = try await service.commissionRate(at: try settingsTime(input.query.at))
        return .ok(.init(body: .json(.init(rateBasisPoints: rate))))
    }

    /// A new commission rate from `occurredAt` on.
    func configureCommissionRate(
        _ input: Operations.ConfigureCommissionRate.Input
    ) async throws -> Operations.ConfigureCommissionRate.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        var rate = CRMCommissionRateConfigured()
        rate.rateBasisPoints = body.rateBasisPoints
        return .ok(
            try await appended {
                try await service.configureCommissionRate(rate, actor: acting.actor, occurredAt: acting.occurredAt)
            }
        )
    }

    /// The lead priority weights in force at `at`, or now.
    func leadPriority(_ input: Operations.LeadPriority.Input) async throws -> Operations.LeadPriority.Output {
        let weights = try await service.leadPriority(at: try settingsTime(input.query.at)).configured
        func points(_ list: [CRMLeadPriorityPoints]) -> [Components.Schemas.LeadPriorityPoints] {
            list.map { .init(value: $0.value, points: $0.points) }
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        sourcePoints: points(weights.sourcePoints),
                        sizePoints: points(weights.sizePoints),
                        pointsPerCampaignResponse: weights.pointsPerCampaignResponse,
                        campaignResponseCap: weights.campaignResponseCap,
                        freshPoints: weights.freshPoints,
                        pointsLostPerIdleDay: weights.pointsLostPerIdleDay
                    )
                )
            )
        )
    }

    /// New lead priority weights from `occurredAt` on.
    func configureLeadPriority(
        _ input: Operations.ConfigureLeadPriority.Input
    ) async throws -> Operations.ConfigureLeadPriority.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        func points(_ list: [Components.Schemas.LeadPriorityPoints]) -> [CRMLeadPriorityPoints] {
            list.map { entry in
                var points = CRMLeadPriorityPoints()
                (points.value, points.points) = (entry.value, entry.points)
                return points
            }
        }
        var weights = CRMLeadPriorityConfigured()
        (weights.sourcePoints, weights.sizePoints) = (points(body.sourcePoints), points(body.sizePoints))
        weights.pointsPerCampaignResponse = body.pointsPerCampaignResponse
        weights.campaignResponseCap = body.campaignResponseCap
        (weights.freshPoints, weights.pointsLostPerIdleDay) = (body.freshPoints, body.pointsLostPerIdleDay)
        return .ok(
            try await appended {
                try await service.configureLeadPriority(weights, actor: acting.actor, occurredAt: acting.occurredAt)
            }
        )
    }

    /// The time the settings are read at: the query's `at` (ISO 8601), or now by the
    /// server's clock.
    private func settingsTime(_ at: String?) throws -> Date {
        guard let at else { return try requestTime }
        guard let time = try? Date(at, strategy: .iso8601) else {
            throw APIError.badRequest(
                .invalidQueryParameter,
                "at is \"\(at)\", not an ISO 8601 time such as 2026-11-30T09:00:00Z",
                parameter: "at"
            )
        }
        return time
    }
}
