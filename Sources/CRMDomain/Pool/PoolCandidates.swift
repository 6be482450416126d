public import Foundation

/// An owned customer the pool sweep may have to warn or release, with its business activity.
public struct PoolCandidate: Sendable, Hashable {
    /// The customer's id.
    public var customerID: String
    /// Its deals' activity, as the source knows it.
    public var activity: CustomerActivity

    /// A candidate and its activity.
    public init(customerID: String, activity: CustomerActivity) {
        self.customerID = customerID
        self.activity = activity
    }
}

/// Where the pool sweep finds the customers it may have to act on, so that it reads those
/// and not every customer of the log.
public protocol PoolCandidates: Sendable {
    /// Owned customers without an open contract whose idle clock (the latest of the owner's
    /// taking it, its last follow-up and its deals' last event) stopped at `cutoff(level)` or
    /// before, for the customer's level, in a fixed order: at most `limit` of them after
    /// `cursor` (from the first when `nil`), and the cursor of the next page, `nil` after the
    /// last.
    func page(
        idleSince cutoff: (_ level: String) -> Date,
        after cursor: String?,
        limit: Int
    ) async throws -> (candidates: [PoolCandidate], next: String?)
}
