/// The rows of the `rfm` read model.

/// One customer's orders and payments, by business day: enough to give its recency, frequency
/// and monetary values as of any day.
struct RFMCustomerRow: Codable, Sendable, Hashable {
    /// The day the customer was created; `nil` if its creation was not seen.
    var createdDay: Int?
    /// The binding contracts, in the order they became binding.
    var orders: [RFMOrder] = []
    /// The days payments were received, sorted, each once.
    var paymentDays: [Int] = []

    /// The values as of the end of `day` (every order and payment when `nil`); `nil` when the
    /// customer had no order by then.
    func values(asOf day: Int? = nil) -> RFMValues? {
        var values = RFMValues(lastDay: .min, orders: 0, monetary: [])
        for order in orders where day.map({ order.day <= $0 }) ?? true {
            values.lastDay = max(values.lastDay, order.day)
            values.orders += 1
            values.monetary.add(order.minorUnits, order.currency)
        }
        guard values.orders > 0 else { return nil }
        let paid = day.map { limit in paymentDays.last { $0 <= limit } } ?? paymentDays.last
        if let paid { values.lastDay = max(values.lastDay, paid) }
        return values
    }
}

/// A contract that became binding: an order.
struct RFMOrder: Codable, Sendable, Hashable {
    var contractID: String
    /// The business day it became binding.
    var day: Int
    var minorUnits: Int64
    var currency: String
}

/// A contract waiting for approval: it becomes an order of its customer when it binds.
struct RFMPendingContract: Codable, Sendable, Hashable {
    var customerID: String
    var minorUnits: Int64
    var currency: String
}

/// A customer's recency, frequency and monetary values.
struct RFMValues: Sendable, Hashable {
    /// The last day it signed a contract or paid (day number).
    var lastDay: Int
    /// How many orders.
    var orders: Int
    /// The order totals per currency, sorted by currency.
    var monetary: [CustomerMoney]
}

/// How the `rfm` read model keeps the distribution of current values across customers, so one
/// customer's quintile scores are read from a few rows instead of every customer's.
///
/// Each dimension (`R`: last day, `F`: order count, `M|<currency>`: order total) has a totals
/// row (bucket → customers) and one row per bucket (value → customers). The customers below a
/// value are the totals of the lower buckets plus the lower values of its own bucket. Buckets
/// are monotone in the value: 32 days, 8 orders, or a quarter of a power of two of money.
enum RFMHistogram {
    static let recency = "R"
    static let frequency = "F"

    static func monetary(_ currency: String) -> String { "M|" + currency }

    /// The bucket of `value` in `dimension`.
    static func bucket(_ dimension: String, _ value: Int) -> Int {
        switch dimension {
        case recency: return value >> 5
        case frequency: return value >> 3
        default:
            guard value > 0 else { return 0 }
            let exponent = Int.bitWidth - 1 - value.leadingZeroBitCount
            let fraction = exponent >= 2 ? (value >> (exponent - 2)) & 3 : 0
            return 1 + exponent * 4 + fraction
        }
    }

    /// The key of the row of `dimension`'s bucket.
    static func bucketKey(_ dimension: String, _ bucket: Int) -> String { dimension + "|" + String(bucket) }
}
