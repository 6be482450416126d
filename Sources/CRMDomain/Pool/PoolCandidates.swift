public import Foundation

/// An owned customer the pool sweep may have to warn or release, as the candidates' source
/// knows it: owner, level, idle clock, the release its owner was last warned of, its deals'
/// business activity, and the version of its stream all this was read up to.
public struct PoolCandidate: Sendable, Hashable {
    /// The customer's id.
    public var customerID: String
    /// The owning rep.
    public var owner: String
    /// The customer's level, which sets its idle limit.
    public var level: String
    /// Its own idle clock: the later of its owner's taking it and its last follow-up.
    public var idleSince: Date
    /// The release the last warning to the current owner announced, if any.
    public var warnedReleaseAt: Date?
    /// Its deals' activity.
    public var activity: CustomerActivity
    /// The version of the customer's stream (its last event's) the source has read; `nil` when
    /// unknown. An append that expects it fails if the stream has moved on since.
    public var streamVersion: UInt64?

    /// A candidate as its source knows it.
    public init(
        customerID: String,
        owner: String,
        level: String,
        idleSince: Date,
        warnedReleaseAt: Date?,
        activity: CustomerActivity,
        streamVersion: UInt64? = nil
    ) {
        self.customerID = customerID
        self.owner = owner
        self.level = level
        self.idleSince = idleSince
        self.warnedReleaseAt = warnedReleaseAt
        self.activity = activity
        self.streamVersion = streamVersion
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
