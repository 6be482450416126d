import CRMReadModels
import Hummingbird

/// What a rep should act on today.
extension QueryRoutes {
    func addReminders(to router: some RouterMethods<RapportRequestContext>) {
        router.get("v1/reminders", use: reminders)
    }

    /// `GET /v1/reminders?rep=&day=&noOrderDays=&dueWithinDays=`: a rep's reminders on a
    /// business day (today by default): contacts due today and tomorrow, overdue follow-ups,
    /// customers without an order in `noOrderDays` days (90), birthdays, pool-release
    /// warnings, instalments due within `dueWithinDays` days (7) and overdue. The caller's own
    /// unless `rep` names a rep within their scope.
    @Sendable func reminders(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let query = QueryParameters(request)
        let rep = try scope.rep(principal, asked: try query.optional("rep"), parameter: "rep")
        let reminders = try RemindersQueries(store: store).reminders(
            for: rep,
            on: try query.day("day"),
            noOrderDays: try query.integer("noOrderDays", in: 0...36_500, default: 90),
            dueWithinDays: try query.integer("dueWithinDays", in: 0...36_500, default: 7)
        )
        return try .encoded(reminders)
    }
}
