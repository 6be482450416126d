import CRMDomain
import CRMSchema
public import EventStore
import Foundation
import SwiftProtobuf

/// Generates a realistic CRM history, deterministic for a seed, through the CRM's real
/// rules: every event comes from a CRMDomain decision taken on state folded from the events
/// generated before it, at the event's business time, and a refused decision appends nothing.
/// Nothing is written that the command side would not have accepted.
///
/// Days are laid out one after another with `occurredAt` business times (the log's recorded
/// times are the run's), and the events are appended in the order they were decided, in large
/// appends, so the log can be folded back in position order.
public final class WorkloadGenerator<Log: EventLog> {
    let options: WorkloadOptions
    var random: WorkloadRandom
    let writer: WorkloadWriter<Log>
    var summary = WorkloadSummary(events: 0, appends: 0, customers: 0, leads: 0, contracts: 0, payments: 0, refusals: 0)

    /// The business time of the decision being made.
    var now: Date
    /// The day being laid out, from 0.
    var day = 0

    // The directory.
    var users: [String: UserState] = [:]
    var teams: [String: TeamState] = [:]
    var repsByTeam: [String: [String]] = [:]
    var managerOfTeam: [String: String] = [:]
    var financeClerks: [String] = []
    var admin = ""

    // The settings in force.
    var poolRules = PoolRules.defaults
    var pipeline = Pipeline.defaults
    var policy = ApprovalPolicy.defaults
    var commissionRate: Int32 = 0

    // Everything else, folded from the generated events.
    var customers: [String: CustomerState] = [:]
    var pool = IndexedSet()
    var leads: [String: LeadState] = [:]
    var opportunities: [String: OpportunityState] = [:]
    var quotes: [String: QuoteState] = [:]
    var contracts: [String: ContractState] = [:]
    var products: [String: ProductState] = [:]
    var productIDs: [String] = []
    var goods: Set<String> = []
    var stock: [String: StockState] = [:]
    var suppliers: [String: SupplierState] = [:]
    var purchaseOrders: [String: PurchaseOrderState] = [:]
    var workOrders: [String: WorkOrderState] = [:]
    var complaints: [String: ComplaintState] = [:]
    var campaigns: [String: CampaignState] = [:]
    /// Each customer's deals as the sweep counts them.
    var activity = BusinessActivity()
    var currentCampaign: String?
    /// Dedup keys taken, as the log holds them.
    var takenKeys: Set<String> = []
    var nextCompany = 0

    /// The weekday of the first day, 0 for Monday.
    let weekdayOfStart: Int

    /// Work waiting for a day: day → tasks in the order scheduled. Sweeps run at day's end.
    var agenda: [Int: [AgendaItem]] = [:]
    var sweeps: [Int: [String]] = [:]

    /// A generator appending to `log`, which should be new and empty.
    public init(options: WorkloadOptions = WorkloadOptions(), log: Log) {
        self.options = options
        random = WorkloadRandom(seed: options.seed)
        writer = WorkloadWriter(log: log)
        now = options.start
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = PoolRules.defaults.businessTimeZone
        weekdayOfStart = (calendar.component(.weekday, from: options.start) + 5) % 7
    }

    /// Lays out the whole history, reporting progress after each day.
    public func run(progress: (WorkloadProgress) -> Void = { _ in }) async throws -> WorkloadSummary {
        try await setUp()
        for day in 0..<options.days {
            self.day = day
            try await layOut(day: day)
            progress(WorkloadProgress(day: day + 1, days: options.days, events: writer.appended))
        }
        try await writer.flush()
        (summary.events, summary.appends) = (writer.appended, writer.appends)
        return summary
    }

    private func layOut(day: Int) async throws {
        let midnight = options.start.addingTimeInterval(Double(day) * 86_400)
        now = midnight.addingTimeInterval(9 * 3600)
        try await startOfDay(day)
        if isBusinessDay(day) {
            try await salesDay()
        }
        for task in agenda.removeValue(forKey: day) ?? [] {
            tick()
            try await perform(task)
        }
        now = midnight.addingTimeInterval(23.5 * 3600)
        for customerID in sweeps.removeValue(forKey: day) ?? [] {
            try await sweep(customerID)
        }
    }

    // MARK: - Time

    /// Moves the business time on by a few seconds to minutes, staying within the day.
    func tick() {
        let midnight = options.start.addingTimeInterval(Double(day) * 86_400)
        now = min(now.addingTimeInterval(Double(random.int(3...40))), midnight.addingTimeInterval(23 * 3600))
    }

    /// Monday to Friday.
    func isBusinessDay(_ day: Int) -> Bool {
        (day + weekdayOfStart) % 7 < 5
    }

    /// Schedules `task` `days` business days from today.
    func schedule(_ task: AgendaItem, inBusinessDays days: Int) {
        var target = day
        var remaining = max(1, days)
        while remaining > 0 {
            target += 1
            if isBusinessDay(target) { remaining -= 1 }
        }
        guard target < options.days else { return }
        agenda[target, default: []].append(task)
    }

    /// The business time `days` days from now.
    func later(days: Double) -> Date { now.addingTimeInterval(days * 86_400) }

    // MARK: - Appending

    /// A command's context at the current business time.
    func context(_ actor: String) -> CommandContext {
        do {
            return try CommandContext(actor: actor, occurredAt: now, now: now)
        } catch {
            preconditionFailure("a business time equal to the clock is never in the future: \(error)")
        }
    }

    /// Applies one decision's events to the generator's states and queues them for the log.
    func commit(
        _ parts: [(StreamName, [any SwiftProtobuf.Message])],
        actor: String,
        reserving: [(key: String, owner: StreamName)] = [],
        releasing: [(key: String, owner: StreamName)] = []
    ) async throws {
        var decided: [(StreamName, [DecidedEvent])] = []
        for (stream, messages) in parts {
            var events: [DecidedEvent] = []
            for message in messages {
                apply(message, to: stream)
                events.append(
                    DecidedEvent(id: random.uuid(at: now), message: message, actor: actor, occurredAt: Timestamp(now))
                )
            }
            decided.append((stream, events))
        }
        takenKeys.subtract(releasing.map(\.key))
        takenKeys.formUnion(reserving.map(\.key))
        try await writer.write(
            decided,
            reserving: try reserving.map { (try UniqueKey($0.key), $0.owner) },
            releasing: try releasing.map { (try UniqueKey($0.key), $0.owner) }
        )
    }

    /// One decision's events on one stream.
    func commit(_ stream: StreamName, _ messages: any SwiftProtobuf.Message..., actor: String) async throws {
        try await commit([(stream, messages)], actor: actor)
    }

    /// Folds an event into the state of its stream, so the next decision sees it.
    private func apply(_ message: any SwiftProtobuf.Message, to stream: StreamName) {
        let id = String(stream.id)
        switch stream.category {
        case "customer":
            customers[id, default: CustomerState(customerID: id)].apply(message, occurredAt: now)
            if let change = message as? CRMCustomerOwnershipChanged {
                if change.toOwnerID.isEmpty { pool.insert(id) } else { pool.remove(id) }
            } else if let created = message as? CRMCustomerCreated, created.ownerID.isEmpty {
                pool.insert(id)
            }
        case "user": users[id, default: UserState(userID: id)].apply(message, recordedAt: now)
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
        if BusinessActivity.categories.contains(stream.category) {
            activity.apply(message, category: stream.category, id: id, occurredAt: now)
        }
    }

    /// The stream `category-id`.
    func stream(_ category: String, _ id: String) throws -> StreamName { try StreamName(category: category, id: id) }

    /// Runs a decision; a refusal is counted and yields `nil`, as a refused command appends nothing.
    func decided<T>(_ decision: () throws -> T) -> T? {
        do {
            return try decision()
        } catch {
            summary.refusals += 1
            return nil
        }
    }
}

/// A set of strings that can also hand out a random member in constant time.
struct IndexedSet {
    private var members: [String] = []
    private var index: [String: Int] = [:]

    var count: Int { members.count }

    mutating func insert(_ member: String) {
        guard index[member] == nil else { return }
        index[member] = members.count
        members.append(member)
    }

    mutating func remove(_ member: String) {
        guard let position = index.removeValue(forKey: member) else { return }
        let last = members.removeLast()
        if position < members.count {
            members[position] = last
            index[last] = position
        }
    }

    func randomMember(using random: inout WorkloadRandom) -> String? {
        members.isEmpty ? nil : members[random.int(0...members.count - 1)]
    }
}
