import EventStore
import Foundation
import Hummingbird

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
        return try .encoded(
            GroupStatus(consumer: name, position: position, head: head, behind: head - min(position, head))
        )
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
        return try .encoded(
            GroupStatus(consumer: name, position: position, head: head, behind: head - min(position, head))
        )
    }

    struct GroupStatus: Encodable {
        var consumer: String
        var position: UInt64
        var head: UInt64
        var behind: UInt64
    }
}
