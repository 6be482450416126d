import CRMDomain
import CRMService
import Foundation
import Hummingbird

/// Leads: created with their dedup keys, assigned, qualified or disqualified, and converted
/// into a customer, its first contact and an opportunity.
extension CommandRoutes {
    func addLeads(to router: some RouterMethods<RapportRequestContext>) {
        router.post("v1/leads", use: createLead)
        router.post("v1/leads/:lead/assign", use: assignLead)
        router.post("v1/leads/:lead/qualify", use: qualifyLead)
        router.post("v1/leads/:lead/disqualify", use: disqualifyLead)
        router.post("v1/leads/:lead/convert", use: convertLead)
    }

    struct NewLeadBody: CommandBody {
        static let fields: Set<String> = [
            "companyName", "contactName", "phone", "email", "creditCode", "source", "campaignId", "ownerId",
        ]
        var companyName: String
        var contactName: String?
        var phone: String?
        var email: String?
        var creditCode: String?
        var source: String?
        var campaignId: String?
        var ownerId: String?
    }

    /// `POST /v1/leads`: 201 with the lead's id; 409 `duplicate_lead` or `duplicate_customer`
    /// naming the holder.
    @Sendable func createLead(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await NewLeadBody.decodeCommand(from: request, context: context)
        var lead = NewLead(companyName: body.companyName)
        lead.contactName = body.contactName ?? ""
        lead.phone = body.phone ?? ""
        lead.email = body.email ?? ""
        lead.creditCode = body.creditCode ?? ""
        lead.source = body.source ?? ""
        lead.campaignID = body.campaignId ?? ""
        lead.ownerID = body.ownerId ?? ""
        try scope.requireAssignable(principal, to: lead.ownerID)
        return try await created("leadId") {
            try await service.createLead(lead, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    struct AssignLeadBody: CommandBody {
        static let fields: Set<String> = ["repId"]
        var repId: String
    }

    /// `POST /v1/leads/{lead}/assign`: the lead goes to `repId`, whom the caller may give
    /// customers to (a rep themselves, a manager their team). Like every command on a lead,
    /// only on the caller's own leads, unassigned ones, or a manager's team's.
    @Sendable func assignLead(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, lead) = try routeRecord(context, "lead")
        let (body, occurredAt) = try await AssignLeadBody.decodeCommand(from: request, context: context)
        try scope.requireAssignable(principal, to: body.repId)
        return try await appended {
            try await service.assignLead(lead, to: body.repId, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    /// `POST /v1/leads/{lead}/qualify`: the lead is worth pursuing.
    @Sendable func qualifyLead(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, lead) = try routeRecord(context, "lead")
        let (body, occurredAt) = try await NoteBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.qualifyLead(lead, note: body.note ?? "", actor: principal.actor, occurredAt: occurredAt)
        }
    }

    /// `POST /v1/leads/{lead}/disqualify`: closed as not worth pursuing, with the reason.
    @Sendable func disqualifyLead(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, lead) = try routeRecord(context, "lead")
        let (body, occurredAt) = try await ReasonBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.disqualifyLead(lead, reason: body.reason, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    struct ConvertLeadBody: CommandBody, OpportunityFields {
        static let fields = opportunityFields
        var name: String
        var amount: Int64
        var currency: String
        var stageId: String?
        var expectedCloseAt: Date?
    }

    /// `POST /v1/leads/{lead}/convert`: a qualified lead becomes a customer owned by its rep
    /// (or the caller when unassigned), with its first contact and the opportunity the body
    /// describes; 201 with the three ids.
    @Sendable func convertLead(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, lead) = try routeRecord(context, "lead")
        let (body, occurredAt) = try await ConvertLeadBody.decodeCommand(from: request, context: context)
        CommandAnswer.convertedLead.expect()
        let ids = try await service.convertLead(
            lead,
            opportunity: body.opportunity,
            actor: principal.actor,
            occurredAt: occurredAt
        )
        return .json(
            .created,
            ["customerId": ids.customerID, "contactId": ids.contactID, "opportunityId": ids.opportunityID]
        )
    }
}
