import CRMDomain
import EventStore
public import Foundation
import Projections

extension DealQueries {
    /// The roles an approver may have.
    static let roles: Set<String> = ["admin", "manager", "sales_rep", "finance", "auditor"]

    // MARK: - Inbox

    /// What waits for `approver`'s decision, oldest first, with each item's age at `now`.
    ///
    /// The rules are the domain's (``ContractDecisions``, ``ReceivableDecisions``): a contract
    /// step goes to its role or an admin, a manager step only to a manager of the contract's
    /// owner (or an admin), never to the owner nor to someone who approved an earlier step; a
    /// refund goes to finance, an admin or a manager of the owner, never to the owner.
    ///
    /// - Parameters:
    ///   - after: the `next` of the previous page.
    ///   - limit: 1 to ``maxPageSize``.
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` naming `approver`, `role`,
    ///   `manages`, `after` or `limit`; ``ProjectionError``.
    public func approvals(
        for approver: DealApprover,
        now: Date,
        after: String? = nil,
        limit: Int = 100
    ) throws -> ApprovalInboxPage {
        try CustomerQueryParameters.requireID(approver.userID, "approver")
        guard Self.roles.contains(approver.role) else {
            throw ReadModelQueryError.invalid("role", "role is one of \(Self.roles.sorted()), not \"\(approver.role)\"")
        }
        for managed in approver.manages { try CustomerQueryParameters.requireID(managed, "manages") }
        if let after, after.isEmpty || after.utf8.count > 1_000 {
            throw ReadModelQueryError.invalid("after", "after is the next of a page of the inbox")
        }
        guard (1...Self.maxPageSize).contains(limit) else {
            throw ReadModelQueryError.invalid("limit", "limit must be between 1 and \(Self.maxPageSize), not \(limit)")
        }
        let manages = approver.role == "manager" ? Set(approver.manages) : []
        let nowNanoseconds = Timestamp(now).nanosecondsSinceEpoch
        var items: [(key: String, item: ApprovalInboxItem)] = []
        var cursor = after
        reading: while true {
            let rows = try store.rows(
                PendingApprovalRow.self,
                projector: name,
                table: "pending",
                after: cursor,
                limit: 256
            )
            for (key, row) in rows where Self.may(approver, manages: manages, decide: row) {
                items.append((key, Self.item(row, now: nowNanoseconds)))
                if items.count > limit { break reading }
            }
            guard rows.count == 256, let last = rows.last else { break }
            cursor = last.key
        }
        return ApprovalInboxPage(
            items: items.prefix(limit).map(\.item),
            next: items.count > limit ? items[limit - 1].key : nil
        )
    }

    /// Whether `approver` may decide `item`, by the domain's rules.
    static func may(_ approver: DealApprover, manages: Set<String>, decide item: PendingApprovalRow) -> Bool {
        guard approver.userID != item.ownerID else { return false }
        let isAdmin = approver.role == "admin"
        let managesOwner = manages.contains(item.ownerID)
        switch item.kind {
        case .contractStep:
            guard !item.earlierApprovers.contains(approver.userID) else { return false }
            guard approver.role == item.role || isAdmin else { return false }
            return item.role != "manager" || isAdmin || managesOwner
        case .refund:
            return approver.role == "finance" || isAdmin || managesOwner
        }
    }

    static func item(_ row: PendingApprovalRow, now: Int64) -> ApprovalInboxItem {
        let isStep = row.kind == .contractStep
        return ApprovalInboxItem(
            kind: row.kind,
            contractID: row.contractID,
            refundID: isStep ? nil : row.refundID,
            customerID: row.customerID,
            ownerID: row.ownerID,
            amount: CustomerMoney(minorUnits: row.amount, currency: row.currency),
            step: isStep ? row.step : nil,
            role: isStep ? row.role : nil,
            reason: isStep ? nil : row.reason,
            waitingSince: DealTime.date(row.waitingSince),
            ageSeconds: DealTime.seconds(from: row.waitingSince, to: now)
        )
    }

    // MARK: - Timing

    /// How long approvals took, per step of the chains (index and role) and for refunds: the
    /// decisions made on the business days `from` through `to` (`yyyy-mm-dd`, both included),
    /// each timed from the moment it became pending (the drafting, the previous step's
    /// approval, the refund's request) to the decision, in business time; and what is pending
    /// now, with the oldest item's age at `now`.
    ///
    /// Reads the period's day rows and the pending items, never the contracts.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` naming `from` or `to` when
    ///   malformed, or `to` when before `from`; ``ProjectionError``.
    public func approvalTimings(from: String, to: String, now: Date) throws -> ApprovalTimingReport {
        let first = try FinanceDay.parse(from, parameter: "from")
        let last = try FinanceDay.parse(to, parameter: "to")
        guard first <= last else { throw ReadModelQueryError.invalid("to", "to (\(to)) is before from (\(from))") }
        let lastDay = last.description

        struct Group: Hashable, Comparable {
            var kind: ApprovalKind
            var step: Int
            var role: String

            static func < (a: Group, b: Group) -> Bool {
                func rank(_ kind: ApprovalKind) -> Int { kind == .contractStep ? 0 : 1 }
                return (rank(a.kind), a.step, a.role) < (rank(b.kind), b.step, b.role)
            }
        }
        struct Tally {
            var approved = 0
            var rejected = 0
            var durations: [Int64] = []
            var pending = 0
            var oldestPending: Int64?

            mutating func add(_ row: ApprovalTimingRow) {
                approved.saturatingIncrement(by: row.approved)
                rejected.saturatingIncrement(by: row.rejected)
                durations += row.durations
            }
        }
        var tallies: [Group: Tally] = [:]

        // Keys start with the day, so the period is one run of keys from `from` on.
        var cursor: String? = first.description
        reading: while true {
            let rows = try store.rows(
                ApprovalTimingRow.self,
                projector: name,
                table: "timings",
                after: cursor,
                limit: 256
            )
            for (key, row) in rows {
                guard key.prefix(while: { $0 != "|" }) <= lastDay else { break reading }
                tallies[Group(kind: row.kind, step: row.step, role: row.role), default: Tally()].add(row)
            }
            guard rows.count == 256, let lastRow = rows.last else { break }
            cursor = lastRow.key
        }
        // Items still pending, however old: the table holds only those.
        cursor = nil
        while true {
            let rows = try store.rows(
                PendingApprovalRow.self,
                projector: name,
                table: "pending",
                after: cursor,
                limit: 256
            )
            for (_, row) in rows {
                let group = Group(kind: row.kind, step: row.kind == .contractStep ? row.step : 0, role: row.role)
                tallies[group, default: Tally()].pending += 1
                tallies[group]!.oldestPending = min(tallies[group]!.oldestPending ?? row.waitingSince, row.waitingSince)
            }
            guard rows.count == 256, let lastRow = rows.last else { break }
            cursor = lastRow.key
        }

        let nowNanoseconds = Timestamp(now).nanosecondsSinceEpoch
        let timings = tallies.keys.sorted().map { group in
            let tally = tallies[group]!
            let durations = tally.durations.sorted()
            let count = durations.count
            var median: Int64?
            if count > 0 {
                let (low, high) = (durations[(count - 1) / 2], durations[count / 2])
                // The midpoint without overflow: low + (high - low) / 2, both non-negative.
                median = low + (high - low) / 2
            }
            return ApprovalTiming(
                kind: group.kind,
                step: group.kind == .contractStep ? group.step : nil,
                role: group.kind == .contractStep ? group.role : nil,
                decided: tally.approved.saturatingAdd(tally.rejected),
                approved: tally.approved,
                rejected: tally.rejected,
                meanSeconds: count == 0 ? nil : durations.saturatingSum() / Int64(count),
                medianSeconds: median,
                maxSeconds: durations.last,
                pendingNow: tally.pending,
                oldestPendingSeconds: tally.oldestPending.map { DealTime.seconds(from: $0, to: nowNanoseconds) }
            )
        }
        return ApprovalTimingReport(from: first.description, to: lastDay, now: now, timings: timings)
    }
}
