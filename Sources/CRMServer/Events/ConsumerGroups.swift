import EventStore
import Foundation
import Hummingbird

/// Named consumer groups: a checkpoint the server keeps for each group, which its members
/// acknowledge as they finish events and from which any member resumes
/// (`/v1/subscribe?consumer=NAME`).
///
/// Checkpoints are the log's own durable checkpoints, named `consumer:NAME`. Acknowledgements
/// go through this actor one at a time, so a late acknowledgement never moves a group back.
actor ConsumerGroups {
    let log: LMDBEventLog

    init(log: LMDBEventLog) {
        self.log = log
    }

    /// The last position the group acknowledged, 0 when it never did.
    nonisolated func position(of name: String) throws -> UInt64 {
        try log.checkpoint(named: Self.checkpointName(try Self.validated(name))) ?? 0
    }

    /// Records that the group has handled everything up to `position`; an acknowledgement
    /// behind the group's position changes nothing. Returns the group's position.
    func acknowledge(_ name: String, position: UInt64) async throws -> UInt64 {
        let checkpoint = Self.checkpointName(try Self.validated(name))
        let head = try log.head().position
        guard position <= head else {
            throw APIError(
                .badRequest,
                .positionPastHead,
                "position \(position) is past the log's head \(head)",
                facts: ["position": String(position), "head": String(head)]
            )
        }
        let current = try log.checkpoint(named: checkpoint) ?? 0
        guard position > current else { return current }
        try await log.saveCheckpoint(checkpoint, position: position)
        return position
    }

    private static func checkpointName(_ name: String) -> String { "consumer:" + name }

    /// A group name: 1 to 64 letters, digits, dots, dashes or underscores.
    static func validated(_ name: String) throws -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-"))
        guard (1...64).contains(name.count), name.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) })
        else {
            throw APIError(
                .badRequest,
                .invalidConsumerName,
                "a consumer group is named with 1 to 64 letters, digits, dots, dashes or underscores",
                facts: ["consumer": name]
            )
        }
        return name
    }
}
