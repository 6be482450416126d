import CRMDomain
import CRMSchema
import Foundation
import PropertyBased
import Testing

/// Rules about every deactivation: nobody leaves with customers, and no successor passes the cap.
@Suite("Deactivation invariants")
struct DeactivationPropertyTests {
    /// The customers the leaver holds, how many the successor holds, the cap, and whether
    /// there is a successor.
    static let situations = zip(
        Gen.int(in: 0...99).set(ofAtMost: 0...8),
        Gen.int(in: 0...8),
        Gen.int(in: 1...10),
        Gen.bool(0.75)
    )

    @Test(
        "every customer goes, in id order, to the successor within the cap or to the pool; over the cap, nothing goes"
    )
    func handoversFollowCap() async {
        await propertyCheck(count: 500, input: Self.situations) { leaverHolds, successorHolds, cap, hasSuccessor in
            var leaving = user("rep-1")
            leaving.holdings.customers = Set(leaverHolds.map { "c-\($0)" })
            var successor = user("rep-2")
            successor.holdings.customers = Set((0..<successorHolds).map { "s-\($0)" })
            let rules = PoolRules(
                dailyClaimLimit: 1,
                holdingCap: cap,
                previousOwnerCooldownDays: 0,
                idleDaysByLevel: [:],
                defaultIdleDays: 30,
                warningDaysBeforeRelease: 3,
                businessTimeZone: .gmt
            )
            let incoming = leaverHolds.count
            do throws(DomainError) {
                let result = try UserDecisions.deactivate(
                    leaving,
                    by: user("admin-1", role: .admin),
                    successor: hasSuccessor ? successor : nil,
                    reason: "left",
                    rules: rules
                )
                #expect(!hasSuccessor || successorHolds + incoming <= cap)
                #expect(result.deactivated.customersHandedOver == Int32(incoming))
                #expect(result.handovers.map(\.customerID) == leaving.holdings.customers.sorted())
                let receiver = hasSuccessor ? "rep-2" : ""
                #expect(result.handovers.allSatisfy { $0.fromOwnerID == "rep-1" && $0.toOwnerID == receiver })
                for handover in result.handovers {
                    leaving.apply(RepHoldings.entry(handover, gained: false), recordedAt: .distantPast)
                    if hasSuccessor {
                        successor.apply(RepHoldings.entry(handover, gained: true), recordedAt: .distantPast)
                    }
                }
                #expect(leaving.holdings.customers.isEmpty)
                if hasSuccessor { #expect(successor.holdings.customers.count <= cap) }
            } catch {
                #expect(hasSuccessor && successorHolds + incoming > cap, "\(error)")
                #expect(error.code == .holdingCapReached)
                #expect(error.facts == ["held": "\(successorHolds)", "incoming": "\(incoming)", "cap": "\(cap)"])
            }
        }
    }
}
