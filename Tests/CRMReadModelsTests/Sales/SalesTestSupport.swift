import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation

/// Business times and staffing for the sales read-model tests.
enum SalesTime {
    /// `hour` o'clock, China time, on `day` (`yyyy-mm-dd`).
    static func at(_ day: String, _ hour: Double = 10) -> Date {
        BusinessDay(day)!.start.date.addingTimeInterval(hour * 3_600)
    }
}

/// Yuan as money: integer fen.
func salesCNY(_ yuan: Int64) -> CRMMoney { CRMMoney(minorUnits: yuan * 100, currency: "CNY") }

extension CRMWorld {
    /// Moves the clock past every business time a sales test back-dates to (all of 2026), so
    /// the commands accept them.
    func salesClockToNextYear() {
        clock.advance(days: 400)
    }

    /// A customer owned by `owner` from `day` (or created into the pool when `owner` is empty).
    func salesCustomer(_ name: String, owner: String, on day: String, hour: Double = 9) async throws -> String {
        var customer = NewCustomer(name: name)
        customer.ownerID = owner
        return try await crm.createCustomer(customer, actor: "admin", occurredAt: SalesTime.at(day, hour))
    }

    /// A follow-up with `customer` by `rep` on `day`.
    func salesFollowUp(
        _ customer: String,
        by rep: String,
        _ channel: CRMFollowUpChannel,
        on day: String,
        hour: Double = 11
    ) async throws {
        var followUp = CRMFollowUpLogged()
        (followUp.customerID, followUp.channel, followUp.note) = (customer, channel, "talked")
        try await crm.logFollowUp(followUp, actor: rep, occurredAt: SalesTime.at(day, hour))
    }
}
