import CRMDomain
import CRMSchema
import EventStore
import Foundation
import SwiftProtobuf

/// Replays a history through the CRM's decisions: walks the log in position order, folding
/// its own states, and before each decision's events decides again what they must be, from
/// the states just before them, the settings then in force, the events' actor and business
/// time, and the inputs the events themselves carry.
///
/// A decision's events share its actor and business time and follow its first event in the
/// order the command side appends them (see ``companions(of:)``); the replay compares them as
/// a group, stream and payload, with what the decision returns.
struct DecisionReplay {
    /// An event of the log with its decoded payload.
    struct Recorded {
        var event: RecordedEvent
        var message: any SwiftProtobuf.Message
        var type: String { event.type }
    }

    /// An event as a decision appends it.
    typealias Appended = (stream: StreamName, message: any SwiftProtobuf.Message)

    /// What a decision appends: its events in order, and the unique keys it moves.
    struct Decision {
        var events: [Appended]
        var reserving: [(key: String, owner: StreamName)] = []
        var releasing: [(key: String, owner: StreamName)] = []
    }

    /// Where the log and the decisions part.
    struct Failure: CustomStringConvertible {
        var position: UInt64
        var type: String
        var problem: String
        var description: String { "at position \(position) (\(type)): \(problem)" }
    }

    /// Why events cannot have come from the decision they start or belong to, where the
    /// decision itself does not throw.
    struct ReplayError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: - State

    var users: [String: UserState] = [:]
    var teams: [String: TeamState] = [:]
    var customers: [String: CustomerState] = [:]
    var leads: [String: LeadState] = [:]
    var opportunities: [String: OpportunityState] = [:]
    var quotes: [String: QuoteState] = [:]
    var contracts: [String: ContractState] = [:]
    /// Each customer's deals as the sweep counts them.
    var activity = BusinessActivity()
    var products: [String: ProductState] = [:]
    var stock: [String: StockState] = [:]
    var suppliers: [String: SupplierState] = [:]
    var purchaseOrders: [String: PurchaseOrderState] = [:]
    var workOrders: [String: WorkOrderState] = [:]
    var complaints: [String: ComplaintState] = [:]
    var campaigns: [String: CampaignState] = [:]

    /// The settings, each as configured over time.
    var poolRules = Timeline(PoolRules.defaults)
    var pipeline = Timeline(Pipeline.defaults)
    var approvalPolicy = Timeline(ApprovalPolicy.defaults)
    var commissionRate = Timeline(Int32(0))

    /// Every unique key reserved so far, and the stream holding it; `nil` once released.
    private(set) var keyHolders: [String: StreamName?] = [:]

    /// Events compared with a decision's output, by type.
    private(set) var checked: [String: Int] = [:]
    /// Every difference found.
    private(set) var failures: [Failure] = []

    // MARK: - Walking the log

    /// Replays `log`, which must be the whole log in position order.
    mutating func replay(_ log: [Recorded]) {
        var start = 0
        while start < log.count {
            let end = Self.endOfDecision(startingAt: start, in: log)
            let group = Array(log[start..<end])
            check(group)
            for recorded in group { fold(recorded) }
            start = end
        }
    }

    /// An event type that travels with a decision's first event, and whether it may come more
    /// than once.
    typealias Companion = (type: any SwiftProtobuf.Message.Type, repeats: Bool)

    /// The event types that travel with a decision's first event, in the order they follow it.
    static func companions(of first: any SwiftProtobuf.Message) -> [Companion] {
        switch first {
        case is CRMCustomerOwnershipChanged: [(CRMRepHoldingChanged.self, true)]
        case is CRMCustomerCreated: [(CRMRepHoldingChanged.self, false)]
        case is CRMUserDeactivated: [(CRMRepHoldingChanged.self, true), (CRMCustomerOwnershipChanged.self, true)]
        case is CRMLeadConverted:
            [
                (CRMCustomerCreated.self, false), (CRMContactAdded.self, false), (CRMOpportunityOpened.self, false),
                (CRMRepHoldingChanged.self, false),
            ]
        case is CRMPaymentReceived: [(CRMCommissionEarned.self, false)]
        case is CRMShipmentDispatched, is CRMGoodsReceived: [(CRMStockChanged.self, true)]
        default: []
        }
    }

    /// The end of the decision whose first event is at `start`.
    private static func endOfDecision(startingAt start: Int, in log: [Recorded]) -> Int {
        let first = log[start]
        let companions = Self.companions(of: first.message)
        var slot = 0
        var end = start + 1
        while end < log.count, log[end].event.actor == first.event.actor,
            log[end].event.occurredAt == first.event.occurredAt
        {
            let type = ObjectIdentifier(Swift.type(of: log[end].message))
            guard let match = companions[slot...].firstIndex(where: { ObjectIdentifier($0.type) == type }) else {
                break
            }
            slot = companions[match].repeats ? match : match + 1
            end += 1
        }
        return end
    }

    /// Decides the group's events again and compares them with the log's.
    private mutating func check(_ group: [Recorded]) {
        let decision: Decision
        do {
            decision = try decide(group)
        } catch {
            fail(group[0], "the decision refuses what the log says it decided: \(error)")
            return
        }
        for index in 0..<max(decision.events.count, group.count) {
            guard index < group.count else {
                let (stream, message) = decision.events[index]
                fail(
                    group[0],
                    "the decision also appends \(Self.describe(message)) to \(stream); the log does not have it"
                )
                continue
            }
            let recorded = group[index]
            checked[recorded.type, default: 0] += 1
            guard index < decision.events.count else {
                fail(
                    recorded,
                    "the log has \(Self.describe(recorded.message)) with the decision; the decision does not append it"
                )
                continue
            }
            let (stream, message) = decision.events[index]
            if stream != recorded.event.stream || !message.isEqualTo(message: recorded.message) {
                let logged = "\(Self.describe(recorded.message)) on \(recorded.event.stream)"
                fail(recorded, "decided \(Self.describe(message)) on \(stream); the log has \(logged)")
            }
        }
        moveKeys(decision, at: group[0])
    }

    /// Releases and reserves the decision's unique keys, as the log does in the same append.
    private mutating func moveKeys(_ decision: Decision, at first: Recorded) {
        for (key, owner) in decision.releasing {
            guard case .some(.some(let holder)) = keyHolders[key], holder == owner else {
                let holder = keyHolders[key].flatMap { $0?.description } ?? "none"
                fail(first, "\(owner) releases unique key \(key), which it does not hold (holder: \(holder))")
                continue
            }
            keyHolders[key] = .some(nil)
        }
        for (key, owner) in decision.reserving {
            if case .some(.some(let holder)) = keyHolders[key] {
                fail(first, "\(owner) reserves unique key \(key), which \(holder) holds already")
            }
            keyHolders[key] = owner
        }
    }

    private mutating func fail(_ recorded: Recorded, _ problem: String) {
        failures.append(Failure(position: recorded.event.position, type: recorded.type, problem: problem))
    }

    /// A message on one line, for failures.
    static func describe(_ message: any SwiftProtobuf.Message) -> String {
        let fields = message.textFormatString().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        return "\(Swift.type(of: message).protoMessageName) { \(fields) }"
    }

    // MARK: - Folding

    /// Folds one event into the state of its stream, or into the settings.
    private mutating func fold(_ recorded: Recorded) {
        let (message, id, time) = (recorded.message, String(recorded.event.stream.id), recorded.event.occurredAt.date)
        switch recorded.event.stream.category {
        case "customer": customers[id, default: CustomerState(customerID: id)].apply(message, occurredAt: time)
        case "user": users[id, default: UserState(userID: id)].apply(message, recordedAt: time)
        case "team": teams[id, default: TeamState(teamID: id)].apply(message)
        case "lead": leads[id, default: LeadState(leadID: id)].apply(message)
        case "opportunity": opportunities[id, default: OpportunityState(opportunityID: id)].apply(message)
        case "quote": quotes[id, default: QuoteState(quoteID: id)].apply(message)
        case "contract": contracts[id, default: ContractState(contractID: id)].apply(message)
        case "product": products[id, default: ProductState(productID: id)].apply(message)
        case "stock": stock[id, default: StockState(productID: id)].apply(message)
        case "supplier": suppliers[id, default: SupplierState(supplierID: id)].apply(message)
        case "purchase": purchaseOrders[id, default: PurchaseOrderState(purchaseOrderID: id)].apply(message)
        case "workorder": workOrders[id, default: WorkOrderState(workOrderID: id)].apply(message)
        case "complaint": complaints[id, default: ComplaintState(complaintID: id)].apply(message)
        case "campaign": campaigns[id, default: CampaignState(campaignID: id)].apply(message)
        default: break
        }
        if BusinessActivity.categories.contains(recorded.event.stream.category) {
            activity.apply(message, category: recorded.event.stream.category, id: id, occurredAt: time)
        }
        switch message {
        case let rules as CRMPoolRulesConfigured: poolRules.set(PoolRules(rules), from: time)
        case let configured as CRMPipelineConfigured: pipeline.set(Pipeline(configured), from: time)
        case let policy as CRMApprovalPolicyConfigured: approvalPolicy.set(ApprovalPolicy(policy), from: time)
        case let rate as CRMCommissionRateConfigured: commissionRate.set(rate.rateBasisPoints, from: time)
        default: break
        }
    }
}

/// A setting as configured over business time.
struct Timeline<Value> {
    private let initial: Value
    private var changes: [(from: Date, value: Value)] = []

    /// A setting that is `initial` until first configured.
    init(_ initial: Value) {
        self.initial = initial
    }

    /// Configures `value` from business time `time` on.
    mutating func set(_ value: Value, from time: Date) {
        let index = changes.firstIndex { $0.from > time } ?? changes.endIndex
        changes.insert((time, value), at: index)
    }

    /// The value in force at `time`: the latest configured at or before it.
    func at(_ time: Date) -> Value {
        changes.last { $0.from <= time }?.value ?? initial
    }
}
