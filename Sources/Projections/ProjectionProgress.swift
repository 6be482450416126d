/// How far a build has come: what a progress bar shows.
public struct ProjectionProgress: Sendable, Hashable {
    /// The read models being built.
    public var projectors: [String]
    /// Log positions gone through so far.
    public var eventsDone: UInt64
    /// Log positions the build goes through in all.
    public var eventsTotal: UInt64
    /// Time since the build started.
    public var elapsed: Duration

    /// Positions per second so far.
    public var eventsPerSecond: Double {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(eventsDone) / seconds : 0
    }

    /// The time left at the rate so far, or `nil` before there is a rate.
    public var estimatedRemaining: Duration? {
        let rate = eventsPerSecond
        guard rate > 0 else { return nil }
        return .seconds(Double(eventsTotal - min(eventsDone, eventsTotal)) / rate)
    }

    /// Whether every position has been gone through.
    public var isFinished: Bool { eventsDone >= eventsTotal }
}

/// Receives progress reports, at most a few times a second and once at the end.
public typealias ProjectionProgressHandler = @Sendable (ProjectionProgress) -> Void
