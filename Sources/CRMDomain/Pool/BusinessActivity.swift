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

    /// Activity as a read model keeps it.
    public init(lastActivityAt: Date?, openContracts: Set<String>) {
        self.lastActivityAt = lastActivityAt
        self.openContracts = openContracts
    }
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
    private var contracts: [String: ContractBalance] = [:]

    /// No activity yet.
    public init() {}

    /// Folds one event of the stream `category-id`, at business time `occurredAt`.
    public mutating func apply(_ event: any SwiftProtobuf.Message, category: String, id: String, occurredAt: Date) {
        let key = category + "-" + id
        if let customerID = Self.customer(openedBy: event) { owners[key] = customerID }
        guard let customer = owners[key] else { return }
        var activity = customers[customer] ?? CustomerActivity()
        activity.lastActivityAt = max(activity.lastActivityAt ?? occurredAt, occurredAt)
        if category == "contract" {
            var contract = contracts[id] ?? ContractBalance()
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

    /// The customer a deal belongs to, named by the event that opens the deal's stream.
    public static func customer(openedBy event: any SwiftProtobuf.Message) -> String? {
        switch event {
        case let opened as CRMOpportunityOpened: opened.customerID
        case let created as CRMQuoteCreated: created.customerID
        case let drafted as CRMContractDrafted: drafted.customerID
        default: nil
        }
    }
}

/// Whether a contract is still open, folded from its stream: what the sweep needs of a
/// contract and nothing more, so a read model can keep one per contract cheaply.
public struct ContractBalance: Codable, Sendable, Hashable {
    /// Where the contract is in its approval.
    public var status = ContractState.Status.absent
    /// The contract's amount, in minor units.
    public var amount: Int64 = 0
    /// Minor units received: allocated to instalments or held as credit.
    public var received: Int64 = 0

    /// Nothing seen yet.
    public init() {}

    /// Waiting for approval, or binding with less received than the contract's amount.
    public var isOpen: Bool {
        switch status {
        case .pendingApproval: true
        case .binding: received < amount
        case .absent, .rejected: false
        }
    }

    /// Folds one event of the contract's stream, as ``ContractState/apply(_:)`` does for the
    /// status and the money received.
    public mutating func apply(_ event: any SwiftProtobuf.Message) {
        switch event {
        case let drafted as CRMContractDrafted:
            amount = drafted.amount.minorUnits
            status = drafted.approvalChain.isEmpty ? .binding : .pendingApproval
        case let approved as CRMContractApproved where approved.binding:
            status = .binding
        case is CRMContractRejected:
            status = .rejected
        case let payment as CRMPaymentReceived:
            // Figures from the log saturate rather than trap (see `saturatingAdd`).
            for allocation in payment.allocations {
                received.saturatingIncrement(by: allocation.amount.minorUnits)
            }
            received.saturatingIncrement(by: payment.credit.minorUnits)
        default:
            break
        }
    }
}
