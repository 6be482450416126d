public import CRMSchema
public import Foundation
import SwiftProtobuf

/// The lead lifecycle: assign, follow up, qualify, disqualify, convert.
///
/// Creation is decided where the dedup keys are reserved (the service); these decisions take
/// the folded lead and return its next event, or refuse with a ``DomainError``.
public enum LeadDecisions {
    /// Assigns an open lead to a rep.
    ///
    /// - Throws: `lead_not_found`; `lead_closed`; for the rep `user_not_found`,
    ///   `user_inactive`, `role_cannot_own_customers`.
    public static func assign(_ lead: LeadState, to rep: UserState) throws(DomainError) -> CRMLeadAssigned {
        try requireOpen(lead)
        try UserDecisions.requireCanOwnCustomers(rep)
        var event = CRMLeadAssigned()
        (event.leadID, event.fromOwnerID, event.toOwnerID) = (lead.leadID, lead.ownerID, rep.userID)
        return event
    }

    /// Records a rep's contact with an open lead (a call, visit, email or IM), which restarts
    /// its idle days.
    ///
    /// - Throws: `lead_not_found`; `lead_closed`; `invalid_value` without a channel, or with
    ///   a next contact before the follow-up itself.
    public static func followUp(
        _ lead: LeadState,
        channel: CRMFollowUpChannel,
        note: String,
        nextContactAt: Date?,
        at time: Date
    ) throws(DomainError) -> CRMLeadFollowedUp {
        try requireOpen(lead)
        var event = CRMLeadFollowedUp()
        (event.leadID, event.channel, event.note) = (lead.leadID, channel, note.trimmedOfWhitespace())
        var followUp = CRMFollowUpLogged()
        (followUp.customerID, followUp.channel) = (lead.leadID, channel)
        if let nextContactAt {
            followUp.nextContactAt = .init(date: nextContactAt)
            event.nextContactAt = followUp.nextContactAt
        }
        // The same rules as a customer's follow-up: a known channel, a next contact not in the past.
        _ = try FollowUpDecisions.log(followUp, id: lead.leadID, at: time)
        return event
    }

    /// Marks an open lead as worth pursuing.
    public static func qualify(_ lead: LeadState, note: String) throws(DomainError) -> CRMLeadQualified {
        try requireOpen(lead)
        var event = CRMLeadQualified()
        (event.leadID, event.note) = (lead.leadID, note)
        return event
    }

    /// Closes a lead as not worth pursuing; the reason is required, for the churn reports.
    public static func disqualify(_ lead: LeadState, reason: String) throws(DomainError) -> CRMLeadDisqualified {
        try requireOpen(lead)
        var event = CRMLeadDisqualified()
        (event.leadID, event.reason) = (lead.leadID, try required(reason, "reason", code: .reasonRequired))
        return event
    }

    /// What converting a qualified lead produces: the customer, its first contact and the
    /// opportunity, all appended with the `LeadConverted` in one append.
    public struct Conversion: Sendable, Hashable {
        public var converted: CRMLeadConverted
        public var customer: CRMCustomerCreated
        public var contact: CRMContactAdded
        public var opportunity: CRMOpportunityOpened
    }

    /// Who owns what a lead converts into: its assigned rep, or the converting user when
    /// it is unassigned.
    public static func convertingOwner(of lead: LeadState, actor: String) -> String {
        lead.ownerID.isEmpty ? actor : lead.ownerID
    }

    /// Converts a qualified lead into a customer owned by `owner` (see
    /// ``convertingOwner(of:actor:)``), a contact and an opportunity.
    ///
    /// - Throws: `lead_not_found`; `lead_closed`; `lead_not_qualified`; for the owner
    ///   `user_not_found`, `user_inactive`, `role_cannot_own_customers`,
    ///   `holding_cap_reached`; for the opportunity as
    ///   ``OpportunityDecisions/open(_:id:customer:pipeline:)``.
    public static func convert(
        _ lead: LeadState,
        customerID: String,
        contactID: String,
        opportunityID: String,
        opportunity: OpportunityDecisions.NewOpportunity,
        owner: UserState,
        rules: PoolRules,
        pipeline: Pipeline
    ) throws(DomainError) -> Conversion {
        try requireExists(lead)
        guard lead.status == .qualified else {
            if lead.isClosed { try requireOpen(lead) }
            throw DomainError(
                .leadNotQualified,
                "lead \(lead.leadID) is \(lead.status.rawValue); qualify it before converting",
                facts: ["status": lead.status.rawValue]
            )
        }
        try UserDecisions.requireCanOwnCustomers(owner)
        try PoolDecisions.requireRoom(owner.holdings, rules: rules)
        var converted = CRMLeadConverted()
        (converted.leadID, converted.customerID, converted.contactID, converted.opportunityID) = (
            lead.leadID, customerID, contactID, opportunityID
        )
        var customer = CRMCustomerCreated()
        customer.customerID = customerID
        customer.name = lead.created.companyName
        (customer.creditCode, customer.phone, customer.email) = (
            lead.created.creditCode, lead.created.phone, lead.created.email
        )
        (customer.source, customer.ownerID, customer.leadID) = (lead.created.source, owner.userID, lead.leadID)
        var contact = CRMContactAdded()
        (contact.contactID, contact.customerID) = (contactID, customerID)
        contact.name = lead.created.contactName
        (contact.phone, contact.email) = (lead.created.phone, lead.created.email)
        var state = CustomerState(customerID: customerID)
        state.apply(customer, occurredAt: .distantPast)
        let opened = try OpportunityDecisions.open(opportunity, id: opportunityID, customer: state, pipeline: pipeline)
        return Conversion(converted: converted, customer: customer, contact: contact, opportunity: opened)
    }

    private static func requireExists(_ lead: LeadState) throws(DomainError) {
        guard lead.status != .absent else {
            throw DomainError(.leadNotFound, "no lead \(lead.leadID)", facts: ["lead": lead.leadID])
        }
    }

    private static func requireOpen(_ lead: LeadState) throws(DomainError) {
        try requireExists(lead)
        guard !lead.isClosed else {
            var facts = ["status": lead.status.rawValue]
            if !lead.customerID.isEmpty { facts["customer"] = lead.customerID }
            throw DomainError(
                .leadClosed,
                "lead \(lead.leadID) is \(lead.status.rawValue) and takes no more changes",
                facts: facts
            )
        }
    }
}
