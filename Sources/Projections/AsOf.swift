public import EventStore

/// How far into the log a read model is built.
public enum AsOf: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Every event up to and including a position.
    case position(UInt64)
    /// Every event the log had recorded by a time: what the CRM knew then.
    case recordedTime(Timestamp)
    /// Every event whose business time is not after a time: what was true then, including
    /// facts recorded later (a migration, a late entry).
    case occurredTime(Timestamp)

    public var description: String {
        switch self {
        case .position(let position): "position \(position)"
        case .recordedTime(let time): "recorded by \(time)"
        case .occurredTime(let time): "occurred by \(time)"
        }
    }
}
