import CRMDomain
import CRMReadModels
import CRMSchema
import CRMService
import CRMTestSupport
import EventStore
import Foundation
import Projections
import SwiftProtobuf

/// Helpers for the customer read models' tests (named apart from the other areas' helpers,
/// which share this test module).
enum CustomerTestKit {
    /// Yuan as money.
    static func cny(_ yuan: Int64) -> CRMMoney { CRMMoney(minorUnits: yuan * 100, currency: "CNY") }

    /// A follow-up by phone with `customerID`, planning the next contact at `next` if given.
    static func call(_ customerID: String, next: Date? = nil, note: String = "") -> CRMFollowUpLogged {
        var followUp = CRMFollowUpLogged()
        (followUp.customerID, followUp.channel, followUp.note) = (customerID, .call, note)
        if let next { followUp.nextContactAt = .init(date: next) }
        return followUp
    }

    /// The business day of `date`.
    static func day(_ date: Date) -> BusinessDay { BusinessDay(Timestamp(date)) }

    /// The business day `text` (`yyyy-mm-dd`), which the test knows to be valid.
    static func day(_ text: String) -> BusinessDay { BusinessDay(text)! }

    /// `hour`:`minute` China time on `day` (`yyyy-mm-dd`).
    static func at(_ day: String, _ hour: Int, _ minute: Int = 0) -> Date {
        BusinessDay(day)!.start.date.addingTimeInterval(Double(hour * 3_600 + minute * 60))
    }

    /// `time` in the read models' nanoseconds.
    static func nanos(_ date: Date) -> Int64 { Timestamp(date).nanosecondsSinceEpoch }

    /// A team with a manager and reps, the manager managing them.
    static func staff(_ world: CRMWorld, reps names: [String]) async throws -> (manager: String, reps: [String]) {
        let team = try await world.team("East-\(UUID().uuidString.prefix(4))")
        let manager = try await world.user("manager", role: .manager, team: team)
        var reps: [String] = []
        for name in names { reps.append(try await world.user(name, team: team)) }
        return (manager, reps)
    }

    /// Whether `error` refuses `parameter` as malformed.
    static func refuses(_ error: ReadModelQueryError?, _ parameter: String) -> Bool {
        error?.code == .invalidParameter && error?.parameter == parameter
    }
}
