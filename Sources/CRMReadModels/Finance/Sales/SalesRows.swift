/// A contract as the sales read model keeps it: who sells it, its lines, and once signed
/// (binding) the region and team its sales and collections are credited to.
struct SalesContractRow: Codable, Sendable {
    var ownerID: String
    var customerID: String
    var currency: String
    var amount: Int64
    /// One per product, in the order the contract first lists it.
    var lines: [Line]
    /// Set when the contract became binding.
    var signed: Attribution?

    struct Line: Codable, Sendable {
        var productID: String
        var productName: String
        var total: Int64
    }

    /// Where a signed contract's figures go: fixed at signing, so a customer moving region or
    /// a rep moving team later does not rewrite past sales.
    struct Attribution: Codable, Sendable {
        var region: String
        var team: String
    }
}

/// Signed and collected amounts of one month, one dimension value and one currency.
struct SalesCellRow: Codable, Sendable {
    var month: String
    var dimension: String
    /// A rep, region, product or team id.
    var value: String
    /// The product's name for products; empty otherwise.
    var label: String
    var currency: String
    /// Amounts of contracts signed (a product's line totals for products).
    var signed: Int64 = 0
    /// Contracts signed (for products: signed contracts with the product).
    var contracts: Int = 0
    /// Payments received (a product's pro-rata share for products).
    var collected: Int64 = 0
    /// Payments received.
    var payments: Int = 0
}

/// A sales target as last set.
struct SalesTargetRow: Codable, Sendable {
    var period: String
    /// `rep` or `team`.
    var holderKind: String
    var holderID: String
    var currency: String
    var amount: Int64
}

/// A customer's current region.
struct SalesRegionRow: Codable, Sendable {
    var region: String
}

/// A user's current team.
struct SalesTeamRow: Codable, Sendable {
    var team: String
}
