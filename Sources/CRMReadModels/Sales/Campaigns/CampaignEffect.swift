/// What a campaign cost and brought.
public struct CampaignEffect: Codable, Sendable, Hashable {
    /// Where a campaign is in its life.
    public enum Status: String, Codable, Sendable, Hashable {
        /// Named by leads or responses but never launched in the log.
        case notLaunched = "not-launched"
        /// Launched and not yet at its end.
        case running
        /// Past its planned end.
        case ended
    }

    /// The campaign's id.
    public var campaignID: String
    /// Its name.
    public var name: String
    /// The target segment, e.g. "manufacturing, East China, 50-249".
    public var segment: String
    /// email, sms, event, web, social, phone or unspecified.
    public var channel: String
    /// The budget, in integer minor units of `currency`.
    public var budget: Int64
    /// The budget's ISO 4217 currency code.
    public var currency: String
    /// The business day of the launch, `yyyy-mm-dd`; empty when not launched.
    public var launchedOn: String
    /// The business day of the planned end, `yyyy-mm-dd`; empty when not launched.
    public var endsOn: String
    /// Running, ended or never launched, at the time asked about.
    public var status: Status
    /// All responses.
    public var responses: Int
    /// Responses by what was answered, most frequent first (ties by response).
    public var responsesByKind: [CampaignResponseCount]
    /// Responses from leads.
    public var leadResponses: Int
    /// Responses from customers.
    public var customerResponses: Int
    /// Leads created with the campaign.
    public var leads: Int
    /// Of those, the ones converted to customers.
    public var conversions: Int
    /// conversions / leads; `nil` without leads.
    public var conversionRate: Double?
    /// The converted customers' contracts that became binding.
    public var contracts: Int
    /// Their amounts, by currency.
    public var contracted: [CampaignAmount]
    /// Their amount in the budget's currency, in minor units: the revenue the return is
    /// measured on.
    public var revenue: Int64
    /// The converted customers' payments less refunds paid to them, by currency.
    public var collected: [CampaignAmount]
    /// The budget per response, in minor units rounded half up; `nil` without responses.
    public var costPerResponse: Int64?
    /// The budget per conversion, in minor units rounded half up; `nil` without conversions.
    public var costPerConversion: Int64?
    /// (revenue − budget) / budget in basis points (10,000 = the budget came back twice);
    /// `nil` for a campaign without a budget.
    public var returnOnBudgetBasisPoints: Int64?
}

/// How often one response was given.
public struct CampaignResponseCount: Codable, Sendable, Hashable {
    /// The response, as recorded ("registered", "attended", …).
    public var response: String
    /// How many times it was given.
    public var count: Int

    /// `response`, given `count` times.
    public init(response: String, count: Int) {
        self.response = response
        self.count = count
    }
}

/// An amount in integer minor units of a currency.
public struct CampaignAmount: Codable, Sendable, Hashable {
    /// The ISO 4217 currency code.
    public var currency: String
    /// The amount in integer minor units (fen, cents).
    public var minorUnits: Int64

    /// `minorUnits` of `currency`.
    public init(currency: String, minorUnits: Int64) {
        self.currency = currency
        self.minorUnits = minorUnits
    }
}
