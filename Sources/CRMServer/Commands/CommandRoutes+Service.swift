import CRMDomain
import CRMService
import Foundation
import Hummingbird

/// After-sales service: work orders, complaints and satisfaction surveys, each for a
/// customer in the caller's scope.
extension CommandRoutes {
    func addService(to router: some RouterMethods<RapportRequestContext>) {
        router.post("v1/work-orders", use: openWorkOrder)
        router.post("v1/work-orders/:workOrder/assign", use: assignWorkOrder)
        router.post("v1/work-orders/:workOrder/resolve", use: resolveWorkOrder)
        router.post("v1/work-orders/:workOrder/close", use: closeWorkOrder)
        router.post("v1/complaints", use: fileComplaint)
        router.post("v1/complaints/:complaint/resolve", use: resolveComplaint)
        router.post("v1/customers/:customer/surveys", use: recordSurvey)
    }

    // MARK: - Work orders

    struct NewWorkOrderBody: CommandBody {
        static let fields: Set<String> = ["customerId", "contractId", "title", "description"]
        var customerId: String
        var contractId: String?
        var title: String
        var description: String?
    }

    /// `POST /v1/work-orders`: 201 with the work order's id.
    @Sendable func openWorkOrder(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await NewWorkOrderBody.decodeCommand(from: request, context: context)
        try requireInScope(principal, customer: body.customerId)
        return try await created("workOrderId") {
            try await service.openWorkOrder(
                for: body.customerId,
                contractID: body.contractId ?? "",
                title: body.title,
                description: body.description ?? "",
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct AssigneeBody: CommandBody {
        static let fields: Set<String> = ["assigneeId"]
        var assigneeId: String
    }

    /// `POST /v1/work-orders/{workOrder}/assign`: to a user.
    @Sendable func assignWorkOrder(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, workOrder) = try routeRecord(context, "workOrder")
        let (body, occurredAt) = try await AssigneeBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.assignWorkOrder(
                workOrder,
                to: body.assigneeId,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct ResolutionBody: CommandBody {
        static let fields: Set<String> = ["resolution"]
        var resolution: String
    }

    /// `POST /v1/work-orders/{workOrder}/resolve`: saying how.
    @Sendable func resolveWorkOrder(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, workOrder) = try routeRecord(context, "workOrder")
        let (body, occurredAt) = try await ResolutionBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.resolveWorkOrder(
                workOrder,
                resolution: body.resolution,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    /// `POST /v1/work-orders/{workOrder}/close`: a resolved work order is done.
    @Sendable func closeWorkOrder(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, workOrder) = try routeRecord(context, "workOrder")
        let (_, occurredAt) = try await EmptyBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.closeWorkOrder(workOrder, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    // MARK: - Complaints and surveys

    struct ComplaintBody: CommandBody {
        static let fields: Set<String> = ["customerId", "category", "description"]
        var customerId: String
        var category: String
        var description: String?
    }

    /// `POST /v1/complaints`: 201 with the complaint's id.
    @Sendable func fileComplaint(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await ComplaintBody.decodeCommand(from: request, context: context)
        try requireInScope(principal, customer: body.customerId)
        return try await created("complaintId") {
            try await service.fileComplaint(
                for: body.customerId,
                category: body.category,
                description: body.description ?? "",
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct ComplaintResolutionBody: CommandBody {
        static let fields: Set<String> = ["rootCause", "resolution"]
        var rootCause: String
        var resolution: String
    }

    /// `POST /v1/complaints/{complaint}/resolve`: with its root cause and resolution.
    @Sendable func resolveComplaint(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, complaint) = try routeRecord(context, "complaint")
        let (body, occurredAt) = try await ComplaintResolutionBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.resolveComplaint(
                complaint,
                rootCause: body.rootCause,
                resolution: body.resolution,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    struct SurveyBody: CommandBody {
        static let fields: Set<String> = ["workOrderId", "score", "comment"]
        var workOrderId: String?
        /// 1 to 5.
        var score: Int32
        var comment: String?
    }

    /// `POST /v1/customers/{customer}/surveys`: 201 with the survey's id.
    @Sendable func recordSurvey(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, customer) = try routeRecord(context, "customer")
        let (body, occurredAt) = try await SurveyBody.decodeCommand(from: request, context: context)
        return try await created("surveyId") {
            try await service.recordSurvey(
                for: customer,
                workOrderID: body.workOrderId ?? "",
                score: body.score,
                comment: body.comment ?? "",
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }
}
