import EventStore

/// CRM-like events: a follow-up logged by a rep, with a ~300-byte payload.
enum SampleEvents {
    static let type = "crm.v1.FollowUpLogged"
    static let payloadSize = 300
    /// Fixed bytes that look random enough; the hot tail is stored uncompressed, so their
    /// content does not change what is measured.
    static let payload: [UInt8] = (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0 &* 167 &+ 13) }
    static let metadata = EventMetadata(actor: "rep-1")

    /// A new event, with a new id (an id already in the log would be a no-op retry).
    static func followUp() -> EventData {
        EventData(type: type, payload: payload, metadata: metadata)
    }

    /// `count` new events.
    static func followUps(_ count: Int) -> [EventData] {
        (0..<count).map { _ in followUp() }
    }

    /// The stream of customer `index`.
    static func customer(_ index: Int) throws -> StreamName {
        try StreamName("customer-\(index)")
    }

    /// Appends `eventsPerStream` events to each of `streams` customer streams, interleaved in
    /// rounds of `eventsPerRound` events per stream, so a stream's events are spread through
    /// the log the way a CRM's are.
    static func fill(_ log: LMDBEventLog, streams: Int, eventsPerStream: Int, eventsPerRound: Int = 10) async throws {
        let names = try (0..<streams).map(customer)
        let streamsPerAppend = max(1, 10_000 / eventsPerRound)
        for _ in 0..<(eventsPerStream / eventsPerRound) {
            for first in stride(from: 0, to: streams, by: streamsPerAppend) {
                let appends = names[first..<min(first + streamsPerAppend, streams)].map { name in
                    StreamAppend(stream: name, expectedVersion: .any, events: followUps(eventsPerRound))
                }
                _ = try await log.append(AppendRequest(appends))
            }
        }
    }
}
