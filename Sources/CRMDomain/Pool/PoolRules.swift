public import CRMSchema
public import Foundation

/// The public-pool rules in force: claim limits, holding cap, cooldown, idle release.
///
/// They come from the latest `PoolRulesConfigured` event at the command's business time,
/// so a claim made last year is judged by last year's rules.
public struct PoolRules: Sendable, Hashable {
    /// Claims a rep may make per business day.
    public var dailyClaimLimit: Int
    /// Customers a rep may own at once.
    public var holdingCap: Int
    /// Days a rep must wait to claim back a customer they released or lost.
    public var previousOwnerCooldownDays: Int
    /// Idle days before the sweep releases a customer, per customer level.
    public var idleDaysByLevel: [String: Int]
    /// Idle days for levels not listed.
    public var defaultIdleDays: Int
    /// Days before the release that the owner is warned.
    public var warningDaysBeforeRelease: Int
    /// The time zone whose calendar days count claims.
    public var businessTimeZone: TimeZone

    /// The rules before any are configured: 20 claims a day, 200 held, 30 days' cooldown,
    /// release after 30 idle days with a 3-day warning, days counted in China time.
    public static let defaults = PoolRules(
        dailyClaimLimit: 20,
        holdingCap: 200,
        previousOwnerCooldownDays: 30,
        idleDaysByLevel: [:],
        defaultIdleDays: 30,
        warningDaysBeforeRelease: 3,
        businessTimeZone: TimeZone(secondsFromGMT: 8 * 3600)!
    )

    /// Creates rules; see the properties.
    public init(
        dailyClaimLimit: Int,
        holdingCap: Int,
        previousOwnerCooldownDays: Int,
        idleDaysByLevel: [String: Int],
        defaultIdleDays: Int,
        warningDaysBeforeRelease: Int,
        businessTimeZone: TimeZone
    ) {
        self.dailyClaimLimit = dailyClaimLimit
        self.holdingCap = holdingCap
        self.previousOwnerCooldownDays = previousOwnerCooldownDays
        self.idleDaysByLevel = idleDaysByLevel
        self.defaultIdleDays = defaultIdleDays
        self.warningDaysBeforeRelease = warningDaysBeforeRelease
        self.businessTimeZone = businessTimeZone
    }

    /// The rules a `PoolRulesConfigured` event sets; an idle limit with an empty level is
    /// the default for every level not listed.
    public init(_ configured: CRMPoolRulesConfigured, businessTimeZone: TimeZone = PoolRules.defaults.businessTimeZone)
    {
        var byLevel: [String: Int] = [:]
        var fallback = Self.defaults.defaultIdleDays
        for limit in configured.idleLimits {
            if limit.customerLevel.isEmpty {
                fallback = Int(limit.idleDays)
            } else {
                byLevel[limit.customerLevel] = Int(limit.idleDays)
            }
        }
        self.init(
            dailyClaimLimit: Int(configured.dailyClaimLimit),
            holdingCap: Int(configured.holdingCap),
            previousOwnerCooldownDays: Int(configured.previousOwnerCooldownDays),
            idleDaysByLevel: byLevel,
            defaultIdleDays: fallback,
            warningDaysBeforeRelease: Int(configured.warningDaysBeforeRelease),
            businessTimeZone: businessTimeZone
        )
    }

    /// Idle days before a customer of `level` is released.
    public func idleDays(forLevel level: String) -> Int {
        idleDaysByLevel[level] ?? defaultIdleDays
    }

    /// The business day of `date` as a number: days since 1970-01-01 in ``businessTimeZone``.
    ///
    /// Arithmetic, not a calendar: every replay of a rep's stream counts the claims per day,
    /// and formatting a date per past claim cost more than everything else in a claim.
    public func businessDayNumber(of date: Date) -> Int {
        let local = date.timeIntervalSince1970 + Double(businessTimeZone.secondsFromGMT(for: date))
        return Int((local / 86_400).rounded(.down))
    }

    /// The business day of `date`, as `yyyy-mm-dd` in ``businessTimeZone``.
    public func businessDay(of date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = businessTimeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

extension PoolRules {
    /// Checks new pool rules: at least one claim a day and one customer held, no negative
    /// days, idle limits of at least a day with distinct levels, and a warning that comes
    /// before the shortest release.
    ///
    /// - Throws: `invalid_value` naming the field.
    public static func validate(_ configured: CRMPoolRulesConfigured) throws(DomainError) -> CRMPoolRulesConfigured {
        func refuse(_ field: String, _ message: String) -> DomainError {
            DomainError(.invalidValue, message, facts: ["field": field])
        }
        guard configured.dailyClaimLimit >= 1 else {
            throw refuse("daily_claim_limit", "the daily claim limit must be at least 1")
        }
        guard configured.holdingCap >= 1 else { throw refuse("holding_cap", "the holding cap must be at least 1") }
        guard configured.previousOwnerCooldownDays >= 0 else {
            throw refuse("previous_owner_cooldown_days", "the cooldown cannot be negative")
        }
        guard configured.warningDaysBeforeRelease >= 0 else {
            throw refuse("warning_days_before_release", "the warning cannot come after the release")
        }
        var levels = Set<String>()
        let warning = configured.warningDaysBeforeRelease
        for limit in configured.idleLimits {
            guard levels.insert(limit.customerLevel).inserted else {
                throw refuse("idle_limits", "customer level \"\(limit.customerLevel)\" has two idle limits")
            }
            guard limit.idleDays >= 1, limit.idleDays > warning else {
                throw refuse(
                    "idle_limits",
                    "level \"\(limit.customerLevel)\" releases after \(limit.idleDays) idle days, which must be at least 1 and more than the \(warning) warning days"
                )
            }
        }
        // Levels without a limit fall back to the default, so the warning must come before it too.
        guard levels.contains("") || Self.defaults.defaultIdleDays > warning else {
            throw refuse(
                "warning_days_before_release",
                "levels without an idle limit are released after \(Self.defaults.defaultIdleDays) days; a warning \(warning) days before cannot come first"
            )
        }
        return configured
    }
}
