import CRMDomain
public import EventStore
public import Projections

extension Customer360Queries {
    /// The view of one customer as of a point of the log: what a `customer360` read model built
    /// as of `asOf` (``ProjectionBuilder``) would show, at the cost of the customer's own events
    /// rather than the whole log's.
    ///
    /// The events the live read model lists on the customer's timeline that fall within `asOf`
    /// are read from `log` and applied, in log order, to a fresh projector in memory. They are
    /// all that a full as-of build applies to this customer: every change to a view adds its
    /// event to the customer's timeline (a lead's events join it when the lead converts), and
    /// the index rows that route an event to the customer (its lead, opportunities, quotes,
    /// contracts, work orders, complaints) are written by events of the same timeline. Events
    /// the live read model has not applied yet are not seen: the live model trails the head by
    /// milliseconds.
    ///
    /// The segment is the live `rfm` read model's as of the business day of `asOf` (for a
    /// position, the day that position was recorded), which that model keeps per day.
    ///
    /// - Returns: `nil` when the live read model has no such customer, or it did not exist as of
    ///   `asOf`.
    /// - Throws: ``ReadModelQueryError`` for a malformed id; ``EventStoreError`` when the log
    ///   cannot be read; the event catalogue's error for an event it cannot decode.
    public func view(customerID: String, asOf: AsOf, log: LMDBEventLog) throws -> Customer360? {
        try CustomerQueryParameters.requireID(customerID, "customerID")
        let (within, segmentDay) = try Self.limit(asOf, log: log)
        let projector = Customer360Projector()
        var after: UInt64?
        repeat {
            let page = try timeline(customerID: customerID, after: after, limit: CustomerQueryParameters.maxPageSize)
            for entry in page.entries where within(entry) {
                guard let event = try log.readAll(from: entry.position, limit: 1).first else { continue }
                let payload = try event.payload.withUnsafeBytes { bytes in
                    try CRMProjections.decoder.decode(event.type, event.schemaVersion, bytes)
                }
                try projector.apply(
                    CRMEvent(
                        position: event.position,
                        stream: event.stream,
                        streamVersion: event.streamVersion,
                        type: event.type,
                        recordedAt: event.recordedAt,
                        occurredAt: event.occurredAt,
                        actor: event.actor,
                        payload: payload
                    )
                )
            }
            after = page.next
        } while after != nil
        guard let record = projector.customers[customerID], record.exists else { return nil }
        return try view(of: record, segmentDay: segmentDay) { projector.timeline[$0] }
    }

    /// Which timeline entries fall within `asOf`, and the business day its segment is taken on.
    ///
    /// A recorded time becomes the last position recorded by then (recorded times never go
    /// back along the log), so only the entries within it are read; an occurred time is
    /// compared with each entry's business time, which the timeline carries.
    private static func limit(
        _ asOf: AsOf,
        log: LMDBEventLog
    ) throws -> (within: (Customer360.TimelineEntry) -> Bool, segmentDay: BusinessDay) {
        switch asOf {
        case .position(let last):
            let head = try log.head()
            let recordedAt =
                try log.readAll(from: min(last, head.position), limit: 1).first?.recordedAt ?? head.recordedAt
            return ({ $0.position <= last }, BusinessDay(recordedAt))
        case .recordedTime(let time):
            let next = Timestamp(nanosecondsSinceEpoch: time.nanosecondsSinceEpoch.saturatingAdd(1))
            let first = try log.firstPosition(recordedAtOrAfter: next)
            return ({ $0.position < first }, BusinessDay(time))
        case .occurredTime(let time):
            return ({ $0.occurredAt <= time.nanosecondsSinceEpoch }, BusinessDay(time))
        }
    }
}
