import CRMSchema
public import Foundation
public import SwiftProtobuf

/// What the idle sweep needs to know of one customer beyond its own stream.
public struct CustomerActivity: Sendable, Hashable {
    /// The business time of the last event on the customer's opportunities, quotes and
    /// contracts (payments, shipments and invoices included).
    public var lastActivityAt: Date?
    /// The customer's contracts still open: waiting for approval, or binding with money not
    /// yet collected.
    public var openContracts: Set<String> = []

    /// Nothing known.
    public init() {}
}

/// The business activity of every customer, folded from the streams of its deals: the
/// `opportunity`, `quote` and `contract` categories. A customer whose deals move is not idle,
/// and one with an open contract or unpaid money is never released to the pool.
public struct BusinessActivity: Sendable {
    /// The categories whose events are business activity.
    public static let categories = ["opportunity", "quote", "contract"]

    /// Each customer's activity.
    public private(set) var customers: [String: CustomerActivity] = [:]
    /// The customer each deal's stream belongs to, from the event that opened it.
    private var owners: [String: String] = [:]
    private var contracts: [String: ContractState] = [:]

    /// No activity yet.
    public init() {}

    /// Folds one event of the stream `category-id`, at business time `occurredAt`.
    public mutating func apply(_ event: any SwiftProtobuf.Message, category: String, id: String, occurredAt: Date) {
        let key = category + "-" + id
        switch event {
        case let opened as CRMOpportunityOpened: owners[key] = opened.customerID
        case let created as CRMQuoteCreated: owners[key] = created.customerID
        case let drafted as CRMContractDrafted: owners[key] = drafted.customerID
        default: break
        }
        guard let customer = owners[key] else { return }
        var activity = customers[customer] ?? CustomerActivity()
        activity.lastActivityAt = max(activity.lastActivityAt ?? occurredAt, occurredAt)
        if category == "contract" {
            var contract = contracts[id] ?? ContractState(contractID: id)
            contract.apply(event)
            contracts[id] = contract
            if contract.isOpen {
                activity.openContracts.insert(id)
            } else {
                activity.openContracts.remove(id)
            }
        }
        customers[customer] = activity
    }
}

extension ContractState {
    /// Waiting for approval, or binding with less received (allocated to instalments or held
    /// as credit) than the contract's amount.
    var isOpen: Bool {
        switch status {
        case .pendingApproval:
            return true
        case .binding:
            return collected.saturatingAdd(credit) < amount
        case .absent, .rejected:
            return false
        }
    }
}
