import EventStore
import Foundation

/// Appends the generated history in the order it was decided, at the speed of large appends.
///
/// Each decision joins the request being built unless it touches a stream already in it
/// (other than by continuing the last one written), or releases a dedup key the request
/// reserves: then the request is closed and a new one begun, since a request holds each
/// stream once and applies its releases before its reservations. Closed requests are queued
/// together with ``EventLog/append(contentsOf:)``, which keeps their order and lets the log
/// commit thousands of events at a time.
final class WorkloadWriter<Log: EventLog> {
    let log: Log
    /// Events queued before the requests go to the log.
    let eventsPerSubmission: Int
    private var streams: [StreamAppend] = []
    private var indexOfStream: [StreamName: Int] = [:]
    private var reservations: [(key: UniqueKey, owner: StreamName)] = []
    private var releases: [(key: UniqueKey, owner: StreamName)] = []
    private var reservedInRequest: Set<UniqueKey> = []
    private var closed: [AppendRequest] = []
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
        _ parts: [(StreamName, [EventData])],
        reserving: [(key: UniqueKey, owner: StreamName)] = [],
        releasing: [(key: UniqueKey, owner: StreamName)] = []
    ) async throws {
        let continuesLast = parts.count == 1 && streams.last?.stream == parts[0].0
        let touchesRequest = parts.contains { indexOfStream[$0.0] != nil }
        if (touchesRequest && !continuesLast) || releasing.contains(where: { reservedInRequest.contains($0.key) }) {
            try await closeRequest()
        }
        for (stream, events) in parts where !events.isEmpty {
            if let index = indexOfStream[stream] {
                streams[index].events += events
            } else {
                indexOfStream[stream] = streams.count
                streams.append(StreamAppend(stream: stream, expectedVersion: .any, events: events))
            }
            queuedEvents += events.count
        }
        reservations += reserving
        releases += releasing
        reservedInRequest.formUnion(reserving.map(\.key))
    }

    /// Appends everything queued, and waits until it is in.
    func flush() async throws {
        try await closeRequest()
        try await submit()
        try await awaitInFlight()
    }

    private func closeRequest() async throws {
        guard !streams.isEmpty else { return }
        closed.append(AppendRequest(streams, reserving: reservations, releasing: releases))
        streams.removeAll(keepingCapacity: true)
        indexOfStream.removeAll(keepingCapacity: true)
        reservations.removeAll(keepingCapacity: true)
        releases.removeAll(keepingCapacity: true)
        reservedInRequest.removeAll(keepingCapacity: true)
        if queuedEvents >= eventsPerSubmission { try await submit() }
    }

    /// Hands the closed requests to the log and goes on deciding while it writes them; the
    /// submission before must be in first, so the order holds.
    private func submit() async throws {
        try await awaitInFlight()
        guard !closed.isEmpty else { return }
        let (log, requests) = (self.log, closed)
        inFlight = Task { try await log.append(contentsOf: requests) }
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
