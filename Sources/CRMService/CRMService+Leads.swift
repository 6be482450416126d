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
        let context = try CommandContext(actor: actor, occurredAt: occurredAt, now: clock.now())
        let keys = try dedupKeys(name: lead.companyName, creditCode: lead.creditCode, phone: lead.phone, email: lead.email)
        let leadID = UUID.timeOrdered().uuidString.lowercased()
        let stream = try leadStream(leadID)
        var created = CRMLeadCreated()
        (created.leadID, created.companyName, created.contactName) = (leadID, lead.companyName, lead.contactName)
        created.phone = keys.first { $0.kind == .phone }?.value ?? ""
        created.email = keys.first { $0.kind == .email }?.value ?? ""
        created.creditCode = keys.first { $0.kind == .creditCode }?.value ?? ""
        (created.source, created.campaignID, created.ownerID) = (lead.source, lead.campaignID, lead.ownerID)
        let reservations = try keys.map { (key: try UniqueKey($0.uniqueKey), owner: stream) }
        do {
            _ = try await log.append(AppendRequest([StreamAppend(stream: stream, expectedVersion: .noStream, events: [try event(created, context)])], reserving: reservations))
        } catch let error as EventStoreError where error.code == .uniqueKeyTaken {
            throw try await duplicate(of: error)
        }
        return leadID
    }

    /// Assigns a lead to a rep.
    @discardableResult
    public func assignLead(_ leadID: String, to repID: String, actor: String, occurredAt: Date? = nil) async throws -> AppendResult {
        try await decideOnLead(leadID, actor: actor, occurredAt: occurredAt) { lead, _ in try LeadDecisions.assign(lead, to: repID) }
    }

    /// Qualifies a lead.
    @discardableResult
    public func qualifyLead(_ leadID: String, note: String = "", actor: String, occurredAt: Date? = nil) async throws -> AppendResult {
        try await decideOnLead(leadID, actor: actor, occurredAt: occurredAt) { lead, _ in try LeadDecisions.qualify(lead, note: note) }
    }

    /// Disqualifies a lead, with the reason.
    @discardableResult
    public func disqualifyLead(_ leadID: String, reason: String, actor: String, occurredAt: Date? = nil) async throws -> AppendResult {
        try await decideOnLead(leadID, actor: actor, occurredAt: occurredAt) { lead, _ in try LeadDecisions.disqualify(lead, reason: reason) }
    }

    /// Converts a qualified lead: the lead's `LeadConverted`, the customer with its first
    /// contact, the opportunity, and the owner's holdings entry, in one atomic append that
    /// also moves the lead's dedup keys to the customer.
    ///
    /// - Returns: the ids of the customer, contact and opportunity.
    public func convertLead(
        _ leadID: String,
        opportunityName: String,
        amount: CRMMoney,
        stageID: String,
        actor: String,
        occurredAt: Date? = nil
    ) async throws -> (customerID: String, contactID: String, opportunityID: String) {
        let (customerID, contactID, opportunityID) = (newID(), newID(), newID())
        return try await retryingOnConflict("converting lead \(leadID)") {
            let context = try CommandContext(actor: actor, occurredAt: occurredAt, now: clock.now())
            let (lead, leadVersion) = try await loadLead(leadID)
            let conversion = try LeadDecisions.convert(
                lead, customerID: customerID, contactID: contactID, opportunityID: opportunityID,
                opportunityName: opportunityName, amount: amount, stageID: stageID, actor: actor
            )
            let owner = conversion.customer.ownerID
            let (holdings, holdingsVersion) = try await loadHoldings(of: owner)
            try PoolDecisions.requireRoom(holdings, rules: try await poolRules(at: context.occurredAt))
            var entry = CRMRepHoldingChanged()
            (entry.customerID, entry.gained, entry.reason) = (customerID, true, .created)

            let keys = try dedupKeys(name: lead.created.companyName, creditCode: lead.created.creditCode, phone: lead.created.phone, email: lead.created.email)
                .map { try UniqueKey($0.uniqueKey) }
            let customer = try customerStream(customerID)
            let request = AppendRequest(
                [
                    StreamAppend(stream: try leadStream(leadID), expectedVersion: leadVersion, events: [try event(conversion.converted, context)]),
                    StreamAppend(stream: customer, expectedVersion: .noStream, events: [try event(conversion.customer, context), try event(conversion.contact, context)]),
                    StreamAppend(stream: try StreamName(category: "opportunity", id: opportunityID), expectedVersion: .noStream, events: [try event(conversion.opportunity, context)]),
                    StreamAppend(stream: try repStream(owner), expectedVersion: holdingsVersion, events: [try event(entry, context)]),
                ],
                reserving: keys.map { ($0, customer) },
                releasing: try keys.map { ($0, try leadStream(leadID)) }
            )
            _ = try await log.append(request)
            return (customerID, contactID, opportunityID)
        }
    }

    private func decideOnLead(
        _ leadID: String,
        actor: String,
        occurredAt: Date?,
        decide: (LeadState, CommandContext) throws -> any SwiftProtobuf.Message
    ) async throws -> AppendResult {
        try await retryingOnConflict("the change to lead \(leadID)") {
            let context = try CommandContext(actor: actor, occurredAt: occurredAt, now: clock.now())
            let (lead, version) = try await loadLead(leadID)
            let decided = try decide(lead, context)
            return try await log.append(to: try leadStream(leadID), expecting: version, [try event(decided, context)])
        }
    }

    func loadLead(_ leadID: String) async throws -> (LeadState, ExpectedVersion) {
        var state = LeadState(leadID: leadID)
        let version = try await replay(try leadStream(leadID)) { message, _ in state.apply(message) }
        return (state, version)
    }

    private func newID() -> String { UUID.timeOrdered().uuidString.lowercased() }
}
