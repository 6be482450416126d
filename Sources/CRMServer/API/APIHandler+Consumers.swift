import EventStore
import HTTPTypes
import RapportAPI

/// Consumer groups: a service's acknowledged position in the log, kept by the server so the
/// service resumes where it left off.
extension APIHandler {
    /// The group's position, the head, and how far behind it is.
    func consumerGroup(_ input: Operations.ConsumerGroup.Input) async throws -> Operations.ConsumerGroup.Output {
        _ = try caller
        let position = try groups.position(of: input.path.consumer)
        return .ok(try status(of: input.path.consumer, at: position))
    }

    /// Acknowledges everything up to `position`; a late acknowledgement never moves the group
    /// back. Answers with the group's position.
    func acknowledge(_ input: Operations.Acknowledge.Input) async throws -> Operations.Acknowledge.Output {
        _ = try caller
        let body = input.body.json
        guard let requested = UInt64(exactly: body.position) else {
            throw APIError(
                .badRequest,
                .invalidValue,
                "the field \"position\" is invalid: a position is not negative",
                facts: ["field": "position"]
            )
        }
        let position = try await groups.acknowledge(input.path.consumer, position: requested)
        return .ok(try status(of: input.path.consumer, at: position))
    }

    private func status(of consumer: String, at position: UInt64) throws -> Components.Responses.ConsumerGroup {
        let head = try groups.log.head().position
        // Positions are at most the head, and a log holds fewer than 2^63 events.
        return .init(
            body: .json(
                .init(
                    consumer: consumer,
                    position: Int64(clamping: position),
                    head: Int64(clamping: head),
                    behind: Int64(clamping: head - min(position, head))
                )
            )
        )
    }
}
