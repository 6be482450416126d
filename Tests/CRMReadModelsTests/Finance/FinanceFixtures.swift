import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import Projections

/// Helpers the finance read-model tests share: money, business days, and a CRM staffed with
/// reps, customers and products whose histories are written at chosen business times.
enum FinanceFixtures {
    /// `yuan` in minor units of CNY.
    static func cny(_ yuan: Int64) -> CRMMoney { CRMMoney(minorUnits: yuan * 100, currency: "CNY") }

    /// `minorUnits` fen.
    static func fen(_ minorUnits: Int64) -> CRMMoney { CRMMoney(minorUnits: minorUnits, currency: "CNY") }

    /// The business day `text` (`yyyy-mm-dd`).
    static func day(_ text: String) -> BusinessDay { BusinessDay(text)! }

    /// `hour`:`minute` China time on the business day `text`.
    static func at(_ text: String, _ hour: Int = 10, _ minute: Int = 0) -> Date {
        day(text).start.date.addingTimeInterval(TimeInterval(hour * 3_600 + minute * 60))
    }

    /// The last instant of the business day `text`: what "as of the end of the day" cuts at.
    static func endOf(_ text: String) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: day(text).adding(days: 1).start.nanosecondsSinceEpoch - 1)
    }
}

extension CRMWorld {
    /// A world whose clock stands at the start of 2027, so that every command of a test can
    /// say when in 2026 it happened (a business time may not be in the future).
    static func finance(_ name: String) throws -> CRMWorld {
        let world = try CRMWorld(name)
        world.clock.advance(days: 310)
        return world
    }

    /// A customer owned by `owner` since `on`.
    func ownedCustomer(
        _ name: String,
        owner: String,
        region: String = "",
        on day: String = "2026-01-05"
    ) async throws -> String {
        var customer = NewCustomer(name: name)
        (customer.ownerID, customer.region) = (owner, region)
        return try await crm.createCustomer(customer, actor: "admin", occurredAt: FinanceFixtures.at(day))
    }

    /// A product at `price` and `cost` yuan.
    func product(_ sku: String, price: Int64, cost: Int64, on day: String = "2026-01-02") async throws -> String {
        try await crm.addProduct(
            NewProduct(
                sku: sku,
                name: "Product \(sku)",
                price: FinanceFixtures.cny(price),
                cost: FinanceFixtures.cny(cost)
            ),
            actor: "admin",
            occurredAt: FinanceFixtures.at(day)
        )
    }

    /// Drafts a contract of `lines` for `customer` by its owner `rep` on `day`.
    func contract(
        _ customer: String,
        rep: String,
        _ lines: [Pricing.LineRequest],
        on day: String
    ) async throws -> String {
        try await crm.draftContract(for: customer, lines: lines, actor: rep, occurredAt: FinanceFixtures.at(day))
    }
}
