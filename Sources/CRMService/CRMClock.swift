public import Foundation

/// Where the CRM gets "now": injected, so tests and imports control time.
public protocol CRMClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: CRMClock {
    /// The wall clock.
    public init() {}

    public func now() -> Date { Date() }
}
