import CRMDomain
import CRMSchema
public import EventStore
public import Foundation
import SwiftProtobuf

extension CRMService {
    // MARK: - Work orders

    /// Opens a work order for a customer, optionally about a contract.
    ///
    /// - Returns: the work order's id.
    public func openWorkOrder(
        for customerID: String,
        contractID: String = "",
        title: String,
        description: String = "",
        actor: String,
        occurredAt: Date? = nil
    )
        async throws -> String
    {
        let context = try context(actor, occurredAt)
        let id = newID()
        let opened = try ServiceDecisions.openWorkOrder(
            id: id,
            customer: try await loadCustomer(customerID).0,
            contractID: contractID,
            title: title,
            description: description
        )
        _ = try await append(to: try workOrderStream(id), expecting: .noStream, [try event(opened, context)])
        return id
    }

    /// Assigns a work order to a user.
    @discardableResult
    public func assignWorkOrder(
        _ id: String,
        to userID: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        let user = try await loadUser(userID).0
        return try await decideOnWorkOrder(id, actor: actor, occurredAt: occurredAt) {
            try ServiceDecisions.assign($0, to: user)
        }
    }

    /// Resolves a work order, saying how.
    @discardableResult
    public func resolveWorkOrder(
        _ id: String,
        resolution: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnWorkOrder(id, actor: actor, occurredAt: occurredAt) {
            try ServiceDecisions.resolve($0, resolution: resolution)
        }
    }

    /// Closes a resolved work order.
    @discardableResult
    public func closeWorkOrder(_ id: String, actor: String, occurredAt: Date? = nil) async throws -> AppendResult {
        try await decideOnWorkOrder(id, actor: actor, occurredAt: occurredAt) { try ServiceDecisions.close($0) }
    }

    private func decideOnWorkOrder(
        _ id: String,
        actor: String,
        occurredAt: Date?,
        decide: (WorkOrderState) throws -> any SwiftProtobuf.Message
    ) async throws
        -> AppendResult
    {
        try await decideOnStream(
            try workOrderStream(id),
            actor: actor,
            occurredAt: occurredAt,
            load: {
                try await load(try workOrderStream(id), into: WorkOrderState(workOrderID: id)) { state, message, _ in
                    state.apply(message)
                }
            },
            decide: decide
        )
    }

    // MARK: - Complaints and surveys

    /// Files a customer's complaint under a category.
    ///
    /// - Returns: the complaint's id.
    public func fileComplaint(
        for customerID: String,
        category: String,
        description: String = "",
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> String {
        let context = try context(actor, occurredAt)
        let id = newID()
        let filed = try ServiceDecisions.fileComplaint(
            id: id,
            customer: try await loadCustomer(customerID).0,
            category: category,
            description: description
        )
        _ = try await append(to: try complaintStream(id), expecting: .noStream, [try event(filed, context)])
        return id
    }

    /// Resolves a complaint with its root cause and resolution.
    @discardableResult
    public func resolveComplaint(
        _ id: String,
        rootCause: String,
        resolution: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnStream(
            try complaintStream(id),
            actor: actor,
            occurredAt: occurredAt,
            load: {
                try await load(try complaintStream(id), into: ComplaintState(complaintID: id)) { state, message, _ in
                    state.apply(message)
                }
            }
        ) { try ServiceDecisions.resolveComplaint($0, rootCause: rootCause, resolution: resolution) }
    }

    /// Records a customer's satisfaction score (1-5), on the customer's stream.
    ///
    /// - Returns: the survey's id.
    public func recordSurvey(
        for customerID: String,
        workOrderID: String = "",
        score: Int32,
        comment: String = "",
        actor: String,
        occurredAt: Date? = nil
    )
        async throws -> String
    {
        let id = newID()
        try await decideOnStream(
            try customerStream(customerID),
            actor: actor,
            occurredAt: occurredAt,
            load: { try await loadCustomer(customerID) }
        ) {
            try ServiceDecisions.survey(id: id, customer: $0, workOrderID: workOrderID, score: score, comment: comment)
        }
        return id
    }

    func workOrderStream(_ id: String) throws -> StreamName { try StreamName(category: "workorder", id: id) }
    func complaintStream(_ id: String) throws -> StreamName { try StreamName(category: "complaint", id: id) }
}
