public import CRMDomain
public import CRMSchema
public import EventStore
public import Foundation
import SwiftProtobuf

/// A lead to create.
public struct NewLead: Sendable, Hashable {
    /// The company name (required; a dedup key).
    public var companyName: String
    public var contactName = ""
    /// A phone number in any common form (a dedup key, stored in E.164).
    public var phone = ""
    /// An email address (a dedup key, stored lowercased).
    public var email = ""
    /// The unified social credit code (a dedup key).
    public var creditCode = ""
    /// Where the lead came from: "website", "trade-show", "referral", …
    public var source = ""
    public var campaignID = ""
    /// The assigned rep; empty leaves it unassigned.
    public var ownerID = ""
    /// The company's size band (`1-49`, `50-249`, `250+`), which weighs in its priority.
    public var companySize = ""

    /// A lead for `companyName`; set the other fields as needed.
    public init(companyName: String) {
        self.companyName = companyName
    }
}

extension CRMService {
    /// Creates a lead, reserving its dedup keys: a lead cannot duplicate another lead or a
    /// customer.
    ///
    /// - Returns: the lead's id.
    /// - Throws: `DedupKeyError` for malformed keys; `DomainError` `duplicate_lead` or
    ///   `duplicate_customer`, naming the holder.
    public func createLead(_ lead: NewLead, actor: String, occurredAt: Date? = nil) async throws -> String {
        let context = try context(actor, occurredAt)
        let keys = try DedupKey.keys(
            company: lead.companyName,
            creditCode: lead.creditCode,
            phone: lead.phone,
            email: lead.email
        )
        let leadID = newID()
        let stream = try leadStream(leadID)
        var created = CRMLeadCreated()
        (created.leadID, created.companyName, created.contactName) = (leadID, lead.companyName, lead.contactName)
        created.phone = keys.first { $0.kind == .phone }?.value ?? ""
        created.email = keys.first { $0.kind == .email }?.value ?? ""
        created.creditCode = keys.first { $0.kind == .creditCode }?.value ?? ""
        (created.source, created.campaignID, created.ownerID) = (lead.source, lead.campaignID, lead.ownerID)
        created.companySize = lead.companySize.trimmingCharacters(in: .whitespacesAndNewlines)
        let reservations = try keys.map { (key: try UniqueKey($0.uniqueKey), owner: stream) }
        try await appendRefusingDuplicates(
            AppendRequest(
                [StreamAppend(stream: stream, expectedVersion: .noStream, events: [try event(created, context)])],
                reserving: reservations
            )
        )
        return leadID
    }

    /// Assigns a lead to a rep.
    ///
    /// - Throws: `DomainError` as ``LeadDecisions/assign(_:to:)``.
    @discardableResult
    public func assignLead(
        _ leadID: String,
        to repID: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        let rep = try await loadUser(repID).0
        return try await decideOnLead(leadID, actor: actor, occurredAt: occurredAt) { lead in
            try LeadDecisions.assign(lead, to: rep)
        }
    }

    /// Records a rep's contact with an open lead, which restarts its idle days.
    ///
    /// - Throws: `DomainError` as ``LeadDecisions/followUp(_:channel:note:nextContactAt:at:)``.
    @discardableResult
    public func followUpLead(
        _ leadID: String,
        channel: CRMFollowUpChannel,
        note: String = "",
        nextContactAt: Date? = nil,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        let time = try context(actor, occurredAt).occurredAt
        return try await decideOnLead(leadID, actor: actor, occurredAt: time) { lead in
            try LeadDecisions.followUp(lead, channel: channel, note: note, nextContactAt: nextContactAt, at: time)
        }
    }

    /// Qualifies a lead.
    @discardableResult
    public func qualifyLead(
        _ leadID: String,
        note: String = "",
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnLead(leadID, actor: actor, occurredAt: occurredAt) { lead in
            try LeadDecisions.qualify(lead, note: note)
        }
    }

    /// Disqualifies a lead, with the reason.
    @discardableResult
    public func disqualifyLead(
        _ leadID: String,
        reason: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> AppendResult {
        try await decideOnLead(leadID, actor: actor, occurredAt: occurredAt) { lead in
            try LeadDecisions.disqualify(lead, reason: reason)
        }
    }

    /// Converts a qualified lead: the lead's `LeadConverted`, the customer with its first
    /// contact, the opportunity, and the owner's holdings entry, in one atomic append that
    /// also moves the lead's dedup keys to the customer.
    ///
    /// - Returns: the ids of the customer, contact and opportunity.
    /// - Throws: `DomainError` as
    ///   ``LeadDecisions/convert(_:customerID:contactID:opportunityID:opportunity:owner:rules:pipeline:)``.
    public func convertLead(
        _ leadID: String,
        opportunity: OpportunityDecisions.NewOpportunity,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> (customerID: String, contactID: String, opportunityID: String) {
        let (customerID, contactID, opportunityID) = (newID(), newID(), newID())
        let context = try context(actor, occurredAt)
        return try await retryingOnConflict("converting lead \(leadID)") {
            let (lead, leadVersion) = try await loadLead(leadID)
            let ownerID = LeadDecisions.convertingOwner(of: lead, actor: actor)
            let (owner, ownerVersion) = try await loadUser(ownerID)
            let conversion = try LeadDecisions.convert(
                lead,
                customerID: customerID,
                contactID: contactID,
                opportunityID: opportunityID,
                opportunity: opportunity,
                owner: owner,
                rules: try await poolRules(at: context.occurredAt),
                pipeline: try await pipeline(at: context.occurredAt)
            )
            let entry = RepHoldings.created(customerID)

            let keys = try DedupKey.keys(
                company: lead.created.companyName,
                creditCode: lead.created.creditCode,
                phone: lead.created.phone,
                email: lead.created.email
            )
            .map { try UniqueKey($0.uniqueKey) }
            let customer = try customerStream(customerID)
            let request = AppendRequest(
                [
                    StreamAppend(
                        stream: try leadStream(leadID),
                        expectedVersion: leadVersion,
                        events: [try event(conversion.converted, context)]
                    ),
                    StreamAppend(
                        stream: customer,
                        expectedVersion: .noStream,
                        events: [try event(conversion.customer, context), try event(conversion.contact, context)]
                    ),
                    StreamAppend(
                        stream: try opportunityStream(opportunityID),
                        expectedVersion: .noStream,
                        events: [try event(conversion.opportunity, context)]
                    ),
                    StreamAppend(
                        stream: try userStream(ownerID),
                        expectedVersion: ownerVersion,
                        events: [try event(entry, context)]
                    ),
                ],
                reserving: keys.map { ($0, customer) },
                releasing: try keys.map { ($0, try leadStream(leadID)) }
            )
            _ = try await append(request)
            return (customerID, contactID, opportunityID)
        }
    }

    private func decideOnLead(
        _ leadID: String,
        actor: String,
        occurredAt: Date?,
        decide: (LeadState) throws -> any SwiftProtobuf.Message
    ) async throws -> AppendResult {
        try await decideOnStream(
            try leadStream(leadID),
            actor: actor,
            occurredAt: occurredAt,
            load: { try await loadLead(leadID) },
            decide: decide
        )
    }

    func loadLead(_ leadID: String) async throws -> (LeadState, ExpectedVersion) {
        try await load(try leadStream(leadID), into: LeadState(leadID: leadID)) { lead, message, _ in
            lead.apply(message)
        }
    }
}
