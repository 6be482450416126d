public import Foundation

/// Who acts, and at what business time: the part every command shares.
///
/// Rules that depend on time (daily claim limits, cooldowns, idle days) are judged at
/// `occurredAt`, so history brought in from spreadsheets is judged as it happened.
public struct CommandContext: Sendable, Hashable {
    /// How far ahead of the clock a business time may be: phones and laptops drift.
    public static let allowedClockSkew: TimeInterval = 300

    /// The earliest business time a command may carry: older dates are typing mistakes, and a
    /// time must stay within what the log's nanosecond timestamps hold (1677 … 2262).
    public static let earliestOccurredAt = Date(timeIntervalSince1970: -2_208_988_800)  // 1900-01-01T00:00:00Z

    /// The acting user's id.
    public var actor: String
    /// When the business fact happened.
    public var occurredAt: Date
    /// When the command is decided: the day the log will record it. Limits that count per day
    /// (daily claims) count this day, so a back-dated command cannot dodge them.
    public var now: Date

    /// Resolves a command's business time: `occurredAt` when given, else `now`.
    ///
    /// - Parameter now: the injected clock's time; the domain never reads the clock itself.
    /// - Throws: ``DomainError`` `occurred_in_future` when `occurredAt` is later than `now`
    ///   plus ``allowedClockSkew``; `occurred_out_of_range` when it is before
    ///   ``earliestOccurredAt`` (or not a number).
    public init(actor: String, occurredAt: Date? = nil, now: Date) throws(DomainError) {
        let time = occurredAt ?? now
        guard time >= Self.earliestOccurredAt else {
            throw DomainError(
                .occurredOutOfRange,
                "a command's business time is from \(Self.earliestOccurredAt.formatted(.iso8601)) on; this one says \(time.formatted(.iso8601))",
                facts: [
                    "occurredAt": time.formatted(.iso8601), "earliest": Self.earliestOccurredAt.formatted(.iso8601),
                ]
            )
        }
        guard time.timeIntervalSince(now) <= Self.allowedClockSkew else {
            throw DomainError(
                .occurredInFuture,
                "the command says it happened at \(time.formatted(.iso8601)), after now (\(now.formatted(.iso8601)))",
                facts: ["occurredAt": time.formatted(.iso8601), "now": now.formatted(.iso8601)]
            )
        }
        self.actor = actor
        self.occurredAt = time
        self.now = now
    }
}
