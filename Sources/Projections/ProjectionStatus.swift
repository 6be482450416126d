/// Where a read model stands: which version of its projector built it and how far it has read.
public struct ProjectionStatus: Codable, Sendable, Hashable {
    /// The projector's name.
    public var name: String
    /// The projector version that built the stored rows.
    public var version: UInt32
    /// The last log position applied (0 before the first event).
    public var checkpoint: UInt64
    /// Which of the projector's two row databases is live; the other receives rebuilds.
    var slot: Slot
    /// The position, time or none the read model was built up to, when it was built as of one.
    public var asOf: AsOf?
    /// The format its rows are stored in, ``RowFormat/version``; `nil` for the JSON rows of before
    /// the binary format. A read model in another format is rebuilt rather than read.
    var rowFormat: UInt8? = RowFormat.version

    /// Whether the live runner can go on from this read model's checkpoint: built by projector
    /// `version` in the current row format, up to the head rather than as of a point, and not
    /// ahead of a log whose head is `head`.
    func canResume(version: UInt32, head: UInt64) -> Bool {
        self.version == version && rowFormat == RowFormat.version && asOf == nil && checkpoint <= head
    }

    /// One of a projector's two row databases.
    enum Slot: String, Codable, Sendable {
        case a, b
        var other: Slot { self == .a ? .b : .a }
    }
}
