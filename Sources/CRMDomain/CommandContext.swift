public import Foundation

/// Who acts, and at what business time: the part every command shares.
///
/// Rules that depend on time (daily claim limits, cooldowns, idle days) are judged at
/// `occurredAt`, so history brought in from spreadsheets is judged as it happened.
public struct CommandContext: Sendable, Hashable {
    /// How far ahead of the clock a business time may be: phones and laptops drift.
    public static let allowedClockSkew: TimeInterval = 300

    /// The acting user's id.
    public var actor: String
    /// When the business fact happened.
    public var occurredAt: Date

    /// Resolves a command's business time: `occurredAt` when given, else `now`.
    ///
    /// - Parameter now: the injected clock's time; the domain never reads the clock itself.
    /// - Throws: ``DomainError`` `occurred_in_future` when `occurredAt` is later than `now`
    ///   plus ``allowedClockSkew``.
    public init(actor: String, occurredAt: Date? = nil, now: Date) throws(DomainError) {
        let time = occurredAt ?? now
        guard time.timeIntervalSince(now) <= Self.allowedClockSkew else {
            throw DomainError(
                .occurredInFuture,
                "the command says it happened at \(time.formatted(.iso8601)), after now (\(now.formatted(.iso8601)))",
                facts: ["occurredAt": time.formatted(.iso8601), "now": now.formatted(.iso8601)]
            )
        }
        self.actor = actor
        self.occurredAt = time
    }
}
