import CRMDomain
import CRMReadModels
import EventStore
import HTTPTypes
import Projections
import RapportAPI

/// The customers as reps, managers and auditors see them: a rep's list or the pool, the 360
/// view now or as of any point of the log, the timeline, RFM segments and the day's reminders.
extension APIHandler {
    var customerViews: Customer360Queries { Customer360Queries(store: reads) }

    /// A rep's customers (the caller's own when `owner` is left out) or the public pool.
    func listCustomers(_ input: Operations.ListCustomers.Input) async throws -> Operations.ListCustomers.Output {
        let principal = try caller
        let query = input.query
        let limit = query.limit ?? 100
        if query.pool == true {
            return .ok(.init(body: .json(try answer(customerViews.poolCustomers(after: query.after, limit: limit)))))
        }
        guard let owner = QueryValues.given(query.owner) ?? principal.user?.userID else {
            throw APIError.badRequest(.invalidQueryParameter, "give owner=<user id> or pool=true", parameter: "owner")
        }
        try scope.require(principal, owner: owner, customer: "of \(owner)")
        return .ok(
            .init(body: .json(try answer(customerViews.customers(ownedBy: owner, after: query.after, limit: limit))))
        )
    }

    /// The 360 view: profile, owner, contacts, follow-ups, deals, contracts, receivables,
    /// service, segment and the latest timeline; with `asOf`, as it stood then.
    func customer360(_ input: Operations.Customer360.Input) async throws -> Operations.Customer360.Output {
        let query = input.query
        guard query.asOf != nil || query.basis != nil else {
            return .ok(.init(body: .json(try answer(try visibleCustomer(input.path.customer)))))
        }
        let view = try customerAsOf(input.path.customer, asOf: query.asOf, basis: query.basis?.rawValue)
        return .ok(.init(body: .json(try answer(view))))
    }

    /// Everything that happened to the customer, oldest first, a page at a time.
    func customerTimeline(_ input: Operations.CustomerTimeline.Input) async throws -> Operations.CustomerTimeline.Output
    {
        let view = try visibleCustomer(input.path.customer)
        let page = try customerViews.timeline(
            customerID: view.customerID,
            // The gate admits 0 … Int64.max only.
            after: input.query.after.map { UInt64(clamping: $0) },
            limit: input.query.limit ?? 100
        )
        return .ok(.init(body: .json(try answer(page))))
    }

    /// One customer's RFM scores and segment as of the end of a day (today by default);
    /// `score` is absent when the customer had no order by then.
    func customerSegment(_ input: Operations.CustomerSegment.Input) async throws -> Operations.CustomerSegment.Output {
        let customer = try visibleCustomer(input.path.customer)
        let day = try QueryValues.day("asOf", input.query.asOf, now: try requestTime)
        let score = try RFMQueries(store: reads).segment(of: customer.customerID, asOf: day)
        return .ok(
            .init(
                body: .json(.init(customerID: customer.customerID, asOf: day.description, score: try score.map(answer)))
            )
        )
    }

    /// How many customers fall in each segment as of the end of a day (today by default).
    func segments(_ input: Operations.Segments.Input) async throws -> Operations.Segments.Output {
        let counts = try RFMQueries(store: reads).segments(
            asOf: try QueryValues.day("asOf", input.query.asOf, now: try requestTime)
        )
        return .ok(.init(body: .json(try answer(counts))))
    }

    /// A rep's reminders on a business day (today by default): contacts due, overdue
    /// follow-ups, customers without an order in `noOrderDays` days, birthdays, pool-release
    /// warnings, instalments due within `dueWithinDays` days and overdue.
    func reminders(_ input: Operations.Reminders.Input) async throws -> Operations.Reminders.Output {
        let principal = try caller
        let query = input.query
        let reminders = try RemindersQueries(store: reads).reminders(
            for: try scope.rep(principal, asked: query.rep, parameter: "rep"),
            on: try QueryValues.day("day", query.day, now: try requestTime),
            noOrderDays: query.noOrderDays ?? 90,
            dueWithinDays: query.dueWithinDays ?? 7
        )
        return .ok(.init(body: .json(try answer(reminders))))
    }

    // MARK: - Helpers

    /// Customer `id`, if it exists and is within the caller's scope.
    func visibleCustomer(_ id: String) throws -> Customer360 {
        let principal = try caller
        guard let view = try customerViews.view(customerID: id) else {
            throw APIError(.notFound, .customerNotFound, "no customer \(id)", facts: ["customer": id])
        }
        try scope.require(principal, owner: view.inPool ? nil : view.owner, customer: id)
        return view
    }

    /// Customer `id` as it stood at a point of the log, folded on demand from its own events
    /// (milliseconds: a few dozen events); the auditors' question, admins and auditors only.
    ///
    /// - `asOf` is a log position (every event up to it), an RFC 3339 time, or a day
    ///   `yyyy-mm-dd` (the end of that business day).
    /// - `basis` says which time a time means: `recorded` (the default) is what the CRM knew
    ///   then, the events the log had recorded by that time; `occurred` is what was true then,
    ///   the events whose business time is not after it, entries recorded later included. A
    ///   position takes no basis.
    ///
    /// The segment of a customer who had ordered by a past day costs what the segment query
    /// costs: the `rfm` read model scores that day against every customer's values then.
    /// 404 `customer_not_found` when the customer is unknown, or did not exist yet.
    private func customerAsOf(_ id: String, asOf: String?, basis: String?) throws -> Customer360 {
        let point: AsOf
        if let position = asOf.flatMap({ UInt64($0) }) {
            guard basis == nil else {
                throw APIError.badRequest(
                    .invalidQueryParameter,
                    "a log position has no basis; basis is for times",
                    parameter: "basis"
                )
            }
            point = .position(position)
        } else {
            guard let time = try QueryValues.time("asOf", asOf) else {
                throw APIError.badRequest(
                    .invalidQueryParameter,
                    "basis needs asOf=<time | position>",
                    parameter: "asOf"
                )
            }
            point = basis == "occurred" ? .occurredTime(time) : .recordedTime(time)
        }
        guard let view = try customerViews.view(customerID: id, asOf: point, log: log) else {
            throw APIError(
                .notFound,
                .customerNotFound,
                "no customer \(id) as of \(point)",
                facts: ["customer": id, "asOf": "\(point)"]
            )
        }
        return view
    }
}
