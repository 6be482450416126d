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
                .badRequest, code: "position_past_head", "position \(position) is past the log's head \(head)",
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
        guard (1...64).contains(name.count), name.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) }) else {
            throw APIError(
                .badRequest, code: "invalid_consumer_name", "a consumer group is named with 1 to 64 letters, digits, dots, dashes or underscores",
                facts: ["consumer": name]
            )
        }
        return name
    }
}

/// `GET /v1/consumers/{name}` and `PUT /v1/consumers/{name}/position`.
struct ConsumerRoutes {
    let groups: ConsumerGroups

    func add(to router: some RouterMethods<RapportRequestContext>) {
        router.get("v1/consumers/:consumer", use: status)
        router.put("v1/consumers/:consumer/position", use: acknowledge)
    }

    /// The group's position, the head, and how far behind it is.
    @Sendable func status(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        let name = try context.parameters.require("consumer")
        let position = try groups.position(of: name)
        let head = try groups.log.head().position
        return try .encoded(GroupStatus(consumer: name, position: position, head: head, behind: head - min(position, head)))
    }

    struct PositionBody: CommandBody {
        static let fields: Set<String> = ["position"]
        var position: UInt64
    }

    /// Acknowledges everything up to `position`; answers with the group's position.
    @Sendable func acknowledge(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        let name = try context.parameters.require("consumer")
        let body = try await PositionBody.decode(from: request, context: context)
        let position = try await groups.acknowledge(name, position: body.position)
        let head = try groups.log.head().position
        return try .encoded(GroupStatus(consumer: name, position: position, head: head, behind: head - min(position, head)))
    }

    struct GroupStatus: Encodable {
        var consumer: String
        var position: UInt64
        var head: UInt64
        var behind: UInt64
    }
}
