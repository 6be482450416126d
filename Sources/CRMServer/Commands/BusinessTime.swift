import CRMDomain
import CRMService
import Foundation
import HTTPTypes
import Hummingbird

/// When a command may say it happened: setting a business time in the past is a permission,
/// as Salesforce's "Set Audit Fields" is. Admin and the migration role may back-date to
/// 1900; everyone else to within the back-dating window of now (a day by default), so a rep
/// cannot slip a follow-up or a claim into a day that has passed.
struct BusinessTimeRules: Sendable {
    /// The roles that may set any business time from 1900 on.
    static let backdatingRoles: Set<AccessRole> = [.admin, .migration]

    /// Now, by the server's clock, when the request arrived.
    var now: Date
    /// How far back a role without the permission may set a business time.
    var window: Duration
    /// Who asks.
    var role: AccessRole

    /// The earliest business time this caller may set.
    var earliest: Date {
        Self.backdatingRoles.contains(role)
            ? CommandContext.earliestOccurredAt : now.addingTimeInterval(-(window / .seconds(1)))
    }

    /// Refuses a business time before 1900 (400 `occurred_out_of_range`), in the future
    /// (400 `occurred_in_future`), or further back than the caller may set (403
    /// `backdating_not_allowed`).
    func check(_ occurredAt: Date) throws(APIError) {
        let shown = occurredAt.formatted(.iso8601)
        guard occurredAt >= CommandContext.earliestOccurredAt else {
            throw APIError(
                .badRequest,
                .occurredOutOfRange,
                "occurredAt must be from \(CommandContext.earliestOccurredAt.formatted(.iso8601)) on",
                facts: [
                    "field": "occurredAt", "occurredAt": shown,
                    "earliest": CommandContext.earliestOccurredAt.formatted(.iso8601),
                ]
            )
        }
        guard occurredAt.timeIntervalSince(now) <= CommandContext.allowedClockSkew else {
            throw APIError(
                .badRequest,
                .occurredInFuture,
                "occurredAt \(shown) is after now (\(now.formatted(.iso8601)))",
                facts: ["field": "occurredAt", "occurredAt": shown, "now": now.formatted(.iso8601)]
            )
        }
        let earliest = earliest
        guard occurredAt >= earliest else {
            throw APIError(
                .forbidden,
                .backdatingNotAllowed,
                "the \(role.rawValue) role may set occurredAt back to \(earliest.formatted(.iso8601)); only admin and migration may go further back",
                facts: ["occurredAt": shown, "earliest": earliest.formatted(.iso8601), "role": role.rawValue]
            )
        }
    }
}

/// Gives each authenticated request the business-time rules of its caller, read by the
/// commands whose bodies carry an `occurredAt` (``APIHandler/acting(at:)``).
struct BusinessTimeMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext
    let clock: any CRMClock
    let window: Duration

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let principal = context.principal {
            context.businessTime = BusinessTimeRules(now: clock.now(), window: window, role: principal.role)
        }
        return try await next(request, context)
    }
}
