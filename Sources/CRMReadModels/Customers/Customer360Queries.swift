import EventStore
public import Projections

/// Questions answered by the `customer360` read model: one customer's view and timeline, and
/// the customers of an owner or of the pool.
public struct Customer360Queries: Sendable {
    /// How many of the latest timeline entries a view carries.
    public static let recentTimelineCount = 20

    /// The store holding the read model.
    public let store: ReadModelStore

    /// Queries over `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    private var name: String { Customer360Projector.name }

    /// The view of one customer, with its latest timeline entries and its RFM segment as of
    /// `segmentDay` (today, in business time, when `nil`); `nil` when there is no such customer.
    ///
    /// - Throws: ``ReadModelQueryError`` for an empty or malformed id.
    public func view(customerID: String, segmentDay: BusinessDay? = nil) throws -> Customer360? {
        try CustomerQueryParameters.requireID(customerID, "customerID")
        guard let record = try store.row(CustomerRecord.self, projector: name, table: "customers", key: customerID),
            record.exists
        else { return nil }
        return try view(of: record, segmentDay: segmentDay ?? BusinessDay(Timestamp.now())) { key in
            try store.row(TimelineChunk.self, projector: name, table: "timeline", key: key)
        }
    }

    /// The view a customer's row holds, with its latest timeline entries (the open chunk's,
    /// topped up from the last sealed one, which `sealedChunk` reads by key) and its RFM segment
    /// as of `segmentDay`.
    func view(
        of record: CustomerRecord,
        segmentDay: BusinessDay,
        sealedChunk: (String) throws -> TimelineChunk?
    ) throws -> Customer360 {
        var view = record.view
        view.timelineCount = record.timelineCount
        var recent = record.open.entries
        if recent.count < Self.recentTimelineCount, !record.sealedStarts.isEmpty,
            let sealed = try sealedChunk(
                Customer360Projector.timelineKey(view.customerID, record.sealedStarts.count - 1)
            )
        {
            recent = sealed.entries + recent
        }
        view.recentTimeline = Array(recent.suffix(Self.recentTimelineCount))
        view.segment = try RFMQueries(store: store).segment(of: view.customerID, asOf: segmentDay)
        return view
    }

    /// One page of a customer's timeline: the entries after log position `after` (from the
    /// first when `nil`), in log order, at most `limit` of them. Empty for an unknown customer.
    ///
    /// - Throws: ``ReadModelQueryError`` for a malformed id or a limit outside 1-1000.
    public func timeline(customerID: String, after: UInt64? = nil, limit: Int = 100) throws -> Customer360TimelinePage {
        try CustomerQueryParameters.requireID(customerID, "customerID")
        try CustomerQueryParameters.requireLimit(limit)
        var page = Customer360TimelinePage(customerID: customerID, entries: [], next: nil)
        guard let record = try store.row(CustomerRecord.self, projector: name, table: "customers", key: customerID),
            record.exists
        else { return page }
        // Sealed chunks from the one holding the first position after `after`, enough of them
        // for `limit + 1` entries, then the open chunk if every sealed one was read.
        let first = after.flatMap { after in record.sealedStarts.lastIndex { $0 <= after } } ?? 0
        var chunks: [TimelineChunk] = []
        if first < record.sealedStarts.count {
            chunks = try store.rows(
                TimelineChunk.self,
                projector: name,
                table: "timeline",
                prefix: customerID + "|",
                after: first > 0 ? Customer360Projector.timelineKey(customerID, first - 1) : nil,
                limit: limit / Customer360Projector.timelineChunkSize + 2
            ).map(\.row)
        }
        if first + chunks.count >= record.sealedStarts.count { chunks.append(record.open) }
        for chunk in chunks {
            for entry in chunk.entries where entry.position > after ?? 0 {
                guard page.entries.count < limit else {
                    page.next = page.entries.last?.position
                    return page
                }
                page.entries.append(entry)
            }
        }
        return page
    }

    /// One page of the customers `owner` holds, in customer id order, after the customer `after`.
    ///
    /// - Throws: ``ReadModelQueryError`` for a malformed owner or `after`, or a limit outside 1-1000.
    public func customers(ownedBy owner: String, after: String? = nil, limit: Int = 100) throws -> CustomerListingPage {
        try CustomerQueryParameters.requireID(owner, "owner")
        return try page(table: "owned", prefix: owner + "|", after: after, limit: limit)
    }

    /// One page of the customers in the public pool, in customer id order, after the customer `after`.
    ///
    /// - Throws: ``ReadModelQueryError`` for a malformed `after` or a limit outside 1-1000.
    public func poolCustomers(after: String? = nil, limit: Int = 100) throws -> CustomerListingPage {
        try page(table: "pool", prefix: "", after: after, limit: limit)
    }

    private func page(table: String, prefix: String, after: String?, limit: Int) throws -> CustomerListingPage {
        if let after { try CustomerQueryParameters.requireID(after, "after") }
        try CustomerQueryParameters.requireLimit(limit)
        let rows = try store.rows(
            CustomerListing.self,
            projector: name,
            table: table,
            prefix: prefix,
            after: after.map { prefix + $0 },
            limit: limit + 1
        )
        let customers = rows.prefix(limit).map(\.row)
        return CustomerListingPage(customers: customers, next: rows.count > limit ? customers.last?.customerID : nil)
    }
}

/// One page of a customer's timeline.
public struct Customer360TimelinePage: Codable, Sendable, Hashable {
    /// The customer's id.
    public var customerID: String
    /// The entries, in log order.
    public var entries: [Customer360.TimelineEntry]
    /// The position to pass as `after` for the next page; `nil` on the last page.
    public var next: UInt64?
}
