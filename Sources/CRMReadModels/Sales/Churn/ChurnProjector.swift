import CRMDomain
import CRMSchema
import EventStore
import Foundation
public import Projections
import SwiftProtobuf

/// The churn timeline: where opportunities were lost (stage, reason, how long after the
/// customer's first follow-up), what came back, and the customers won and lost each month.
///
/// Tables:
/// - `losses`, `yyyy-mm|stage` → ``ChurnLossCell``: lost opportunities with the days from the
///   customer's first follow-up to the loss (sum, count and buckets).
/// - `reasons`, `yyyy-mm|reason` → ``ChurnCount``: losses by reason (trimmed, as entered).
/// - `months`, `yyyy-mm` → ``ChurnMonth``: new, released, claimed and lost customers, and
///   win-backs.
/// - `customers`, `opportunities`, `contracts`, `pipeline`: what later events need (first
///   follow-up, pool status and lost deals of each customer that has any, each opportunity's
///   customer, the customer of a contract awaiting approval, the stage order).
///
/// Definitions:
/// - A **lost customer** is one released to the public pool (by its rep or a manager, by the
///   idle sweep, or when its rep left) and not claimed back by the end of that month. It
///   counts in the month of the release; a claim in the same month takes it back. A customer
///   created straight into the pool was never won, so it is never lost.
/// - A **win-back** is a customer or an opportunity that came back: a customer claimed from the
///   pool after a release (in any month), a lost opportunity reopened, or a customer signing a
///   contract (binding: with no approval needed, or on its last approval) after losing an
///   opportunity that was not reopened.
/// - **Time to loss** is in business days from the customer's first follow-up to the loss;
///   losses of customers never followed up are counted but not timed.
/// - **Total customers** at the end of a month is every customer created until then; **owned**
///   is total less those in the pool (both summed from the month rows at query time).
public final class ChurnProjector: Projector {
    /// The read model's name, which its rows and checkpoint are stored under.
    public static let name = "churn"
    /// The projection logic's version: changing it rebuilds the read model.
    public static let version: UInt32 = 1
    /// The events the read model reads.
    public static let eventTypes: Set<String> = [
        CRMPipelineConfigured.protoMessageName,
        CRMCustomerCreated.protoMessageName,
        CRMCustomerOwnershipChanged.protoMessageName,
        CRMFollowUpLogged.protoMessageName,
        CRMOpportunityOpened.protoMessageName,
        CRMOpportunityLost.protoMessageName,
        CRMOpportunityReopened.protoMessageName,
        CRMContractDrafted.protoMessageName,
        CRMContractApproved.protoMessageName,
        CRMContractRejected.protoMessageName,
    ]

    let losses = ReadModelTable<ChurnLossCell>("losses")
    let reasons = ReadModelTable<ChurnCount>("reasons")
    let months = ReadModelTable<ChurnMonth>("months")
    let customers = ReadModelTable<ChurnCustomer>("customers")
    let opportunities = ReadModelTable<ChurnOpportunity>("opportunities")
    let contracts = ReadModelTable<ChurnContract>("contracts")
    let pipeline = ReadModelTable<SalesPipeline>("pipeline")

    /// An empty churn timeline.
    public init() {}

    /// The tables holding the read model's state.
    public var tables: [any ReadModelTableProtocol] {
        [losses, reasons, months, customers, opportunities, contracts, pipeline]
    }

    /// Applies one event to the tables.
    public func apply(_ event: CRMEvent) throws {
        // The most frequent events first: each case tried is a dynamic cast.
        switch event.payload {
        case let followUp as CRMFollowUpLogged:
            // Look before writing, so only a customer's first follow-up writes.
            let known = customers[followUp.customerID]
            guard known?.firstFollowUp == nil else { return }
            var customer = known ?? ChurnCustomer()
            customer.firstFollowUp = BusinessDay(event.occurredAt).number
            customers[followUp.customerID] = customer
        case let change as CRMCustomerOwnershipChanged:
            changeOwner(change, at: event.occurredAt)
        case let created as CRMCustomerCreated:
            // No customer row yet: one starts with the first thing to remember (a follow-up, a
            // release or claim, a loss), which spares a row for every customer never worked.
            let owned = !created.ownerID.isEmpty
            month(event.occurredAt) { month in
                month.newCustomers += 1
                if owned { month.createdOwned += 1 }
            }
        case let opened as CRMOpportunityOpened:
            if !opportunities.contains(opened.opportunityID) {
                opportunities[opened.opportunityID] = ChurnOpportunity(customer: opened.customerID)
            }
        case let lost as CRMOpportunityLost:
            lose(lost, at: event.occurredAt)
        case let drafted as CRMContractDrafted:
            if drafted.approvalChain.isEmpty {
                signed(drafted.customerID, at: event.occurredAt)
            } else {
                contracts[drafted.contractID] = ChurnContract(customer: drafted.customerID)
            }
        case let approved as CRMContractApproved:
            guard approved.binding, let contract = contracts[approved.contractID] else { return }
            contracts[approved.contractID] = nil
            signed(contract.customer, at: event.occurredAt)
        case let rejected as CRMContractRejected:
            if contracts.contains(rejected.contractID) { contracts[rejected.contractID] = nil }
        case let reopened as CRMOpportunityReopened:
            var customer: String?
            opportunities.updateIfPresent(reopened.opportunityID) { opportunity in
                guard opportunity.lost else { return }
                opportunity.lost = false
                customer = opportunity.customer
            }
            guard let customer else { return }
            customers.updateIfPresent(customer) { $0.lostDeals = max(0, $0.lostDeals - 1) }
            month(event.occurredAt) { $0.reopenedOpportunities += 1 }
        case let configured as CRMPipelineConfigured:
            var current = pipeline[SalesPipeline.key] ?? .defaults
            current.configure(configured)
            pipeline[SalesPipeline.key] = current
        default:
            break
        }
    }

    // MARK: - Steps

    private func changeOwner(_ change: CRMCustomerOwnershipChanged, at time: Timestamp) {
        let month = SalesCalendar.month(BusinessDay(time))
        switch (change.fromOwnerID.isEmpty, change.toOwnerID.isEmpty) {
        case (false, true):  // to the pool
            customers.update(change.customerID, default: ChurnCustomer()) { customer in
                customer.released = true
                customer.lostMonth = month
            }
            months.update(month, default: ChurnMonth()) { month in
                month.released += 1
                month.lostCustomers += 1
            }
        case (true, false):  // claimed from the pool
            var lostThisMonth = false
            var winBack = false
            customers.update(change.customerID, default: ChurnCustomer()) { customer in
                (lostThisMonth, winBack) = (customer.lostMonth == month, customer.released)
                (customer.released, customer.lostMonth) = (false, nil)
            }
            months.update(month, default: ChurnMonth()) { month in
                month.claimed += 1
                // Back within the month it left: not lost after all.
                if lostThisMonth { month.lostCustomers -= 1 }
                if winBack { month.reclaimedCustomers += 1 }
            }
        default:  // a transfer between reps: nothing won or lost
            break
        }
    }

    private func lose(_ lost: CRMOpportunityLost, at time: Timestamp) {
        var customerID: String?
        opportunities.updateIfPresent(lost.opportunityID) { opportunity in
            guard !opportunity.lost else { return }
            opportunity.lost = true
            customerID = opportunity.customer
        }
        guard let customerID else { return }
        let day = BusinessDay(time)
        let month = SalesCalendar.month(day)
        var firstFollowUp: Int?
        customers.update(customerID, default: ChurnCustomer()) { customer in
            customer.lostDeals += 1
            firstFollowUp = customer.firstFollowUp
        }
        losses.update(SalesKey.join(month, lost.stageID), default: ChurnLossCell()) { cell in
            cell.lost += 1
            if let firstFollowUp {
                let days = max(0, day.number - firstFollowUp)
                cell.timed += 1
                cell.days.saturatingIncrement(by: days)
                cell.buckets[ChurnDaysBucket.index(of: days)] += 1
            }
        }
        reasons.update(SalesKey.join(month, Self.reason(lost.reason)), default: ChurnCount()) { $0.count += 1 }
        months.update(month, default: ChurnMonth()) { $0.lostOpportunities += 1 }
    }

    /// A contract of `customerID` became binding: a win-back if the customer had lost a deal.
    private func signed(_ customerID: String, at time: Timestamp) {
        guard let customer = customers[customerID], customer.lostDeals > 0 else { return }
        customers[customerID]?.lostDeals = 0
        month(time) { $0.contractsAfterLoss += 1 }
    }

    private func month(_ time: Timestamp, _ change: (inout ChurnMonth) -> Void) {
        months.update(SalesCalendar.month(BusinessDay(time)), default: ChurnMonth(), change)
    }

    /// A reason as counted: trimmed, and named when empty.
    static func reason(_ text: String) -> String {
        // Most reasons come from a pick list and need no trimming: check the ends first.
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return "(no reason)" }
        guard first.properties.isWhitespace || last.properties.isWhitespace else { return text }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "(no reason)" : trimmed
    }
}
