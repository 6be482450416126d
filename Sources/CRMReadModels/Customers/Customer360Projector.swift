import CRMSchema
import EventStore
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
/// - `customers`: customer id → ``CustomerRecord``: the view (without its query-time segment and
///   timeline page) and the latest timeline entries;
/// - `owned`: `owner|customer` → ``CustomerListing``, one per customer an owner holds;
/// - `pool`: customer id → ``CustomerListing``, the customers in the public pool;
/// - `timeline`: `customer|chunk` (chunk number zero-padded to 6 digits) → sealed timeline entries;
/// - `leadTimelines`: lead id → the lead's entries before its conversion;
/// - `leadCustomer`, `opportunityCustomer`, `quoteCustomer`, `contractCustomer`,
///   `workOrderCustomer`, `complaintCustomer`: id → customer id.
public final class Customer360Projector: Projector {
    public static let name = "customer360"
    /// 2: timeline chunks of 32 entries, not 64.
    public static let version: UInt32 = 2
    public static let eventTypes: Set<String> = [
        CRMCustomerCreated.protoMessageName, CRMCustomerProfileUpdated.protoMessageName,
        CRMCustomerTagged.protoMessageName, CRMContactAdded.protoMessageName, CRMContactUpdated.protoMessageName,
        CRMCustomerOwnershipChanged.protoMessageName, CRMPoolReleaseWarned.protoMessageName,
        CRMFollowUpLogged.protoMessageName, CRMSatisfactionSurveyed.protoMessageName,
        CRMLeadCreated.protoMessageName, CRMLeadAssigned.protoMessageName, CRMLeadQualified.protoMessageName,
        CRMLeadDisqualified.protoMessageName, CRMLeadConverted.protoMessageName,
        CRMOpportunityOpened.protoMessageName, CRMOpportunityStageChanged.protoMessageName,
        CRMOpportunityWon.protoMessageName, CRMOpportunityLost.protoMessageName,
        CRMOpportunityReopened.protoMessageName,
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

    /// Entries per timeline row: small enough that appending re-encodes little (the open chunk
    /// lives in the customer's row, encoded again with every event of the customer), large
    /// enough that a page reads few rows and the open chunk and the last sealed one hold a
    /// view's ``Customer360Queries/recentTimelineCount`` entries.
    static let timelineChunkSize = 32

    let customers = ReadModelTable<CustomerRecord>("customers")
    let owned = ReadModelTable<CustomerListing>("owned")
    let pool = ReadModelTable<CustomerListing>("pool")
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
            customers, owned, pool, timeline, leadTimelines, leadCustomer, opportunityCustomer,
            quoteCustomer, contractCustomer, workOrderCustomer, complaintCustomer,
        ]
    }

    public func apply(_ event: CRMEvent) throws {
        // The cases run in order, one dynamic cast each: the most frequent come first.
        switch event.payload {
        case let followUp as CRMFollowUpLogged: apply(followUp, event)
        case let change as CRMCustomerOwnershipChanged: apply(change, event)
        case let moved as CRMOpportunityStageChanged: apply(moved, event)
        case let warning as CRMPoolReleaseWarned: apply(warning, event)
        case let lead as CRMLeadCreated: leadEvent(lead.leadID, event)
        case let lead as CRMLeadAssigned: leadEvent(lead.leadID, event)
        case let created as CRMCustomerCreated: apply(created, event)
        case let opened as CRMOpportunityOpened: apply(opened, event)
        case let lead as CRMLeadQualified: leadEvent(lead.leadID, event)
        case let contact as CRMContactAdded: apply(contact, event)
        case let converted as CRMLeadConverted: apply(converted, event)
        case let updated as CRMCustomerProfileUpdated: apply(updated, event)
        case let lost as CRMOpportunityLost: apply(lost, event)
        case let lead as CRMLeadDisqualified: leadEvent(lead.leadID, event)
        case let response as CRMCampaignResponded:
            if !response.customerID.isEmpty {
                change(response.customerID, event)
            } else if !response.leadID.isEmpty {
                leadEvent(response.leadID, event)
            }
        case let commission as CRMCommissionEarned: change(contractCustomer[commission.contractID], event)
        case let payment as CRMPaymentReceived: apply(payment, event)
        case let quote as CRMQuoteCreated:
            quoteCustomer[quote.quoteID] = quote.customerID
            change(quote.customerID, event)
        case let drafted as CRMContractDrafted: apply(drafted, event)
        case let quote as CRMQuoteAccepted: change(quoteCustomer[quote.quoteID], event)
        case let tagged as CRMCustomerTagged: apply(tagged, event)
        case let plan as CRMInstalmentsScheduled: apply(plan, event)
        case let won as CRMOpportunityWon: apply(won, event)
        case let invoice as CRMInvoiceRequested: apply(invoice, event)
        case let invoice as CRMInvoiceIssued: change(contractCustomer[invoice.contractID], event)
        case let shipment as CRMShipmentDispatched:
            change(shipment.customerID.isEmpty ? contractCustomer[shipment.contractID] : shipment.customerID, event)
        case let approved as CRMContractApproved: apply(approved, event)
        case let expense as CRMExpenseRecorded where !expense.customerID.isEmpty: change(expense.customerID, event)
        case let reopened as CRMOpportunityReopened: apply(reopened, event)
        case let contact as CRMContactUpdated: apply(contact, event)
        case let filed as CRMComplaintFiled: apply(filed, event)
        case let resolved as CRMComplaintResolved: apply(resolved, event)
        case let quote as CRMQuoteRejected: change(quoteCustomer[quote.quoteID], event)
        case let opened as CRMWorkOrderOpened: apply(opened, event)
        case let assigned as CRMWorkOrderAssigned: apply(assigned, event)
        case let resolved as CRMWorkOrderResolved: apply(resolved, event)
        case let closed as CRMWorkOrderClosed: apply(closed, event)
        case let refund as CRMRefundRequested: change(contractCustomer[refund.contractID], event)
        case let survey as CRMSatisfactionSurveyed: apply(survey, event)
        case let refund as CRMRefundApproved: change(contractCustomer[refund.contractID], event)
        case let refund as CRMRefundPaid: apply(refund, event)
        case let rejected as CRMContractRejected: apply(rejected, event)
        case let goods as CRMReturnedGoodsReceived: change(contractCustomer[goods.contractID], event)
        case let refund as CRMRefundRejected: change(contractCustomer[refund.contractID], event)
        default:
            break
        }
    }

    // MARK: - Timeline

    /// Changes the view of `customerID` with `body` and adds `event` to its timeline, in one
    /// change of its row.
    ///
    /// A customer is created before any event names it, so its row is there; should an event
    /// name an unknown customer (an as-of build that cut a back-dated creation off), it leaves
    /// a row marked unknown rather than looking the row up twice for every event: `update`
    /// changes the row in place, where checking first would copy the whole row.
    func change(_ customerID: String?, _ event: CRMEvent, _ body: (inout Customer360) -> Void = { _ in }) {
        guard let customerID, !customerID.isEmpty else { return }
        let entry = Self.entry(event)
        customers.update(customerID, default: .unknown(customerID)) { record in
            guard record.exists else { return }
            body(&record.view)
            add(entry, to: &record)
        }
    }

    static func entry(_ event: CRMEvent) -> Customer360.TimelineEntry {
        Customer360.TimelineEntry(
            position: event.position,
            type: event.type,
            occurredAt: event.occurredAt.nanosecondsSinceEpoch
        )
    }

    /// Adds an entry to a customer's open timeline chunk, sealing the chunk into the `timeline`
    /// table first when it is full.
    func add(_ entry: Customer360.TimelineEntry, to record: inout CustomerRecord) {
        if record.open.count == Self.timelineChunkSize {
            timeline[Self.timelineKey(record.view.customerID, record.sealedStarts.count)] = record.open
            record.sealedStarts.append(record.open.positions[0])
            record.open = TimelineChunk()
        }
        if let last = record.open.positions.last, last > entry.position {
            record.open.insert(entry)
        } else {
            record.open.append(entry)
        }
        record.timelineCount += 1
    }

    /// The key of a customer's sealed timeline chunk: the chunk number zero-padded so keys sort in order.
    static func timelineKey(_ customerID: String, _ chunk: Int) -> String {
        let digits = String(chunk)
        return customerID + "|" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// A lead's event: on its customer's timeline once the customer exists, kept with the lead before.
    func leadEvent(_ leadID: String, _ event: CRMEvent) {
        if let customerID = leadCustomer[leadID], customers[customerID]?.exists == true {
            change(customerID, event)
        } else {
            leadTimelines.update(leadID, default: LeadTimeline()) { $0.entries.append(Self.entry(event)) }
        }
    }

    /// The lead became a customer. Its events so far, this one included, open the customer's
    /// timeline when the customer is created (in the same append, right after).
    func apply(_ converted: CRMLeadConverted, _ event: CRMEvent) {
        leadCustomer[converted.leadID] = converted.customerID
        leadEvent(converted.leadID, event)
        if customers[converted.customerID]?.exists == true { mergeLead(converted.leadID, into: converted.customerID) }
    }

    /// Moves a converted lead's kept events to its customer's timeline.
    func mergeLead(_ leadID: String, into customerID: String) {
        guard let kept = leadTimelines[leadID] else { return }
        leadTimelines[leadID] = nil
        customers.updateIfPresent(customerID) { record in
            guard record.exists else { return }
            for entry in kept.entries { add(entry, to: &record) }
        }
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
