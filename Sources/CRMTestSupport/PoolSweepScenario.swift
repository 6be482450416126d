import CRMDomain
public import CRMSchema
import CRMService
import Foundation

/// A pool sweep over deals, shared by the tests of every way to sweep (over the whole log,
/// over a read model of idle customers): three customers claimed by one rep, one left alone,
/// one with an opportunity, one with a contract paid late.
public enum PoolSweepScenario {
    /// One sweep of the scenario: what it released and what it should have.
    public struct Step: Sendable, Equatable {
        /// When, and why that outcome.
        public var step: String
        public var released: [String]
        public var expected: [String]
    }

    /// Plays the scenario in `world`, sweeping with `sweep` (which returns the ids it
    /// released) at each step, and returns every step's outcome beside the expected one.
    public static func businessActivity(
        in world: CRMWorld,
        sweep: () async throws -> [String]
    ) async throws -> [Step] {
        let (crm, clock) = (world.crm, world.clock)
        let rep = try await world.user("rep")
        let finance = try await world.user("finance", role: .finance)
        let product = try await crm.addProduct(
            NewProduct(
                sku: "seat",
                name: "Seat",
                price: CRMMoney(minorUnits: 100_000, currency: "CNY"),
                cost: CRMMoney(minorUnits: 1, currency: "CNY")
            ),
            actor: "admin"
        )
        var ids: [String: String] = [:]
        for name in ["idle", "dealing", "contracted"] {
            ids[name] = try await world.poolCustomer("\(name) Co., Ltd.")
            try await crm.claimCustomer(ids[name]!, actor: rep)
        }
        clock.advance(days: 1)
        let contract = try await crm.draftContract(
            for: ids["contracted"]!,
            lines: [.init(productID: product, quantity: 2)],
            actor: rep
        )
        clock.advance(days: 19)
        _ = try await crm.openOpportunity(
            .init(name: "Spring order", amount: CRMMoney(minorUnits: 500_000, currency: "CNY")),
            for: ids["dealing"]!,
            actor: rep
        )
        var steps: [Step] = []
        clock.advance(days: 11)
        steps.append(
            Step(
                step: "day 31 under the defaults (30 idle days): only the customer with no business at all goes",
                released: try await sweep(),
                expected: [ids["idle"]!]
            )
        )
        clock.advance(days: 30)
        steps.append(
            Step(
                step: "day 61: the deal went quiet 41 days ago; the unpaid contract still holds its customer",
                released: try await sweep(),
                expected: [ids["dealing"]!]
            )
        )
        let whole = CRMMoney(minorUnits: 200_000, currency: "CNY")
        try await crm.scheduleInstalments(contract, [.init(dueAt: clock.now(), amount: whole)], actor: rep)
        _ = try await crm.recordPayment(contract, amount: whole, method: .bankTransfer, actor: finance)
        clock.advance(days: 29)
        steps.append(
            Step(
                step: "day 90: paid in full at day 61, the contract is closed and its last activity started the clock",
                released: try await sweep(),
                expected: []
            )
        )
        clock.advance(days: 2)
        steps.append(
            Step(step: "day 92: 31 days since the payment", released: try await sweep(), expected: [ids["contracted"]!])
        )
        return steps
    }
}
