import CRMDomain

/// Everything the CRM knows about one customer, in one read: the "customer 360" view.
///
/// Times are business times (when the fact happened) in nanoseconds since the Unix epoch;
/// money is integer minor units with a currency. Lists are in the order things happened.
public struct Customer360: Codable, Sendable, Hashable {
    /// The customer's id.
    public var customerID: String
    /// The profile as created and updated since.
    public var profile: Profile
    /// The owning rep; `nil` while the customer is in the public pool.
    public var owner: String?
    /// Whether the customer is in the public pool.
    public var inPool = true
    /// Since when the current owner (or the pool) has held the customer.
    public var ownerSince: Int64
    /// Every change of owner, the creation with an owner included, oldest first.
    public var ownerHistory: [OwnershipChange] = []
    /// The contacts, in the order they were added, with every update applied.
    public var contacts: [Contact] = []
    /// The tags, sorted.
    public var tags: [String] = []
    /// The follow-ups: how many, the last one, and the next contact planned.
    public var followUps = FollowUps()
    /// The pending warning that the pool sweep will release the customer, if any.
    public var releaseWarning: ReleaseWarning?
    /// The opportunities, in the order opened.
    public var opportunities: [Opportunity] = []
    /// The contracts, in the order drafted.
    public var contracts: [Contract] = []
    /// The work orders (tickets), in the order opened.
    public var workOrders: [WorkOrder] = []
    /// The complaints, in the order filed.
    public var complaints: [Complaint] = []
    /// The satisfaction surveys.
    public var satisfaction = Satisfaction()
    /// How many events of the timeline concern the customer; page through them with
    /// ``Customer360Queries/timeline(customerID:after:limit:)``.
    public var timelineCount = 0
    /// The latest timeline entries (at most ``Customer360Queries/recentTimelineCount``), oldest first.
    public var recentTimeline: [TimelineEntry] = []
    /// The customer's RFM segment, read from the `rfm` read model when the view is queried;
    /// `nil` when the customer has no order or that read model is not built.
    public var segment: RFMScore?

    /// Open and closed work orders: open until closed (a resolved one awaits the customer's
    /// confirmation and still counts as open).
    public var workOrderCounts = OpenClosed(open: 0, closed: 0)
    /// Open and closed complaints: closed once resolved.
    public var complaintCounts = OpenClosed(open: 0, closed: 0)
    /// What the binding contracts come to per currency: amount, collected and outstanding.
    public var receivables: [Receivable] = []

    /// A customer seen for the first time, with its creation.
    init(customerID: String, profile: Profile, ownerSince: Int64) {
        self.customerID = customerID
        self.profile = profile
        self.ownerSince = ownerSince
    }

    // MARK: - Derived fields, kept up to date by the projector

    /// Recounts the open and closed work orders.
    mutating func countWorkOrders() {
        workOrderCounts = OpenClosed(
            open: workOrders.count { $0.status != .closed },
            closed: workOrders.count { $0.status == .closed }
        )
    }

    /// Recounts the open and closed complaints.
    mutating func countComplaints() {
        complaintCounts = OpenClosed(
            open: complaints.count { $0.resolvedAt == nil },
            closed: complaints.count { $0.resolvedAt != nil }
        )
    }

    /// Totals the binding contracts per currency.
    mutating func totalReceivables() {
        var totals: [Receivable] = []
        for contract in contracts where contract.status == .binding {
            if let index = totals.firstIndex(where: { $0.currency == contract.currency }) {
                totals[index].amount.saturatingIncrement(by: contract.amount)
                totals[index].collected.saturatingIncrement(by: contract.collected)
                totals[index].outstanding.saturatingIncrement(by: contract.outstanding)
            } else {
                totals.append(
                    Receivable(
                        currency: contract.currency,
                        amount: contract.amount,
                        collected: contract.collected,
                        outstanding: contract.outstanding
                    )
                )
            }
        }
        receivables = totals.sorted { $0.currency < $1.currency }
    }
}

extension Customer360 {
    /// The customer's profile.
    public struct Profile: Codable, Sendable, Hashable {
        public var name: String
        /// The unified social credit code, if known.
        public var creditCode: String
        /// In E.164.
        public var phone: String
        /// Lowercased.
        public var email: String
        public var region: String
        public var industry: String
        public var size: String
        public var source: String
        /// The level ("A", "B", …), which sets the pool's idle limit.
        public var level: String
        /// The lead it was converted from; empty when created directly.
        public var leadID: String
        /// When it was created.
        public var createdAt: Int64
        /// Who created it.
        public var createdBy: String
    }

    /// One change of owner.
    public struct OwnershipChange: Codable, Sendable, Hashable {
        /// The owner before; `nil` when it came from the pool (or was just created).
        public var from: String?
        /// The owner after; `nil` when it went to the pool.
        public var to: String?
        /// Why: `created`, `claimed`, `released_by_rep`, `released_by_manager`,
        /// `released_by_sweep`, `transferred`, `owner_departed`.
        public var reason: String
        /// The note given with the change.
        public var note: String
        /// Who made the change.
        public var actor: String
        /// When, in business time.
        public var occurredAt: Int64
        /// The change's position in the log.
        public var position: UInt64
    }

    /// A contact person.
    public struct Contact: Codable, Sendable, Hashable {
        public var contactID: String
        public var name: String
        public var title: String
        public var phone: String
        public var email: String
        /// The birthday, if known.
        public var birthday: Birthday?
        /// When the contact was added and last updated.
        public var addedAt: Int64
        public var updatedAt: Int64?
    }

    /// A birthday: month and day, and the year when known.
    public struct Birthday: Codable, Sendable, Hashable {
        /// `nil` when the year is unknown.
        public var year: Int?
        public var month: Int
        public var day: Int

        /// A birthday on `month`/`day`, in `year` when known.
        public init(year: Int?, month: Int, day: Int) {
            (self.year, self.month, self.day) = (year, month, day)
        }
    }

    /// The follow-ups with the customer.
    public struct FollowUps: Codable, Sendable, Hashable {
        /// How many, when the last was, and the next contact planned (see ``FollowUpPlan``).
        public var plan = FollowUpPlan()
        /// The latest follow-up by business time.
        public var last: FollowUp?
    }

    /// One follow-up.
    public struct FollowUp: Codable, Sendable, Hashable {
        public var followUpID: String
        /// `call`, `visit`, `email` or `im`.
        public var channel: String
        public var contactID: String
        public var note: String
        /// The rep who logged it.
        public var actor: String
        public var occurredAt: Int64
    }

    /// The pool sweep's warning of a coming release.
    public struct ReleaseWarning: Codable, Sendable, Hashable {
        /// The owner warned.
        public var owner: String
        /// When the sweep will release the customer unless someone follows up.
        public var releaseDueAt: Int64
        /// The idle limit that applies.
        public var idleDays: Int
        /// When the warning was given.
        public var warnedAt: Int64
    }

    /// Where an opportunity stands.
    public enum OpportunityStatus: String, Codable, Sendable, Hashable {
        case open, won, lost
    }

    /// An opportunity.
    public struct Opportunity: Codable, Sendable, Hashable {
        public var opportunityID: String
        public var name: String
        /// The current stage (the stage it was lost at, for a lost one).
        public var stage: String
        public var status: OpportunityStatus
        /// The expected amount while open; the amount won once won.
        public var amount: CustomerMoney
        public var owner: String
        public var openedAt: Int64
        /// When it was last won or lost; `nil` while open.
        public var closedAt: Int64?
        /// Why it was last won, lost or reopened.
        public var reason: String
    }

    /// Where a contract is in its approval.
    public enum ContractStatus: String, Codable, Sendable, Hashable {
        case pendingApproval = "pending_approval"
        case binding
        case rejected
    }

    /// A contract and its money.
    public struct Contract: Codable, Sendable, Hashable {
        public var contractID: String
        public var opportunityID: String
        public var quoteID: String
        /// The rep who earns the commission.
        public var owner: String
        public var status: ContractStatus
        /// The contract amount, in minor units of ``currency``.
        public var amount: Int64
        public var currency: String
        /// Minor units scheduled in instalments.
        public var scheduled: Int64 = 0
        /// Minor units collected: payments allocated to instalments.
        public var collected: Int64 = 0
        /// Minor units received beyond the instalments, kept as the customer's credit.
        public var credit: Int64 = 0
        /// Minor units of invoices requested.
        public var invoiced: Int64 = 0
        /// Minor units refunded (paid out).
        public var refunded: Int64 = 0
        public var draftedAt: Int64
        /// When it became binding; `nil` until then.
        public var signedAt: Int64?

        /// Minor units still to collect: the amount less what was collected, for a binding
        /// contract; nothing is owed on one pending approval or rejected.
        public var outstanding: Int64 = 0

        init(
            contractID: String,
            opportunityID: String,
            quoteID: String,
            owner: String,
            status: ContractStatus,
            amount: Int64,
            currency: String,
            draftedAt: Int64,
            signedAt: Int64?
        ) {
            (self.contractID, self.opportunityID, self.quoteID, self.owner) = (
                contractID, opportunityID, quoteID, owner
            )
            (self.status, self.amount, self.currency) = (status, amount, currency)
            (self.draftedAt, self.signedAt) = (draftedAt, signedAt)
            settle()
        }

        /// Recomputes ``outstanding`` after a change of status or money.
        mutating func settle() {
            outstanding = status == .binding ? max(0, amount.saturatingSubtract(collected)) : 0
        }
    }

    /// What a customer's binding contracts in one currency come to.
    public struct Receivable: Codable, Sendable, Hashable {
        public var currency: String
        /// Minor units contracted.
        public var amount: Int64
        /// Minor units collected.
        public var collected: Int64
        /// Minor units still to collect.
        public var outstanding: Int64

        /// Totals in `currency`.
        public init(currency: String, amount: Int64, collected: Int64, outstanding: Int64) {
            (self.currency, self.amount, self.collected, self.outstanding) = (currency, amount, collected, outstanding)
        }
    }

    /// Where a work order is.
    public enum WorkOrderStatus: String, Codable, Sendable, Hashable {
        case open, resolved, closed
    }

    /// A work order (ticket).
    public struct WorkOrder: Codable, Sendable, Hashable {
        public var workOrderID: String
        public var contractID: String
        public var title: String
        /// Who works on it; empty until assigned.
        public var assignee: String
        public var status: WorkOrderStatus
        public var openedAt: Int64
        public var resolvedAt: Int64?
        public var closedAt: Int64?
    }

    /// A complaint.
    public struct Complaint: Codable, Sendable, Hashable {
        public var complaintID: String
        public var category: String
        public var filedAt: Int64
        /// When resolved; `nil` while open.
        public var resolvedAt: Int64?
        public var rootCause: String
    }

    /// How many things are open and how many closed.
    public struct OpenClosed: Codable, Sendable, Hashable {
        public var open: Int
        public var closed: Int

        /// `open` open and `closed` closed.
        public init(open: Int, closed: Int) {
            (self.open, self.closed) = (open, closed)
        }
    }

    /// The satisfaction surveys: the mean score is `scoreTotal / surveys`, kept as a fraction
    /// (and in tenths, rounded half up) so no floating point enters the read model.
    public struct Satisfaction: Codable, Sendable, Hashable {
        /// How many surveys.
        public var surveys = 0
        /// The sum of their scores (each 1-5).
        public var scoreTotal = 0
        /// The latest survey's business time.
        public var lastAt: Int64?

        /// The mean score in tenths (43 = 4.3), rounded half up; `nil` without surveys.
        public var meanTenths: Int?

        /// Adds one survey's score.
        mutating func add(score: Int, at time: Int64) {
            surveys += 1
            scoreTotal.saturatingIncrement(by: score)
            lastAt = max(lastAt ?? time, time)
            meanTenths = scoreTotal.saturatingMultiply(20).saturatingAdd(surveys) / (2 * surveys)
        }
    }

    /// One event of the customer's timeline.
    public struct TimelineEntry: Codable, Sendable, Hashable {
        /// Its position in the log.
        public var position: UInt64
        /// Its type, e.g. `crm.v1.PaymentReceived`.
        public var type: String
        /// When it happened, in business time.
        public var occurredAt: Int64

        /// The entry of the event at `position`.
        public init(position: UInt64, type: String, occurredAt: Int64) {
            (self.position, self.type, self.occurredAt) = (position, type, occurredAt)
        }
    }
}
