/// The rows of the `customer360` read model besides the view itself (``Customer360``, stored
/// under the customer's id with its query-time fields empty).

/// One customer's row: its view (without the query-time segment and timeline page) and where
/// its timeline stands.
///
/// The latest timeline entries stay in the row, so an event costs one row change; every
/// ``Customer360Projector/timelineChunkSize`` entries they move to a row of the `timeline` table.
struct CustomerRecord: Codable, Sendable, Hashable {
    /// Whether the customer's creation was seen; `false` for a row that an event naming an
    /// unknown customer made (see ``Customer360Projector/change(_:_:_:)``), which queries ignore.
    var exists = true
    var view: Customer360
    /// How many timeline entries there are, sealed and open.
    var timelineCount = 0
    /// The first position of each sealed chunk, in order; chunk `n` is stored under `customer|n`.
    var sealedStarts: [UInt64] = []
    /// The entries after the sealed chunks.
    var open = TimelineChunk()

    init(view: Customer360) {
        self.view = view
    }

    /// The row an event naming an unknown customer leaves behind.
    static func unknown(_ customerID: String) -> CustomerRecord {
        let profile = Customer360.Profile(
            name: "",
            creditCode: "",
            phone: "",
            email: "",
            region: "",
            industry: "",
            size: "",
            source: "",
            level: "",
            leadID: "",
            createdAt: 0,
            createdBy: ""
        )
        var record = CustomerRecord(view: Customer360(customerID: customerID, profile: profile, ownerSince: 0))
        record.exists = false
        return record
    }
}

/// Up to ``Customer360Projector/timelineChunkSize`` consecutive timeline entries of one
/// customer, as parallel arrays: far cheaper to encode than an array of keyed entries, which
/// matters for the read model with the most rows.
struct TimelineChunk: Codable, Sendable, Hashable {
    var positions: [UInt64] = []
    var types: [String] = []
    var occurredAt: [Int64] = []

    var count: Int { positions.count }

    mutating func append(_ entry: Customer360.TimelineEntry) {
        positions.append(entry.position)
        types.append(entry.type)
        occurredAt.append(entry.occurredAt)
    }

    /// Adds `entry` where its position puts it: entries normally arrive in log order, but a
    /// lead's are merged in when its customer is created.
    mutating func insert(_ entry: Customer360.TimelineEntry) {
        let index = positions.lastIndex { $0 < entry.position }.map { $0 + 1 } ?? 0
        positions.insert(entry.position, at: index)
        types.insert(entry.type, at: index)
        occurredAt.insert(entry.occurredAt, at: index)
    }

    var entries: [Customer360.TimelineEntry] {
        positions.indices.map {
            Customer360.TimelineEntry(position: positions[$0], type: types[$0], occurredAt: occurredAt[$0])
        }
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
