import CRMDomain
public import Projections

/// Questions answered by the `rfm` read model: customers' RFM scores and segments as of a day.
public struct RFMQueries: Sendable {
    /// The store holding the read model.
    public let store: ReadModelStore

    /// Queries over `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    private var name: String { RFMProjector.name }

    /// How many customers fall in each segment as of the end of `day`: orders and payments after
    /// it are left out, and recency is counted to it.
    ///
    /// Reads every customer's row: a report, not a per-request lookup.
    public func segments(asOf day: BusinessDay) throws -> RFMSegmentCounts {
        let population = try Population(store: store, asOf: day)
        var counts = [RFMSegment: Int]()
        for customer in population.scored {
            counts[population.score(customer.id, customer.values).segment, default: 0] += 1
        }
        return RFMSegmentCounts(
            asOf: day.description,
            scored: population.scored.count,
            withoutOrders: population.withoutOrders,
            segments: RFMSegment.allCases.map { RFMSegmentCounts.Count(segment: $0, customers: counts[$0] ?? 0) }
        )
    }

    /// The scores and segment of one customer as of the end of `day`; `nil` when it had no
    /// order by then (or the read model is not built).
    ///
    /// When no order or payment in the read model is later than `day`, the quintiles come from
    /// the distribution rows kept by the projector (a few row reads); otherwise every customer
    /// is read to rebuild the distribution of that day.
    ///
    /// - Throws: ``ReadModelQueryError`` for a malformed id.
    public func segment(of customerID: String, asOf day: BusinessDay) throws -> RFMScore? {
        try CustomerQueryParameters.requireID(customerID, "customerID")
        guard let row = try store.row(RFMCustomerRow.self, projector: name, table: "customers", key: customerID),
            let values = row.values(asOf: day.number)
        else { return nil }
        let latest = try store.row(Int.self, projector: name, table: "latest", key: "day") ?? .min
        if latest <= day.number {
            return try score(customerID, values, asOf: day)
        }
        let population = try Population(store: store, asOf: day)
        return population.score(customerID, values)
    }

    // MARK: - From the distribution rows

    /// Scores `values` against the current distribution.
    private func score(_ customerID: String, _ values: RFMValues, asOf day: BusinessDay) throws -> RFMScore {
        let r = try score(RFMHistogram.recency, values.lastDay)
        let f = try score(RFMHistogram.frequency, values.orders)
        var m = 1
        for money in values.monetary {
            m = max(m, try score(RFMHistogram.monetary(money.currency), Int(money.minorUnits)))
        }
        return RFMScore(values, customerID: customerID, asOf: day, r: r, f: f, m: m)
    }

    private func score(_ dimension: String, _ value: Int) throws -> Int {
        let totals = try store.row([Int: Int].self, projector: name, table: "histogram", key: dimension) ?? [:]
        let bucket = RFMHistogram.bucket(dimension, value)
        let values =
            try store.row(
                [Int: Int].self,
                projector: name,
                table: "histogram",
                key: RFMHistogram.bucketKey(dimension, bucket)
            )
            ?? [:]
        var n = 0
        var below = 0
        for (other, count) in totals {
            n.saturatingIncrement(by: count)
            if other < bucket { below.saturatingIncrement(by: count) }
        }
        for (other, count) in values where other < value { below.saturatingIncrement(by: count) }
        guard n > 0, below < n else {
            throw ProjectionError(
                .storage,
                "the rfm distribution of \(dimension) does not hold the value \(value)",
                projector: name
            )
        }
        return RFMScoring.score(below: below, of: n)
    }

    // MARK: - From every customer

    /// Every customer's values as of a day, sorted per dimension to count the customers below.
    private struct Population {
        var scored: [(id: String, values: RFMValues)] = []
        var withoutOrders = 0
        let day: BusinessDay
        private var lastDays: [Int] = []
        private var orderCounts: [Int] = []
        private var monetary: [String: [Int64]] = [:]

        init(store: ReadModelStore, asOf day: BusinessDay) throws {
            self.day = day
            for (id, row) in try store.rows(RFMCustomerRow.self, projector: RFMProjector.name, table: "customers") {
                if let values = row.values(asOf: day.number) {
                    scored.append((id, values))
                    lastDays.append(values.lastDay)
                    orderCounts.append(values.orders)
                    for money in values.monetary { monetary[money.currency, default: []].append(money.minorUnits) }
                } else if let created = row.createdDay, created <= day.number {
                    withoutOrders += 1
                }
            }
            lastDays.sort()
            orderCounts.sort()
            for currency in monetary.keys { monetary[currency]!.sort() }
        }

        func score(_ customerID: String, _ values: RFMValues) -> RFMScore {
            let r = RFMScoring.score(below: Self.below(values.lastDay, in: lastDays), of: lastDays.count)
            let f = RFMScoring.score(below: Self.below(values.orders, in: orderCounts), of: orderCounts.count)
            var m = 1
            for money in values.monetary {
                let amounts = monetary[money.currency] ?? []
                m = max(m, RFMScoring.score(below: Self.below(money.minorUnits, in: amounts), of: amounts.count))
            }
            return RFMScore(values, customerID: customerID, asOf: day, r: r, f: f, m: m)
        }

        /// How many elements of sorted `values` are less than `value`.
        static func below<T: Comparable>(_ value: T, in values: [T]) -> Int {
            var low = 0
            var high = values.count
            while low < high {
                let middle = (low + high) / 2
                if values[middle] < value { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }
}

extension RFMScore {
    init(_ values: RFMValues, customerID: String, asOf day: BusinessDay, r: Int, f: Int, m: Int) {
        let last = BusinessDay(number: values.lastDay)
        self.init(
            customerID: customerID,
            asOf: day.description,
            lastOrderDay: last.description,
            recencyDays: last.days(to: day),
            orders: values.orders,
            monetary: values.monetary,
            r: r,
            f: f,
            m: m,
            segment: RFMSegment(r: r, f: f, m: m)
        )
    }
}
