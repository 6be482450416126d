import CRMSchema
public import Projections

/// Folds the log into one ``Customer360`` view per customer, its timeline, and the lists of
/// customers per owner and in the pool.
///
/// Many events name only a contract, an opportunity, a work order, … ; index tables map those
/// ids to the customer (filled by the event that names both), so every such event lands on the
/// right customer. A lead's events are kept until it converts, then open the new customer's
/// timeline.
///
/// Tables:
/// - `customers`: customer id → ``Customer360`` (without its query-time segment and timeline page);
/// - `owned`: `owner|customer` → ``CustomerListing``, one per customer an owner holds;
/// - `pool`: customer id → ``CustomerListing``, the customers in the public pool;
/// - `timelineIndex`: customer id → entry count and chunk starts;
/// - `timeline`: `customer|chunk` (chunk number zero-padded to 6 digits) → entries;
/// - `leadTimelines`: lead id → the lead's entries before its conversion;
/// - `leadCustomer`, `opportunityCustomer`, `quoteCustomer`, `contractCustomer`,
///   `workOrderCustomer`, `complaintCustomer`: id → customer id.
public final class Customer360Projector: Projector {
    public static let name = "customer360"
    public static let version: UInt32 = 1
    public static let eventTypes: Set<String> = [
        CRMCustomerCreated.protoMessageName, CRMCustomerProfileUpdated.protoMessageName,
        CRMCustomerTagged.protoMessageName, CRMContactAdded.protoMessageName, CRMContactUpdated.protoMessageName,
        CRMCustomerOwnershipChanged.protoMessageName, CRMPoolReleaseWarned.protoMessageName,
        CRMFollowUpLogged.protoMessageName, CRMSatisfactionSurveyed.protoMessageName,
        CRMLeadCreated.protoMessageName, CRMLeadAssigned.protoMessageName, CRMLeadQualified.protoMessageName,
        CRMLeadDisqualified.protoMessageName, CRMLeadConverted.protoMessageName,
        CRMOpportunityOpened.protoMessageName, CRMOpportunityStageChanged.protoMessageName,
        CRMOpportunityWon.protoMessageName, CRMOpportunityLost.protoMessageName, CRMOpportunityReopened.protoMessageName,
        CRMQuoteCreated.protoMessageName, CRMQuoteAccepted.protoMessageName, CRMQuoteRejected.protoMessageName,
        CRMContractDrafted.protoMessageName, CRMContractApproved.protoMessageName, CRMContractRejected.protoMessageName,
        CRMInstalmentsScheduled.protoMessageName, CRMPaymentReceived.protoMessageName,
        CRMCommissionEarned.protoMessageName, CRMInvoiceRequested.protoMessageName, CRMInvoiceIssued.protoMessageName,
        CRMRefundRequested.protoMessageName, CRMRefundApproved.protoMessageName, CRMRefundRejected.protoMessageName,
        CRMReturnedGoodsReceived.protoMessageName, CRMRefundPaid.protoMessageName,
        CRMShipmentDispatched.protoMessageName, CRMExpenseRecorded.protoMessageName,
        CRMWorkOrderOpened.protoMessageName, CRMWorkOrderAssigned.protoMessageName,
        CRMWorkOrderResolved.protoMessageName, CRMWorkOrderClosed.protoMessageName,
        CRMComplaintFiled.protoMessageName, CRMComplaintResolved.protoMessageName,
        CRMCampaignResponded.protoMessageName,
    ]

    /// Entries per timeline row: small enough that appending re-encodes little, large enough
    /// that a page reads few rows.
    static let timelineChunkSize = 64

    let customers = ReadModelTable<Customer360>("customers")
    let owned = ReadModelTable<CustomerListing>("owned")
    let pool = ReadModelTable<CustomerListing>("pool")
    let timelineIndex = ReadModelTable<TimelineIndex>("timelineIndex")
    let timeline = ReadModelTable<TimelineChunk>("timeline")
    let leadTimelines = ReadModelTable<LeadTimeline>("leadTimelines")
    let leadCustomer = ReadModelTable<String>("leadCustomer")
    let opportunityCustomer = ReadModelTable<String>("opportunityCustomer")
    let quoteCustomer = ReadModelTable<String>("quoteCustomer")
    let contractCustomer = ReadModelTable<String>("contractCustomer")
    let workOrderCustomer = ReadModelTable<String>("workOrderCustomer")
    let complaintCustomer = ReadModelTable<String>("complaintCustomer")

    public init() {}

    public var tables: [any ReadModelTableProtocol] {
        [
            customers, owned, pool, timelineIndex, timeline, leadTimelines, leadCustomer, opportunityCustomer,
            quoteCustomer, contractCustomer, workOrderCustomer, complaintCustomer,
        ]
    }

    public func apply(_ event: CRMEvent) throws {
        switch event.payload {
        // The customer's own stream.
        case let created as CRMCustomerCreated: apply(created, event)
        case let updated as CRMCustomerProfileUpdated: apply(updated, event)
        case let tagged as CRMCustomerTagged: apply(tagged, event)
        case let contact as CRMContactAdded: apply(contact, event)
        case let contact as CRMContactUpdated: apply(contact, event)
        case let change as CRMCustomerOwnershipChanged: apply(change, event)
        case let warning as CRMPoolReleaseWarned: apply(warning, event)
        case let followUp as CRMFollowUpLogged: apply(followUp, event)
        case let survey as CRMSatisfactionSurveyed: apply(survey, event)
        // Leads.
        case let lead as CRMLeadCreated: leadEvent(lead.leadID, event)
        case let lead as CRMLeadAssigned: leadEvent(lead.leadID, event)
        case let lead as CRMLeadQualified: leadEvent(lead.leadID, event)
        case let lead as CRMLeadDisqualified: leadEvent(lead.leadID, event)
        case let converted as CRMLeadConverted: apply(converted, event)
        // Opportunities and quotes.
        case let opened as CRMOpportunityOpened: apply(opened, event)
        case let moved as CRMOpportunityStageChanged: apply(moved, event)
        case let won as CRMOpportunityWon: apply(won, event)
        case let lost as CRMOpportunityLost: apply(lost, event)
        case let reopened as CRMOpportunityReopened: apply(reopened, event)
        case let quote as CRMQuoteCreated:
            quoteCustomer[quote.quoteID] = quote.customerID
            record(event, for: quote.customerID)
        case let quote as CRMQuoteAccepted: record(event, for: quoteCustomer[quote.quoteID])
        case let quote as CRMQuoteRejected: record(event, for: quoteCustomer[quote.quoteID])
        // Contracts and their money.
        case let drafted as CRMContractDrafted: apply(drafted, event)
        case let approved as CRMContractApproved: apply(approved, event)
        case let rejected as CRMContractRejected: apply(rejected, event)
        case let plan as CRMInstalmentsScheduled: apply(plan, event)
        case let payment as CRMPaymentReceived: apply(payment, event)
        case let commission as CRMCommissionEarned: record(event, for: contractCustomer[commission.contractID])
        case let invoice as CRMInvoiceRequested: apply(invoice, event)
        case let invoice as CRMInvoiceIssued: record(event, for: contractCustomer[invoice.contractID])
        case let refund as CRMRefundRequested: record(event, for: contractCustomer[refund.contractID])
        case let refund as CRMRefundApproved: record(event, for: contractCustomer[refund.contractID])
        case let refund as CRMRefundRejected: record(event, for: contractCustomer[refund.contractID])
        case let goods as CRMReturnedGoodsReceived: record(event, for: contractCustomer[goods.contractID])
        case let refund as CRMRefundPaid: apply(refund, event)
        case let shipment as CRMShipmentDispatched:
            record(event, for: shipment.customerID.isEmpty ? contractCustomer[shipment.contractID] : shipment.customerID)
        case let expense as CRMExpenseRecorded where !expense.customerID.isEmpty: record(event, for: expense.customerID)
        // Service.
        case let opened as CRMWorkOrderOpened: apply(opened, event)
        case let assigned as CRMWorkOrderAssigned: apply(assigned, event)
        case let resolved as CRMWorkOrderResolved: apply(resolved, event)
        case let closed as CRMWorkOrderClosed: apply(closed, event)
        case let filed as CRMComplaintFiled: apply(filed, event)
        case let resolved as CRMComplaintResolved: apply(resolved, event)
        // Campaigns.
        case let response as CRMCampaignResponded:
            if !response.customerID.isEmpty {
                record(event, for: response.customerID)
            } else if !response.leadID.isEmpty {
                leadEvent(response.leadID, event)
            }
        default:
            break
        }
    }

    // MARK: - Timeline

    /// Adds `event` to the timeline of `customerID` (nothing when no customer is known).
    func record(_ event: CRMEvent, for customerID: String?) {
        guard let customerID, !customerID.isEmpty else { return }
        append(Customer360.TimelineEntry(position: event.position, type: event.type, occurredAt: event.occurredAt.nanosecondsSinceEpoch), to: customerID)
    }

    /// Appends one entry to a customer's timeline. Entries arrive in position order: the
    /// projector applies the log in order, and a lead's earlier entries move over when it
    /// converts, before its customer has any.
    func append(_ entry: Customer360.TimelineEntry, to customerID: String) {
        var chunkNumber = 0
        timelineIndex.update(customerID, default: TimelineIndex()) { index in
            if index.count % Self.timelineChunkSize == 0 { index.chunkStarts.append(entry.position) }
            chunkNumber = index.chunkStarts.count - 1
            index.count += 1
        }
        timeline.update(Self.timelineKey(customerID, chunkNumber), default: TimelineChunk()) { $0.append(entry) }
    }

    /// The key of a customer's timeline chunk: the chunk number zero-padded so keys sort in order.
    static func timelineKey(_ customerID: String, _ chunk: Int) -> String {
        let digits = String(chunk)
        return customerID + "|" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// A lead's event: on its customer's timeline once converted, kept with the lead before.
    func leadEvent(_ leadID: String, _ event: CRMEvent) {
        if let customerID = leadCustomer[leadID] {
            record(event, for: customerID)
            return
        }
        let entry = Customer360.TimelineEntry(position: event.position, type: event.type, occurredAt: event.occurredAt.nanosecondsSinceEpoch)
        leadTimelines.update(leadID, default: LeadTimeline()) { $0.entries.append(entry) }
    }

    func apply(_ converted: CRMLeadConverted, _ event: CRMEvent) {
        leadCustomer[converted.leadID] = converted.customerID
        if let kept = leadTimelines[converted.leadID] {
            for entry in kept.entries { append(entry, to: converted.customerID) }
            leadTimelines[converted.leadID] = nil
        }
        record(event, for: converted.customerID)
    }

    // MARK: - Owners

    /// Moves a customer's listing from one holder to another (`nil`: the pool).
    func moveListing(_ customerID: String, name: String, from: String?, to: String?, since: Int64) {
        switch from {
        case let owner?: owned[owner + "|" + customerID] = nil
        case nil: pool[customerID] = nil
        }
        let listing = CustomerListing(customerID: customerID, name: name, since: since)
        switch to {
        case let owner?: owned[owner + "|" + customerID] = listing
        case nil: pool[customerID] = listing
        }
    }

    /// Renames a customer in its holder's list.
    func renameListing(_ customerID: String, owner: String?, name: String) {
        switch owner {
        case let owner?: owned.updateIfPresent(owner + "|" + customerID) { $0.name = name }
        case nil: pool.updateIfPresent(customerID) { $0.name = name }
        }
    }

    /// The name a reason of a change of owner goes by in the view.
    static func reasonName(_ reason: CRMOwnershipChangeReason) -> String {
        switch reason {
        case .created: "created"
        case .claimed: "claimed"
        case .releasedByRep: "released_by_rep"
        case .releasedByManager: "released_by_manager"
        case .releasedBySweep: "released_by_sweep"
        case .transferred: "transferred"
        case .ownerDeparted: "owner_departed"
        case .unspecified, .UNRECOGNIZED: "unspecified"
        }
    }

    /// The name a follow-up channel goes by in the view.
    static func channelName(_ channel: CRMFollowUpChannel) -> String {
        switch channel {
        case .call: "call"
        case .visit: "visit"
        case .email: "email"
        case .im: "im"
        case .unspecified, .UNRECOGNIZED: "unspecified"
        }
    }
}
