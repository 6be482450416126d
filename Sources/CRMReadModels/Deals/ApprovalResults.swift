public import Foundation

/// What waits for a decision: a step of a contract's approval chain, or a refund.
public enum ApprovalKind: String, Codable, Sendable, Hashable {
    case contractStep = "contract_step"
    case refund
}

/// Who asks for their approvals inbox, as the caller knows them: the read model knows nothing
/// of teams, so the caller says whom the approver manages.
public struct DealApprover: Sendable, Hashable {
    /// The approver's user id.
    public var userID: String
    /// Their role's API name: `admin`, `manager`, `sales_rep`, `finance` or `auditor`.
    public var role: String
    /// The user ids whose contracts they may decide as a manager: for a manager, the members
    /// of their team (the users read model gives them); empty for anyone else.
    public var manages: [String]

    /// An approver; see the properties.
    public init(userID: String, role: String, manages: [String] = []) {
        self.userID = userID
        self.role = role
        self.manages = manages
    }
}

/// One item of an approvals inbox.
public struct ApprovalInboxItem: Codable, Sendable, Hashable {
    public var kind: ApprovalKind
    public var contractID: String
    /// The refund, for a refund.
    public var refundID: String?
    public var customerID: String
    /// The contract's owner.
    public var ownerID: String
    /// The contract amount for a step; the refund's amount for a refund.
    public var amount: CustomerMoney
    /// The step's index in the chain (from 0) and role, for a contract step.
    public var step: Int?
    public var role: String?
    /// Why the refund was asked for, for a refund.
    public var reason: String?
    /// When it began to wait: the drafting, the previous step's approval, or the refund's
    /// request (business time).
    public var waitingSince: Date
    /// Whole seconds from ``waitingSince`` to the query's `now` (0 if `now` is earlier).
    public var ageSeconds: Int64
}

/// One page of an approvals inbox, oldest first.
public struct ApprovalInboxPage: Codable, Sendable, Hashable {
    public var items: [ApprovalInboxItem]
    /// The cursor to pass as `after` for the next page; `nil` on the last page.
    public var next: String?
}

/// How long one step of the chains (by its index and role), or refunds, took to decide.
public struct ApprovalTiming: Codable, Sendable, Hashable {
    public var kind: ApprovalKind
    /// The step's index (from 0) and role, for contract steps.
    public var step: Int?
    public var role: String?
    /// Decisions made in the period: approvals and rejections.
    public var decided: Int
    public var approved: Int
    public var rejected: Int
    /// Seconds from pending to decision over those decisions: the mean (rounded down), the
    /// median (the mean of the middle two, rounded down, for an even count) and the longest;
    /// `nil` when none was decided.
    public var meanSeconds: Int64?
    public var medianSeconds: Int64?
    public var maxSeconds: Int64?
    /// Items waiting now, whatever the period, and the age of the oldest at the query's `now`.
    public var pendingNow: Int
    public var oldestPendingSeconds: Int64?
}

/// How long approvals take, per step and for refunds.
public struct ApprovalTimingReport: Codable, Sendable, Hashable {
    /// The period, business days `yyyy-mm-dd`, both included: a decision counts on the
    /// business day it was made.
    public var from: String
    public var to: String
    /// The moment pending ages are measured at.
    public var now: Date
    /// Contract steps by index then role, then refunds; only those with a decision in the
    /// period or an item pending now.
    public var timings: [ApprovalTiming]
}
