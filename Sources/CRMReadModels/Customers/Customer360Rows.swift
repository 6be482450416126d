/// The rows of the `customer360` read model besides the view itself (``Customer360``, stored
/// under the customer's id with its query-time fields empty).

/// Where a customer's timeline stands: how many entries, and the first position of each chunk
/// so a page can start at the chunk that holds a position.
struct TimelineIndex: Codable, Sendable, Hashable {
    var count = 0
    var chunkStarts: [UInt64] = []
}

/// Up to ``Customer360Projector/timelineChunkSize`` consecutive timeline entries of one
/// customer, as parallel arrays: far cheaper to encode than an array of keyed entries, which
/// matters for the read model with the most rows.
struct TimelineChunk: Codable, Sendable, Hashable {
    var positions: [UInt64] = []
    var types: [String] = []
    var occurredAt: [Int64] = []

    mutating func append(_ entry: Customer360.TimelineEntry) {
        positions.append(entry.position)
        types.append(entry.type)
        occurredAt.append(entry.occurredAt)
    }

    var entries: [Customer360.TimelineEntry] {
        positions.indices.map { Customer360.TimelineEntry(position: positions[$0], type: types[$0], occurredAt: occurredAt[$0]) }
    }
}

/// A lead's events before it became a customer, kept until the conversion moves them to the
/// customer's timeline (a lead that never converts keeps them here).
struct LeadTimeline: Codable, Sendable, Hashable {
    var entries: [Customer360.TimelineEntry] = []
}

/// A customer in an owner's list or in the pool.
public struct CustomerListing: Codable, Sendable, Hashable {
    /// The customer's id.
    public var customerID: String
    /// The company name.
    public var name: String
    /// Since when the owner (or the pool) has held it, business time in nanoseconds since the
    /// Unix epoch.
    public var since: Int64

    /// The listing of `customerID`.
    public init(customerID: String, name: String, since: Int64) {
        (self.customerID, self.name, self.since) = (customerID, name, since)
    }
}

/// One page of customers, in customer id order.
public struct CustomerListingPage: Codable, Sendable, Hashable {
    /// The customers of the page.
    public var customers: [CustomerListing]
    /// The id to pass as `after` for the next page; `nil` on the last page.
    public var next: String?
}
