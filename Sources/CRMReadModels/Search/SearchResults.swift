/// One page of a search: hits best first, and where the next page starts.
public struct SearchPage: Codable, Sendable, Hashable {
    /// The hits of this page, best match first, then oldest record first.
    public var hits: [SearchHit]
    /// Pass as `after` for the next page; `nil` on the last page.
    public var nextCursor: String?
    /// Hits on all pages together.
    public var total: Int
    /// False when a term of the query is so common that only the first
    /// ``SearchQueries/maxPostingsPerTerm`` records having it were looked at: a longer query
    /// finds the rest.
    public var complete: Bool

    public init(hits: [SearchHit], nextCursor: String?, total: Int, complete: Bool) {
        self.hits = hits
        self.nextCursor = nextCursor
        self.total = total
        self.complete = complete
    }
}

/// A customer, contact or lead that matched.
///
/// A record the caller may not see (another rep's) shows only that it exists, what it is called
/// and who owns it — what a rep needs to avoid claiming a company someone already works
/// (撞单) — and no ``details``.
public struct SearchHit: Codable, Sendable, Hashable {
    /// `customer`, `contact` or `lead`.
    public var kind: String
    /// The customer's, contact's or lead's id.
    public var id: String
    /// Who owns it: the customer's owner (a contact's is its customer's), the lead's assignee.
    /// Empty for a customer in the public pool (公海) and an unassigned lead.
    public var ownerID: String
    /// The customer's or contact's name, the lead's company, as entered.
    public var name: String
    /// What matched and how to reach it; `nil` when the caller may not see the record.
    public var details: SearchHitDetails?

    public init(kind: String, id: String, ownerID: String, name: String, details: SearchHitDetails?) {
        self.kind = kind
        self.id = id
        self.ownerID = ownerID
        self.name = name
        self.details = details
    }
}

/// The details of a hit the caller may see. Fields a kind of record has not are empty.
public struct SearchHitDetails: Codable, Sendable, Hashable {
    /// How it matched (``SearchMatch``): `exact`, `prefix`, `fragment`, `in_order`, `pinyin`,
    /// `typo`.
    public var match: String
    /// What matched: `name`, `contact_name` (a lead's contact), `phone`, `email`, `credit_code`.
    public var matchedField: String
    /// In E.164.
    public var phone: String
    public var email: String
    /// The unified social credit code.
    public var creditCode: String
    /// A contact's customer; the customer a converted lead became.
    public var customerID: String
    /// A contact's customer's name.
    public var customerName: String
    /// A lead's contact person.
    public var contactName: String
    /// A lead's status: `open`, `qualified`, `disqualified` or `converted`.
    public var leadStatus: String

    public init(
        match: String,
        matchedField: String,
        phone: String,
        email: String,
        creditCode: String,
        customerID: String,
        customerName: String,
        contactName: String,
        leadStatus: String
    ) {
        self.match = match
        self.matchedField = matchedField
        self.phone = phone
        self.email = email
        self.creditCode = creditCode
        self.customerID = customerID
        self.customerName = customerName
        self.contactName = contactName
        self.leadStatus = leadStatus
    }
}
