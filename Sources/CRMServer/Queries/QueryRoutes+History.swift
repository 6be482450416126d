import CRMReadModels
import EventStore
import Hummingbird
import Projections

/// Any customer as of any point of the log: the auditors' question.
extension QueryRoutes {
    /// `GET /v1/customers/{customer}?asOf=&basis=`: the 360 view as it stood at a point of the
    /// log, folded on demand from the customer's own events (see
    /// ``Customer360Queries/view(customerID:asOf:log:)``). Admins and auditors only.
    ///
    /// The fold costs milliseconds (the customer's few dozen events). The segment of a customer
    /// who had ordered by a past day costs what `/v1/customers/{customer}/segment?asOf=` costs:
    /// the `rfm` read model scores that day against every customer's values then.
    ///
    /// - `asOf` is a log position (every event up to it), an RFC 3339 time, or a day
    ///   `yyyy-mm-dd` (the end of that business day).
    /// - `basis` says which time a time means: `recorded` (the default) is what the CRM knew
    ///   then, the events the log had recorded by that time; `occurred` is what was true then,
    ///   the events whose business time is not after it, entries recorded later included. A
    ///   position takes no basis.
    ///
    /// 404 `customer_not_found` when the customer is unknown, or did not exist yet.
    func customerAsOf(_ query: QueryParameters, context: RapportRequestContext) throws -> Response {
        _ = try context.caller()
        let id = try context.parameters.require("customer")
        let basis = try query.optional("basis", as: String.self)
        let point: AsOf
        if let position = try? query.optional("asOf", as: UInt64.self) {
            guard basis == nil else {
                throw APIError.badRequest(
                    .invalidQueryParameter,
                    "a log position has no basis; basis is for times",
                    parameter: "basis"
                )
            }
            point = .position(position)
        } else {
            guard let time = try query.time("asOf") else {
                throw APIError.badRequest(
                    .invalidQueryParameter,
                    "basis needs asOf=<time | position>",
                    parameter: "asOf"
                )
            }
            switch basis ?? "recorded" {
            case "recorded": point = .recordedTime(time)
            case "occurred": point = .occurredTime(time)
            case let other:
                throw APIError.badRequest(
                    .invalidQueryParameter,
                    "basis is recorded or occurred, not \"\(other)\"",
                    parameter: "basis"
                )
            }
        }
        guard let view = try customers.view(customerID: id, asOf: point, log: log) else {
            throw APIError(
                .notFound,
                .customerNotFound,
                "no customer \(id) as of \(point)",
                facts: ["customer": id, "asOf": "\(point)"]
            )
        }
        return try .encoded(view)
    }
}
