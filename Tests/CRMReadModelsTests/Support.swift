import CRMDomain
import CRMReadModels
import Projections
import CRMSchema
import CRMService
import EventStore
import Foundation
import RapportTestSupport
import Synchronization

/// A clock the test sets.
final class TestClock: CRMClock {
    private let current: Mutex<Date>
    init(_ date: Date) { current = Mutex(date) }
    func now() -> Date { current.withLock { $0 } }
    func advance(days: Double) { current.withLock { $0.addTimeInterval(days * 86_400) } }
}

/// A CRM over a real log in a temporary directory, with a clock the test sets (first at
/// 2026-03-02 10:00 China time) and helpers to staff it.
struct CRMWorld {
    let directory: TemporaryDirectory
    let clock = TestClock(Date(timeIntervalSince1970: 1_772_416_800))
    let log: LMDBEventLog
    let crm: CRMService<LMDBEventLog>

    init(_ name: String) throws {
        directory = TemporaryDirectory(name)
        log = try openTestLog(directory)
        crm = CRMService(log: log, clock: clock)
    }

    /// Creates a team.
    func team(_ name: String) async throws -> String {
        try await crm.createTeam(named: name, actor: "admin")
    }

    /// Adds an active user (`name@example.com`) and returns their id.
    func user(_ name: String, role: CRMRole = .salesRep, team: String = "") async throws -> String {
        var new = NewUser(name: name, email: "\(name)@example.com", role: role)
        new.teamID = team
        return try await crm.addUser(new, actor: "admin")
    }

    /// A customer in the public pool.
    func poolCustomer(_ name: String) async throws -> String {
        try await crm.createCustomer(NewCustomer(name: name), actor: "admin")
    }

    /// The decoded events of a stream.
    func events(of stream: String) throws -> [RecordedEvent] {
        try log.readStream(StreamName(stream))
    }

    func close() async { await log.close() }
}

extension CRMWorld {
    /// Builds `projectors` from the whole log (or as of `asOf`) into a fresh store beside it.
    func readModels(_ projectors: [any CRMProjector.Type], asOf: AsOf? = nil) async throws -> ReadModelStore {
        let store = try ReadModelStore(directory: directory.path + "/read-models-\(UUID().uuidString)")
        try await ProjectionBuilder.build(projectors, log: log, decoder: CRMProjections.decoder, asOf: asOf, into: store)
        return store
    }
}
