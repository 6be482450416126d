public import CRMSchema
import Foundation
import SwiftProtobuf

/// Follow-ups: calls, visits, emails and instant messages, with notes and the next contact.
public enum FollowUpDecisions {
    /// A follow-up as it will be recorded, given its id.
    ///
    /// Only the customer's existence matters, and the service checks it from the stream's
    /// version; a follow-up conflicts with no other change.
    ///
    /// - Throws: `field_required` without a customer; `invalid_value` without a channel,
    ///   or with a next contact before the follow-up itself.
    public static func log(
        _ followUp: CRMFollowUpLogged,
        id: String,
        context: CommandContext
    ) throws(DomainError) -> CRMFollowUpLogged {
        try log(followUp, id: id, at: context.occurredAt)
    }

    /// A follow-up as it will be recorded, given its id and its business time.
    static func log(_ followUp: CRMFollowUpLogged, id: String, at time: Date) throws(DomainError) -> CRMFollowUpLogged {
        var logged = followUp
        logged.customerID = try required(followUp.customerID, "customer")
        if logged.followUpID.isEmpty { logged.followUpID = id }
        switch followUp.channel {
        case .call, .visit, .email, .im: break
        default:
            throw DomainError(.invalidValue, "a follow-up is a call, visit, email or IM", facts: ["field": "channel"])
        }
        if followUp.hasNextContactAt, followUp.nextContactAt.date < time {
            throw DomainError(
                .invalidValue,
                "the next contact (\(followUp.nextContactAt.date.formatted(.iso8601))) is before this follow-up (\(time.formatted(.iso8601)))",
                facts: ["field": "next_contact_at"]
            )
        }
        return logged
    }
}
