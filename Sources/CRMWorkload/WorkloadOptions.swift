public import Foundation

/// What history to generate.
public struct WorkloadOptions: Sendable, Hashable {
    /// The seed: one seed, one history.
    public var seed: UInt64 = 2026
    /// Roughly how many customers the history ends with (imported into the pool, or converted
    /// from leads).
    public var customers = 50_000
    /// Sales reps, spread over the teams; each team also has a manager.
    public var reps = 40
    public var teams = 5
    /// Business days laid out, from ``start``.
    public var days = 730
    /// The first day, at midnight China time (UTC+8).
    public var start = Date(timeIntervalSince1970: 1_730_390_400)  // 2024-11-01 00:00 +08:00

    /// The defaults: about 50,000 customers, 40 reps in 5 teams, two years from 2024-11-01,
    /// about a million events.
    public init() {}
}

/// How far the generator has got.
public struct WorkloadProgress: Sendable, Hashable {
    /// Days laid out, of ``WorkloadOptions/days``.
    public var day: Int
    public var days: Int
    /// Events appended so far.
    public var events: Int
}

/// What the generator produced.
public struct WorkloadSummary: Sendable, Hashable {
    /// Events appended, and in how many appends.
    public var events: Int
    public var appends: Int
    /// Customers, leads, contracts and payments made.
    public var customers: Int
    public var leads: Int
    public var contracts: Int
    public var payments: Int
    /// Commands the rules refused (a claim of someone else's customer, a shipment without
    /// stock, …): they appended nothing, as in the real CRM.
    public var refusals: Int
}
