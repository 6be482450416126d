import CRMDomain
import CRMService
import RapportAPI

/// Leads: created with their dedup keys, assigned, qualified or disqualified, and converted
/// into a customer, its first contact and an opportunity. Every command on a lead the path
/// names is on the caller's own leads, unassigned ones, or a manager's team's.
extension APIHandler {
    /// 201 with the lead's id; 409 `duplicate_lead` or `duplicate_customer` naming the holder.
    func createLead(_ input: Operations.CreateLead.Input) async throws -> Operations.CreateLead.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        var lead = NewLead(companyName: body.companyName)
        lead.contactName = body.contactName ?? ""
        lead.phone = body.phone ?? ""
        lead.email = body.email ?? ""
        lead.creditCode = body.creditCode ?? ""
        lead.source = body.source ?? ""
        lead.campaignID = body.campaignId ?? ""
        lead.ownerID = body.ownerId ?? ""
        lead.companySize = body.companySize ?? ""
        try scope.requireAssignable(acting.principal, to: lead.ownerID)
        let leadID = try await created("leadId") {
            try await service.createLead(lead, actor: acting.actor, occurredAt: acting.occurredAt)
        }
        return .created(.init(body: .json(.init(leadId: leadID))))
    }

    /// The lead goes to `repId`, whom the caller may give customers to (a rep themselves, a
    /// manager their team).
    func assignLead(_ input: Operations.AssignLead.Input) async throws -> Operations.AssignLead.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        try scope.requireAssignable(acting.principal, to: body.repId)
        return .ok(
            try await appended {
                try await service.assignLead(
                    input.path.lead,
                    to: body.repId,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// A contact with an open lead, which restarts its idle days.
    func followUpLead(_ input: Operations.FollowUpLead.Input) async throws -> Operations.FollowUpLead.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let channel = try CommandValues.channel(body.channel.rawValue)
        return .ok(
            try await appended {
                try await service.followUpLead(
                    input.path.lead,
                    channel: channel,
                    note: body.note ?? "",
                    nextContactAt: body.nextContactAt,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// The lead is worth pursuing.
    func qualifyLead(_ input: Operations.QualifyLead.Input) async throws -> Operations.QualifyLead.Output {
        let body = input.body?.json
        let acting = try acting(at: body?.occurredAt)
        return .ok(
            try await appended {
                try await service.qualifyLead(
                    input.path.lead,
                    note: body?.note ?? "",
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// Closed as not worth pursuing, with the reason.
    func disqualifyLead(_ input: Operations.DisqualifyLead.Input) async throws -> Operations.DisqualifyLead.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.disqualifyLead(
                    input.path.lead,
                    reason: body.reason,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    /// A qualified lead becomes a customer owned by its rep (or the caller when unassigned),
    /// with its first contact and the opportunity the body describes; 201 with the three ids.
    func convertLead(_ input: Operations.ConvertLead.Input) async throws -> Operations.ConvertLead.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        let opportunity = OpportunityDecisions.NewOpportunity(
            name: body.name,
            amount: body.amount,
            currency: body.currency,
            stageId: body.stageId,
            expectedCloseAt: body.expectedCloseAt
        )
        CommandAnswer.convertedLead.expect()
        let ids = try await service.convertLead(
            input.path.lead,
            opportunity: opportunity,
            actor: acting.actor,
            occurredAt: acting.occurredAt
        )
        return .created(
            .init(
                body: .json(
                    .init(customerId: ids.customerID, contactId: ids.contactID, opportunityId: ids.opportunityID)
                )
            )
        )
    }
}
