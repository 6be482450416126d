/// A named RFM segment, from a customer's recency (R), frequency (F) and monetary (M) scores.
///
/// Scores run 1-5 by quintile across the customers with at least one order by the day asked
/// about (see ``RFMScoring``): 5 is the most recent, most frequent, largest fifth. The names
/// follow the usual RF grid, tried in this order:
///
/// | segment               | rule                      | reading                                      |
/// |-----------------------|---------------------------|----------------------------------------------|
/// | `champions`           | R ≥ 4, F ≥ 4, M ≥ 4       | bought recently, often, and the most          |
/// | `loyal`               | R ≥ 3, F ≥ 4              | buy often, still active                       |
/// | `new`                 | R ≥ 4, F = 1              | first order lately                            |
/// | `potential_loyalists` | R ≥ 4, F 2-3              | recent and coming back                        |
/// | `needs_attention`     | R = 3                     | middling recency, not yet frequent            |
/// | `cant_lose`           | R = 1, F ≥ 4              | were among the best, gone quiet the longest   |
/// | `at_risk`             | R ≤ 2, F ≥ 3              | used to order often, not lately               |
/// | `hibernating`         | R ≤ 2, F ≤ 2              | few orders, long ago                          |
///
/// Every combination of scores falls in exactly one segment.
public enum RFMSegment: String, Codable, Sendable, Hashable, CaseIterable {
    case champions
    case loyal
    case new
    case potentialLoyalists = "potential_loyalists"
    case needsAttention = "needs_attention"
    case cantLose = "cant_lose"
    case atRisk = "at_risk"
    case hibernating

    /// The segment of scores `r`, `f`, `m` (each 1-5), by the rules above.
    public init(r: Int, f: Int, m: Int) {
        switch (r, f, m) {
        case (4..., 4..., 4...): self = .champions
        case (3..., 4..., _): self = .loyal
        case (4..., 1, _): self = .new
        case (4..., _, _): self = .potentialLoyalists
        case (3, _, _): self = .needsAttention
        case (...1, 4..., _): self = .cantLose
        case (_, 3..., _): self = .atRisk
        default: self = .hibernating
        }
    }
}

/// One customer's RFM values, scores and segment as of a day.
public struct RFMScore: Codable, Sendable, Hashable {
    /// The customer's id.
    public var customerID: String
    /// The day scored, `yyyy-mm-dd`.
    public var asOf: String
    /// The last day the customer signed a contract or paid, `yyyy-mm-dd`.
    public var lastOrderDay: String
    /// Days from ``lastOrderDay`` to ``asOf``.
    public var recencyDays: Int
    /// How many orders (contracts that became binding).
    public var orders: Int
    /// The order totals per currency.
    public var monetary: [CustomerMoney]
    /// The recency score, 1-5 (5: the most recent fifth).
    public var r: Int
    /// The frequency score, 1-5.
    public var f: Int
    /// The monetary score, 1-5: in each currency among the customers with orders in it; the
    /// best of them for a customer with several currencies.
    public var m: Int
    /// The segment the scores map to.
    public var segment: RFMSegment
}

/// How many customers are in each segment as of a day.
public struct RFMSegmentCounts: Codable, Sendable, Hashable {
    /// How many customers are in one segment.
    public struct Count: Codable, Sendable, Hashable {
        public var segment: RFMSegment
        public var customers: Int
    }

    /// The day, `yyyy-mm-dd`.
    public var asOf: String
    /// Customers with at least one order by then: the ones scored.
    public var scored: Int
    /// Customers created by then without an order: not scored.
    public var withoutOrders: Int
    /// Every segment, in the order of ``RFMSegment/allCases``, with its count (zero included).
    public var segments: [Count]
}

/// The quintile scoring.
///
/// A customer's score in a dimension is `1 + 5 × below / n`, rounded down, where `n` is how many
/// customers are scored in it and `below` how many of them have a strictly lower value (an
/// earlier last day, fewer orders, a smaller total). So the lowest fifth scores 1 and the top
/// fifth 5, and equal values always score the same, even across a quintile edge: the score of
/// a tie is that of its lowest member.
public enum RFMScoring {
    /// The score of a customer with `below` customers strictly under it among `n`.
    public static func score(below: Int, of n: Int) -> Int {
        precondition(n > 0 && (0..<n).contains(below), "a scored customer is one of the n")
        return 1 + 5 * below / n
    }
}
