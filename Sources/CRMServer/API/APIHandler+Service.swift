import CRMDomain
import CRMService
import RapportAPI

/// After-sales service: work orders, complaints and satisfaction surveys.
extension APIHandler {
    // MARK: - Work orders

    /// 201 with the work order's id, for a customer within the caller's scope.
    func openWorkOrder(_ input: Operations.OpenWorkOrder.Input) async throws -> Operations.OpenWorkOrder.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        try requireInScope(acting.principal, customer: body.customerId)
        let workOrderID = try await created("workOrderId") {
            try await service.openWorkOrder(
                for: body.customerId,
                contractID: body.contractId ?? "",
                title: body.title,
                description: body.description ?? "",
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(workOrderId: workOrderID))))
    }

    /// The work order goes to `assigneeId`.
    func assignWorkOrder(_ input: Operations.AssignWorkOrder.Input) async throws -> Operations.AssignWorkOrder.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.assignWorkOrder(
                    input.path.workOrder,
                    to: body.assigneeId,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// Resolved, with what was done.
    func resolveWorkOrder(_ input: Operations.ResolveWorkOrder.Input) async throws -> Operations.ResolveWorkOrder.Output
    {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.resolveWorkOrder(
                    input.path.workOrder,
                    resolution: body.resolution,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// Closed once resolved.
    func closeWorkOrder(_ input: Operations.CloseWorkOrder.Input) async throws -> Operations.CloseWorkOrder.Output {
        let body = input.body?.json
        let acting = try acting(at: body?.occurredAt)
        return .ok(
            try await appended {
                try await service.closeWorkOrder(
                    input.path.workOrder,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    // MARK: - Complaints and surveys

    /// 201 with the complaint's id, for a customer within the caller's scope.
    func fileComplaint(_ input: Operations.FileComplaint.Input) async throws -> Operations.FileComplaint.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        try requireInScope(acting.principal, customer: body.customerId)
        let complaintID = try await created("complaintId") {
            try await service.fileComplaint(
                for: body.customerId,
                category: body.category,
                description: body.description ?? "",
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(complaintId: complaintID))))
    }

    /// Resolved, with its root cause.
    func resolveComplaint(_ input: Operations.ResolveComplaint.Input) async throws -> Operations.ResolveComplaint.Output
    {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.resolveComplaint(
                    input.path.complaint,
                    rootCause: body.rootCause,
                    resolution: body.resolution,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// 201 with the survey's id: the customer's score (1-5), after a work order or not.
    func recordSurvey(_ input: Operations.RecordSurvey.Input) async throws -> Operations.RecordSurvey.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let surveyID = try await created("surveyId") {
            try await service.recordSurvey(
                for: input.path.customer,
                workOrderID: body.workOrderId ?? "",
                score: body.score,
                comment: body.comment ?? "",
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(surveyId: surveyID))))
    }
}
