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

    public var campaignID: String
    public var name: String
    /// The target segment, e.g. "manufacturing, East China, 50-249".
    public var segment: String
    /// email, sms, event, web, social, phone or unspecified.
    public var channel: String
    /// The budget, in integer minor units of `currency`.
    public var budget: Int64
    public var currency: String
    /// The launch and the planned end, `yyyy-mm-dd` business days; empty when not launched.
    public var launchedOn: String
    public var endsOn: String
    public var status: Status
    /// Responses: all, by response (most frequent first), from leads and from customers.
    public var responses: Int
    public var responsesByKind: [CampaignResponseCount]
    public var leadResponses: Int
    public var customerResponses: Int
    /// Leads created with the campaign, how many became customers, and conversions / leads.
    public var leads: Int
    public var conversions: Int
    public var conversionRate: Double?
    /// The converted customers' binding contracts: how many, their amounts by currency, and
    /// the amount in the budget's currency (the revenue the return is measured on).
    public var contracts: Int
    public var contracted: [CampaignAmount]
    public var revenue: Int64
    /// The converted customers' payments less refunds, by currency.
    public var collected: [CampaignAmount]
    /// The budget per response and per conversion, in minor units rounded half up; `nil`
    /// when there are none.
    public var costPerResponse: Int64?
    public var costPerConversion: Int64?
    /// (revenue − budget) / budget in basis points (10,000 = the budget came back twice);
    /// `nil` for a campaign without a budget.
    public var returnOnBudgetBasisPoints: Int64?
}

/// How often one response was given.
public struct CampaignResponseCount: Codable, Sendable, Hashable {
    public var response: String
    public var count: Int

    /// `response`, given `count` times.
    public init(response: String, count: Int) {
        self.response = response
        self.count = count
    }
}

/// An amount in integer minor units of a currency.
public struct CampaignAmount: Codable, Sendable, Hashable {
    public var currency: String
    public var minorUnits: Int64

    /// `minorUnits` of `currency`.
    public init(currency: String, minorUnits: Int64) {
        self.currency = currency
        self.minorUnits = minorUnits
    }
}
