import CRMSchema
import EventStore
import Foundation
import SwiftProtobuf

/// An event as decided, before it is encoded.
struct DecidedEvent: Sendable {
    var id: UUID
    var message: any SwiftProtobuf.Message
    var actor: String
    var occurredAt: Timestamp

    /// The event as the log takes it: the payload encoded through the catalogue.
    func encoded(by catalogue: EventCatalogue) throws -> EventData {
        let payload = try catalogue.encode(message)
        return EventData(
            id: id,
            type: payload.typeName,
            schemaVersion: payload.schemaVersion,
            payload: payload.payload,
            metadata: EventMetadata(actor: actor, occurredAt: occurredAt)
        )
    }
}

/// Appends the generated history in the order it was decided, at the speed of large appends.
///
/// Each decision joins the request being built unless it touches a stream already in it
/// (other than by continuing the last one written), or releases a dedup key the request
/// reserves: then the request is closed and a new one begun, since a request holds each
/// stream once and applies its releases before its reservations. Closed requests are encoded
/// and queued together with ``EventLog/append(contentsOf:)`` in a task of their own, which
/// keeps their order and lets the log commit thousands of events at a time while the
/// generator decides the next ones.
final class WorkloadWriter<Log: EventLog> {
    /// A request as decided, encoded only when submitted.
    private struct Request: Sendable {
        var streams: [(StreamName, [DecidedEvent])] = []
        var reservations: [(key: UniqueKey, owner: StreamName)] = []
        var releases: [(key: UniqueKey, owner: StreamName)] = []

        func encoded(by catalogue: EventCatalogue) throws -> AppendRequest {
            let appends = try streams.map { stream, events in
                StreamAppend(
                    stream: stream,
                    expectedVersion: .any,
                    events: try events.map { try $0.encoded(by: catalogue) }
                )
            }
            return AppendRequest(appends, reserving: reservations, releasing: releases)
        }
    }

    let log: Log
    /// Events queued before the requests go to the log.
    let eventsPerSubmission: Int
    private var request = Request()
    private var indexOfStream: [StreamName: Int] = [:]
    private var reservedInRequest: Set<UniqueKey> = []
    private var closed: [Request] = []
    private var queuedEvents = 0
    private var inFlight: Task<[Result<AppendResult, EventStoreError>], any Error>?
    /// Events appended so far, and in how many requests.
    private(set) var appended = 0
    private(set) var appends = 0

    init(log: Log, eventsPerSubmission: Int = 20_000) {
        self.log = log
        self.eventsPerSubmission = eventsPerSubmission
    }

    /// Queues one decision's events, stream by stream, with the keys it reserves and releases.
    func write(
        _ parts: [(StreamName, [DecidedEvent])],
        reserving: [(key: UniqueKey, owner: StreamName)] = [],
        releasing: [(key: UniqueKey, owner: StreamName)] = []
    ) async throws {
        let continuesLast = parts.count == 1 && request.streams.last?.0 == parts[0].0
        let touchesRequest = parts.contains { indexOfStream[$0.0] != nil }
        if (touchesRequest && !continuesLast) || releasing.contains(where: { reservedInRequest.contains($0.key) }) {
            try await closeRequest()
        }
        for (stream, events) in parts where !events.isEmpty {
            if let index = indexOfStream[stream] {
                request.streams[index].1 += events
            } else {
                indexOfStream[stream] = request.streams.count
                request.streams.append((stream, events))
            }
            queuedEvents += events.count
        }
        request.reservations += reserving
        request.releases += releasing
        reservedInRequest.formUnion(reserving.map(\.key))
    }

    /// Appends everything queued, and waits until it is in.
    func flush() async throws {
        try await closeRequest()
        try await submit()
        try await awaitInFlight()
    }

    private func closeRequest() async throws {
        guard !request.streams.isEmpty else { return }
        closed.append(request)
        request = Request()
        indexOfStream.removeAll(keepingCapacity: true)
        reservedInRequest.removeAll(keepingCapacity: true)
        if queuedEvents >= eventsPerSubmission { try await submit() }
    }

    /// Hands the closed requests to the log and goes on deciding while they are encoded and
    /// written; the submission before must be in first, so the order holds.
    private func submit() async throws {
        try await awaitInFlight()
        guard !closed.isEmpty else { return }
        let (log, requests) = (self.log, closed)
        inFlight = Task {
            let catalogue = EventCatalogue.crm
            return try await log.append(contentsOf: try requests.map { try $0.encoded(by: catalogue) })
        }
        appends += closed.count
        closed.removeAll(keepingCapacity: true)
        queuedEvents = 0
    }

    private func awaitInFlight() async throws {
        guard let submission = inFlight else { return }
        inFlight = nil
        for result in try await submission.value {
            appended += try result.get().positions.count
        }
    }
}
