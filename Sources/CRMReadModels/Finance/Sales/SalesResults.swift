/// What sales figures are broken down by.
public enum SalesDimension: String, Codable, Sendable, Hashable, CaseIterable {
    /// The contract's owner.
    case rep
    /// The customer's region when the contract was signed.
    case region
    /// The products of the contract's lines.
    case product
    /// The owner's team when the contract was signed.
    case team
}

/// Signed and collected amounts of one rep, region, product or team (or all of them) in one
/// currency.
public struct SalesFigures: Codable, Sendable, Hashable {
    /// The rep, region, product or team id; empty in totals, and for a customer without a
    /// region or a rep without a team.
    public var key: String
    /// The product's name, for products; empty otherwise.
    public var label: String
    /// The currency of the amounts.
    public var currency: String
    /// Amounts of contracts signed (for a product, its line totals).
    public var signed: Int64
    /// Contracts signed (for a product, the signed contracts that sell it).
    public var contracts: Int
    /// Payments received (for a product, its share of each payment by line total).
    public var collected: Int64
    /// Payments received (for a product, payments with a share of it).
    public var payments: Int
}

/// Sales in a period, broken down by one dimension.
public struct SalesBreakdown: Codable, Sendable, Hashable {
    /// The period asked about: `yyyy`, `yyyy-Qn` or `yyyy-mm`.
    public var period: String
    /// The dimension.
    public var by: SalesDimension
    /// One row per key and currency, most signed first (then by key and currency).
    public var rows: [SalesFigures]
    /// Per currency, the whole period, each contract and payment counted once: the rows'
    /// signed and collected amounts add up to these for every dimension.
    public var totals: [SalesFigures]
}

/// A rep's or a team's target for a period and what they achieved.
public struct TargetAttainment: Codable, Sendable, Hashable {
    /// The rep's user id or the team's id.
    public var holderID: String
    /// The currency of the amounts.
    public var currency: String
    /// The target set for exactly this period, if any.
    public var target: Int64?
    /// Amounts of contracts signed in the period.
    public var achieved: Int64
    /// `achieved / target` in basis points (10000 = 100%), rounded down; `nil` without a
    /// positive target.
    public var attainmentBasisPoints: Int?
}

/// Targets and attainment of every rep and team for a period.
public struct SalesTargetReport: Codable, Sendable, Hashable {
    /// The period asked about.
    public var period: String
    /// Reps with a target or a sale in the period, by id.
    public var reps: [TargetAttainment]
    /// Teams with a target or a sale in the period, by id.
    public var teams: [TargetAttainment]
}
