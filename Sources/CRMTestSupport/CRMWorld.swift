public import CRMSchema
public import CRMService
public import EventStore
public import Foundation
public import RapportTestSupport
import Synchronization

/// A clock the test sets.
public final class TestClock: CRMClock {
    private let current: Mutex<Date>
    public init(_ date: Date) { current = Mutex(date) }
    public func now() -> Date { current.withLock { $0 } }
    /// Moves the clock on by `days`.
    public func advance(days: Double) { current.withLock { $0.addTimeInterval(days * 86_400) } }
}

/// A CRM over a real log in a temporary directory, with a clock the test sets (first at
/// 2026-03-02 10:00 China time) and helpers to staff it.
public struct CRMWorld {
    public let directory: TemporaryDirectory
    public let clock = TestClock(Date(timeIntervalSince1970: 1_772_416_800))
    public let log: LMDBEventLog
    public let crm: CRMService<LMDBEventLog>

    /// A new world in a temporary directory named after `name`.
    public init(_ name: String) throws {
        directory = TemporaryDirectory(name)
        log = try openTestLog(directory)
        crm = CRMService(log: log, clock: clock)
    }

    /// Creates a team.
    public func team(_ name: String) async throws -> String {
        try await crm.createTeam(named: name, actor: "admin")
    }

    /// Adds an active user (`name@example.com`) and returns their id.
    public func user(_ name: String, role: CRMRole = .salesRep, team: String = "") async throws -> String {
        var new = NewUser(name: name, email: "\(name)@example.com", role: role)
        new.teamID = team
        return try await crm.addUser(new, actor: "admin")
    }

    /// A customer in the public pool.
    public func poolCustomer(_ name: String) async throws -> String {
        try await crm.createCustomer(NewCustomer(name: name), actor: "admin")
    }

    /// The decoded events of a stream.
    public func events(of stream: String) throws -> [RecordedEvent] {
        try log.readStream(StreamName(stream))
    }

    /// Closes the log.
    public func close() async { await log.close() }
}
