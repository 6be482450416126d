import CRMDomain
import CRMSchema
import Foundation
import PropertyBased
import Testing

/// Rules about every possible history: whatever reps, managers and departures do, in any
/// order and at any pace, the limits hold and the two views of ownership agree.
@Suite("Public pool invariants")
struct PoolInvariantTests {
    /// 2026-03-02 10:00 China time.
    let start = Date(timeIntervalSince1970: 1_772_416_800)
    let rules = PoolRules(
        dailyClaimLimit: 2,
        holdingCap: 3,
        previousOwnerCooldownDays: 2,
        idleDaysByLevel: [:],
        defaultIdleDays: 5,
        warningDaysBeforeRelease: 1,
        businessTimeZone: TimeZone(secondsFromGMT: 8 * 3600)!
    )

    /// One step of a history: what happens, by or to which rep and customer, and how many
    /// hours later than the step before.
    typealias Step = (action: Int, rep: Int, customer: Int, hoursLater: Int)

    static let history = zip(Gen.int(in: 0...5), Gen.int(in: 0...3), Gen.int(in: 0...11), Gen.int(in: 0...12)).array(
        of: 20...300
    )

    @Test("no rep ever holds more than the cap or claims more than the daily limit; owner and holdings always agree")
    func limitsAndViewsHold() async {
        await propertyCheck(count: 200, input: Self.history) { steps in
            var world = World(rules: rules, start: start)
            for step in steps { world.perform(step) }
        }
    }

    /// Customers, reps and a manager, changed only through the decisions.
    struct World {
        let rules: PoolRules
        var time: Date
        var customers: [String: CustomerState]
        var users: [String: UserState]
        let manager = user("manager-1", role: .manager)

        init(rules: PoolRules, start: Date) {
            self.rules = rules
            time = start
            customers = Dictionary(
                uniqueKeysWithValues: (0..<12).map { index in
                    var state = CustomerState(customerID: "c-\(index)")
                    var created = CRMCustomerCreated()
                    created.customerID = state.customerID
                    state.apply(created, occurredAt: start)
                    return (state.customerID, state)
                }
            )
            users = Dictionary(uniqueKeysWithValues: (0..<4).map { ("rep-\($0)", user("rep-\($0)")) })
        }

        mutating func perform(_ step: Step) {
            time.addTimeInterval(Double(step.hoursLater) * 3600)
            let repID = "rep-\(step.rep)"
            let customerID = "c-\(step.customer)"
            let customer = customers[customerID]!
            let rep = users[repID]!
            let owner = customer.owner.flatMap { users[$0] } ?? rep
            var changes: [CRMCustomerOwnershipChanged] = []
            switch step.action {
            case 0, 1:
                let context = try! CommandContext(actor: repID, occurredAt: time, now: time)
                changes = [try? PoolDecisions.claim(customer, by: rep, rules: rules, context: context)].compactMap {
                    $0
                }
            case 2:
                changes = [try? PoolDecisions.release(customer, by: rep, owner: owner, note: "")].compactMap { $0 }
            case 3:
                changes = [
                    try? PoolDecisions.transfer(customer, by: manager, owner: owner, to: rep, rules: rules, note: "")
                ].compactMap { $0 }
            case 4:
                if case .release(let change) = PoolDecisions.sweep(customer, rules: rules, at: time) {
                    changes = [change]
                }
            default:
                // The rep leaves, handing the customers to the next rep when there is room.
                let successor = users["rep-\((step.rep + 1) % 4)"]!
                let decision =
                    (try? UserDecisions.deactivate(rep, by: manager, successor: successor, reason: "left", rules: rules))
                    ?? (try? UserDecisions.deactivate(rep, by: manager, successor: nil, reason: "left", rules: rules))
                if let decision {
                    users[repID]!.apply(decision.deactivated, recordedAt: time)
                    changes = decision.handovers
                }
            }
            for change in changes { apply(change) }
            check()
        }

        mutating func apply(_ change: CRMCustomerOwnershipChanged) {
            customers[change.customerID]!.apply(change, occurredAt: time)
            for (userID, gained) in [(change.fromOwnerID, false), (change.toOwnerID, true)] where !userID.isEmpty {
                users[userID]!.apply(RepHoldings.entry(change, gained: gained), recordedAt: time)
            }
        }

        func check() {
            for user in users.values {
                #expect(
                    user.holdings.customers.count <= rules.holdingCap,
                    "\(user.userID) holds \(user.holdings.customers.count)"
                )
                #expect(user.holdings.claimsByDay.values.allSatisfy { $0 <= rules.dailyClaimLimit })
                if !user.isActive { #expect(user.holdings.customers.isEmpty, "\(user.userID) left with customers") }
            }
            for (customerID, state) in customers {
                let holders = users.values.filter { $0.holdings.customers.contains(customerID) }.map(\.userID)
                #expect(
                    holders == (state.owner.map { [$0] } ?? []),
                    "\(customerID): owner \(state.owner ?? "pool"), held by \(holders)"
                )
                if let owner = state.owner {
                    #expect(users[owner]!.isActive, "\(customerID) is owned by departed \(owner)")
                }
            }
        }
    }
}
