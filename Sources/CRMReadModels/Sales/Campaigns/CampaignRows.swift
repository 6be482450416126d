/// One campaign and what came of it (key: campaign id in `campaigns`).
struct CampaignRow: Codable, Sendable, Hashable {
    /// Whether its launch is in the log (leads may name a campaign that never launched).
    var launched = false
    var name = ""
    var segment = ""
    var channel = ""
    /// The budget, in minor units of `currency`.
    var budget: Int64 = 0
    var currency = ""
    /// Business times of the launch and the planned end, ns since the epoch.
    var launchedAt: Int64 = 0
    var endsAt: Int64 = 0
    /// Responses, in all and by response text, and how many came from leads and customers.
    var responses = 0
    var responsesByKind: [String: Int] = [:]
    var leadResponses = 0
    var customerResponses = 0
    /// Leads created with the campaign, and those converted to customers.
    var leads = 0
    var conversions = 0
    /// Contracts of the converted customers that became binding, and their amounts by currency.
    var contracts = 0
    var contracted: [String: Int64] = [:]
    /// Payments from the converted customers less refunds paid to them, by currency.
    var collected: [String: Int64] = [:]
}

/// The campaign a lead, a customer or a contract came from (key: its id in `leads`,
/// `customers` or `contracts`).
struct CampaignLink: Codable, Sendable, Hashable {
    var campaign: String
    /// A contract awaiting approval: its amount and currency, counted when it binds.
    var amount: Int64 = 0
    var currency = ""
    var binding = false
}
