import CRMReadModels
import Hummingbird

/// RFM segments (recency, frequency, money) as of any business day.
extension QueryRoutes {
    func addSegments(to router: some RouterMethods<RapportRequestContext>) {
        router.get("v1/segments", use: segments)
        router.get("v1/customers/:customer/segment", use: customerSegment)
    }

    /// `GET /v1/segments?asOf=yyyy-mm-dd`: how many customers fall in each segment as of the
    /// end of a business day (today by default): the whole customer base, for admins,
    /// managers, finance and auditors.
    @Sendable func segments(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        return try .encoded(try RFMQueries(store: store).segments(asOf: try QueryParameters(request).day("asOf")))
    }

    /// `GET /v1/customers/{customer}/segment?asOf=yyyy-mm-dd`: one customer's scores and
    /// segment as of the end of a day (today by default), within the caller's customers;
    /// `score` is null when the customer had no order by then.
    @Sendable func customerSegment(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let customer = try visibleCustomer(context)
        let day = try QueryParameters(request).day("asOf")
        let score = try RFMQueries(store: store).segment(of: customer.customerID, asOf: day)
        return try .encoded(CustomerSegment(customerID: customer.customerID, asOf: day.description, score: score))
    }
}

/// A customer's RFM score on a day, `nil` before its first order.
private struct CustomerSegment: Encodable {
    var customerID: String
    var asOf: String
    var score: RFMScore?

    private enum CodingKeys: String, CodingKey { case customerID, asOf, score }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(customerID, forKey: .customerID)
        try container.encode(asOf, forKey: .asOf)
        // Written as null rather than left out: "no order yet" is an answer.
        try container.encode(score, forKey: .score)
    }
}
