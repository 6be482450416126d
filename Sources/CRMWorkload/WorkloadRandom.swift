import EventStore
import Foundation

/// The generator's only source of chance: SplitMix64 from a seed, so one seed gives one
/// history, ids included.
struct WorkloadRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// True with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < probability }

    /// One of `elements`.
    mutating func pick<T>(_ elements: [T]) -> T { elements[int(0...elements.count - 1)] }

    /// A version-7 UUID for `time`: ordered by time like the log's own ids, but drawn from the seed.
    mutating func uuid(at time: Date) -> UUID {
        UUID(version7Milliseconds: UInt64(max(0, time.timeIntervalSince1970 * 1000)), high: next(), low: next())
    }

    /// A lowercased id string for `time`.
    mutating func id(at time: Date) -> String { uuid(at: time).uuidString.lowercased() }
}
