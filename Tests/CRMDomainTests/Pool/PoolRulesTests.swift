import CRMDomain
import CRMSchema
import Foundation
import Testing

@Suite("Public pool rules")
struct PoolRulesTests {
    /// Rules that pass: 5 claims a day, 50 held, 7 days' cooldown, a 3-day warning before
    /// 30 idle days by default and 60 for level A.
    private static func rules(_ change: (inout CRMPoolRulesConfigured) -> Void = { _ in }) -> CRMPoolRulesConfigured {
        var rules = CRMPoolRulesConfigured()
        rules.dailyClaimLimit = 5
        rules.holdingCap = 50
        rules.previousOwnerCooldownDays = 7
        rules.warningDaysBeforeRelease = 3
        rules.idleLimits = [Self.limit("", 30), Self.limit("A", 60)]
        change(&rules)
        return rules
    }

    private static func limit(_ level: String, _ days: Int32) -> CRMIdleLimit {
        var limit = CRMIdleLimit()
        (limit.customerLevel, limit.idleDays) = (level, days)
        return limit
    }

    @Test("valid rules pass unchanged and set the limits; an empty level sets the default idle days")
    func valid() throws {
        let configured = try PoolRules.validate(Self.rules())
        #expect(configured == Self.rules())
        let inForce = PoolRules(configured)
        #expect((inForce.dailyClaimLimit, inForce.holdingCap, inForce.previousOwnerCooldownDays) == (5, 50, 7))
        #expect((inForce.defaultIdleDays, inForce.warningDaysBeforeRelease) == (30, 3))
        #expect(inForce.idleDays(forLevel: "A") == 60)
        #expect(inForce.idleDays(forLevel: "C") == 30)
    }

    @Test("the smallest sensible rules pass: one claim, one customer, no cooldown, no warning, one idle day")
    func lowerBounds() {
        #expect(throws: Never.self) {
            try PoolRules.validate(
                Self.rules {
                    ($0.dailyClaimLimit, $0.holdingCap) = (1, 1)
                    ($0.previousOwnerCooldownDays, $0.warningDaysBeforeRelease) = (0, 0)
                    $0.idleLimits = [Self.limit("", 1)]
                }
            )
        }
    }

    @Test(
        "rules that cannot work are refused, naming the field",
        arguments: [
            ("daily_claim_limit", Self.rules { $0.dailyClaimLimit = 0 }),
            ("holding_cap", Self.rules { $0.holdingCap = 0 }),
            ("holding_cap", Self.rules { $0.holdingCap = -3 }),
            ("previous_owner_cooldown_days", Self.rules { $0.previousOwnerCooldownDays = -1 }),
            ("warning_days_before_release", Self.rules { $0.warningDaysBeforeRelease = -1 }),
        ]
    )
    func refusals(_ field: String, _ configured: CRMPoolRulesConfigured) {
        let error = #expect(throws: DomainError.self) { try PoolRules.validate(configured) }
        #expect(error?.code == .invalidValue)
        #expect(error?.facts == ["field": field])
    }

    @Test("idle limits need distinct levels and more idle days than warning days")
    func idleLimitRefusals() {
        for idleLimits in [
            [Self.limit("A", 60), Self.limit("A", 90)],
            [Self.limit("", 30), Self.limit("", 40)],
            [Self.limit("B", 3)],
            [Self.limit("B", 2)],
            [Self.limit("B", 0)],
        ] {
            let error = #expect(throws: DomainError.self, "\(idleLimits)") {
                try PoolRules.validate(Self.rules { $0.idleLimits = idleLimits })
            }
            #expect(error?.code == .invalidValue)
            #expect(error?.facts == ["field": "idle_limits"])
        }
        #expect(throws: Never.self) { try PoolRules.validate(Self.rules { $0.idleLimits = [Self.limit("B", 4)] }) }
    }

    @Test("without an idle limit for every level, the warning must still come before the default 30 days")
    func warningBeforeDefaultRelease() {
        let error = #expect(throws: DomainError.self) {
            try PoolRules.validate(
                Self.rules {
                    $0.warningDaysBeforeRelease = 30
                    $0.idleLimits = [Self.limit("A", 60)]
                }
            )
        }
        #expect(error?.facts["field"] == "warning_days_before_release")
    }
}
