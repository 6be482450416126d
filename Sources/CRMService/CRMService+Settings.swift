public import CRMDomain
public import CRMSchema
public import EventStore
public import Foundation
import SwiftProtobuf

/// Business settings are events on their own streams, so the rules in force at any business
/// time can be read back, audited and replayed.
extension CRMService {
    /// Records new pool rules, in force from the command's business time.
    ///
    /// - Throws: `DomainError` `invalid_value` for rules that cannot work (see
    ///   ``PoolRules/validate(_:)``).
    @discardableResult
    public func configurePoolRules(
        _ rules: CRMPoolRulesConfigured,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        let context = try context(actor, occurredAt)
        return try await append(
            to: try poolSettings,
            expecting: .any,
            [try event(try PoolRules.validate(rules), context)]
        )
    }

    /// The pool rules in force at business time `time`, or the defaults before any.
    public func poolRules(at time: Date) async throws -> PoolRules {
        try await setting(try poolSettings, at: time, as: CRMPoolRulesConfigured.self).map { PoolRules($0) }
            ?? .defaults
    }

    /// Records a new opportunity pipeline, in force from the command's business time.
    /// Opportunities at a stage the new pipeline drops keep it until they move or close.
    ///
    /// - Throws: `DomainError` `invalid_pipeline` (see ``Pipeline/validate(_:)``).
    @discardableResult
    public func configurePipeline(
        _ pipeline: CRMPipelineConfigured,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        let context = try context(actor, occurredAt)
        return try await append(
            to: try pipelineSettings,
            expecting: .any,
            [try event(try Pipeline.validate(pipeline), context)]
        )
    }

    /// The pipeline in force at business time `time`, or the default one before any.
    public func pipeline(at time: Date) async throws -> Pipeline {
        try await setting(try pipelineSettings, at: time, as: CRMPipelineConfigured.self).map { Pipeline($0) }
            ?? .defaults
    }

    /// Records a new contract approval policy, in force from the command's business time.
    /// Contracts drafted before keep the approval chain they were drafted with.
    ///
    /// - Throws: `DomainError` `invalid_value` (see ``ApprovalPolicy/validate(_:)``).
    @discardableResult
    public func configureApprovalPolicy(
        _ policy: CRMApprovalPolicyConfigured,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        let context = try context(actor, occurredAt)
        return try await append(
            to: try approvalSettings,
            expecting: .any,
            [try event(try ApprovalPolicy.validate(policy), context)]
        )
    }

    /// The approval policy in force at business time `time`, or the default one before any.
    public func approvalPolicy(at time: Date) async throws -> ApprovalPolicy {
        try await setting(try approvalSettings, at: time, as: CRMApprovalPolicyConfigured.self).map {
            ApprovalPolicy($0)
        } ?? .defaults
    }

    /// Records a new commission rate on collected payments, in force from the command's
    /// business time.
    ///
    /// - Throws: `DomainError` `invalid_value` for a rate outside 0-10000 basis points.
    @discardableResult
    public func configureCommissionRate(
        _ rate: CRMCommissionRateConfigured,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        let context = try context(actor, occurredAt)
        return try await append(
            to: try commissionSettings,
            expecting: .any,
            [try event(try ReceivableDecisions.validate(rate), context)]
        )
    }

    /// The commission rate in basis points in force at business time `time`; 0 before any.
    public func commissionRate(at time: Date) async throws -> Int32 {
        try await setting(try commissionSettings, at: time, as: CRMCommissionRateConfigured.self)?.rateBasisPoints ?? 0
    }

    /// Records new lead priority weights, in force from the command's business time.
    ///
    /// - Throws: `DomainError` `invalid_value` (see ``LeadPriority/validate(_:)``).
    @discardableResult
    public func configureLeadPriority(
        _ weights: CRMLeadPriorityConfigured,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        let context = try context(actor, occurredAt)
        return try await append(
            to: try leadPrioritySettings,
            expecting: .any,
            [try event(try LeadPriority.validate(weights), context)]
        )
    }

    /// The lead priority weights in force at business time `time`, or the defaults before any.
    public func leadPriority(at time: Date) async throws -> LeadPriority {
        try await setting(try leadPrioritySettings, at: time, as: CRMLeadPriorityConfigured.self).map {
            LeadPriority($0)
        } ?? .defaults
    }

    /// The last `Setting` on `stream` that occurred at or before `time`.
    private func setting<Setting: SwiftProtobuf.Message>(
        _ stream: StreamName,
        at time: Date,
        as _: Setting.Type
    ) async throws -> Setting? {
        let (latest, _) = try await load(stream, into: Setting?.none) { latest, message, occurredAt in
            if let setting = message as? Setting, occurredAt <= time { latest = setting }
        }
        return latest
    }

    private var poolSettings: StreamName { get throws { try StreamName(category: "settings", id: "pool") } }
    private var pipelineSettings: StreamName { get throws { try StreamName(category: "settings", id: "pipeline") } }
    private var approvalSettings: StreamName { get throws { try StreamName(category: "settings", id: "approval") } }
    private var leadPrioritySettings: StreamName {
        get throws { try StreamName(category: "settings", id: "lead-priority") }
    }
    private var commissionSettings: StreamName { get throws { try StreamName(category: "settings", id: "commission") } }
}
