import AsyncAlgorithms
import CoreMetrics
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import LogArchive
import Logging
import ServiceLifecycle

/// The log over HTTP: read it from a position, read one stream, and subscribe with
/// Server-Sent Events. Events are CloudEvents JSON (see ``CloudEventJSON``).
struct EventRoutes {
    let log: LMDBEventLog
    let groups: ConsumerGroups
    let metrics: ServerMetrics
    let heartbeat: Duration
    /// The one reader of new events that live subscribers share.
    let feed: LiveEventFeed
    let maxPage: Int
    /// How far back a command may be dated without the permission to: what the audit of
    /// back-dated commands lists by default.
    let backdatingWindow: Duration
    /// The frames subscribers share.
    let frames = EventFrames()

    func add(to router: some RouterMethods<RapportRequestContext>) {
        router.get("v1/events", use: readLog)
        router.get("v1/streams/:stream", use: readStream)
        router.get("v1/subscribe", use: subscribe)
        router.get("v1/audit/backdated", use: backdated)
    }

    /// `GET /v1/audit/backdated?from=&minimumSeconds=&actor=&limit=`: the appends dated at least
    /// `minimumSeconds` (by default the back-dating window) before the log recorded them, who
    /// made them and how far back, in position order; `next` continues the scan, which reads a
    /// bounded part of the log per request.
    @Sendable func backdated(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        let query = QueryParameters(request)
        let from = try query.integer("from", in: 1...QueryParameters.maxPosition, default: 1)
        let windowSeconds = backdatingWindow.components.seconds
        let minimumSeconds = try query.integer("minimumSeconds", in: 0...9_000_000_000, default: max(0, windowSeconds))
        let limit = try query.integer("limit", in: 1...maxPage, default: 100)
        let actor = try query.optional("actor", as: String.self)
        let page = try await log.backdatedAppends(
            from: from,
            minimumLag: .seconds(minimumSeconds),
            actor: actor,
            limit: limit
        )
        return try .encoded(BackdatedPage(page))
    }

    /// `GET /v1/events?from=&limit=&category=&type=`: a page of the log in position order, and
    /// the position to ask for next.
    @Sendable func readLog(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        let query = QueryParameters(request)
        let from = try query.integer("from", in: 1...QueryParameters.maxPosition, default: 1)
        let limit = try query.integer("limit", in: 1...maxPage, default: 100)
        let filter = eventFilter(query)
        // The head first: the scan's snapshot is at least as new, and stopping at this head
        // makes `next` exact even when the page ends short.
        let head = try log.head().position
        var events: [RecordedEvent] = []
        try log.scan(from: from, filter: filter) { record in
            guard record.position <= head else { return false }
            events.append(record.decode())
            return events.count < limit
        }
        let next = events.count == limit ? events[limit - 1].position + 1 : max(from, head + 1)
        return page(events, next: next, head: head)
    }

    /// `GET /v1/streams/{stream}?from=&limit=&direction=forward|backward`: one stream's events.
    @Sendable func readStream(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        let name = try context.parameters.require("stream")
        let stream: StreamName
        do {
            stream = try StreamName(name)
        } catch {
            throw APIError(error)
        }
        let query = QueryParameters(request)
        let direction: ReadDirection
        switch query.list("direction").first ?? "forward" {
        case "forward": direction = .forward
        case "backward": direction = .backward
        case let other:
            throw APIError.badRequest(
                .invalidQueryParameter,
                "direction is \"\(other)\"; use forward or backward",
                parameter: "direction"
            )
        }
        let from = try query.integer(
            "from",
            in: 0...QueryParameters.maxPosition,
            default: direction == .forward ? 0 : QueryParameters.maxPosition
        )
        let limit = try query.integer("limit", in: 1...maxPage, default: 100)
        let events = try log.readStream(stream, from: from, direction: direction, limit: limit)
        if events.isEmpty, try log.readStream(stream, limit: 1).isEmpty {
            throw APIError(
                .notFound,
                .streamNotFound,
                "stream \(stream) has no events",
                facts: ["stream": stream.rawValue]
            )
        }
        // The version to ask for next; none once a backward read has reached version 0.
        let next = events.last.flatMap { last in
            direction == .forward ? last.streamVersion + 1 : (last.streamVersion == 0 ? nil : last.streamVersion - 1)
        }
        return page(events, next: next, head: try log.head().position)
    }

    /// `GET /v1/subscribe?from=&consumer=&category=&type=`: Server-Sent Events, catching up
    /// from `from` (or after the `Last-Event-ID` a reconnecting client sends, or after the
    /// position its consumer group acknowledged) and then following new commits. Each event's SSE id is its log position, so a client that reconnects with the
    /// last id it saw misses nothing and sees nothing twice. A comment line every heartbeat
    /// keeps idle connections open through proxies.
    @Sendable func subscribe(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        let query = QueryParameters(request)
        let start: SubscriptionStart
        if let lastID = request.headers[.lastEventID] {
            guard let position = UInt64(lastID.trimmingCharacters(in: .whitespaces)),
                position <= QueryParameters.maxPosition
            else {
                throw APIError.badRequest(
                    .invalidLastEventId,
                    "Last-Event-ID is \"\(lastID)\", not a log position",
                    parameter: "Last-Event-ID"
                )
            }
            start = .after(position)
        } else if let consumer = query.list("consumer").first {
            start = .after(try groups.position(of: consumer))
        } else if let from = try query.position("from") {
            start = .position(from)
        } else {
            start = .now
        }
        let filter = eventFilter(query)
        // Following the feed before fixing the first position: whatever the feed publishes
        // after this point reaches the subscriber, and what came before is read from the log.
        let (published, live) = feed.follow()
        let first = SubscriberCursor(
            log: log,
            filter: filter,
            first: try log.subscribe(from: start, filter: filter).startPosition
        )
        let heartbeat = self.heartbeat
        let metrics = self.metrics
        // A graceful shutdown ends the stream at once, between two frames, so the server can
        // stop without waiting for the next event or heartbeat.
        let (shutdown, endStream) = AsyncStream<ServerSentEvent>.makeStream()
        let frames = self.frames
        let stream = merge(
            live.map { ServerSentEvent.events($0) },
            AsyncTimerSequence(interval: heartbeat, clock: .continuous).map { _ in ServerSentEvent.heartbeat },
            shutdown
        )
        let logger = context.logger
        let body = ResponseBody { writer in
            metrics.subscribers(+1)
            logger.info(
                "subscription opened",
                metadata: [
                    "start": "\(start)", "categories": "\(filter.categories?.sorted() ?? [])",
                    "types": "\(filter.types?.sorted() ?? [])",
                ]
            )
            var delivered = 0
            defer {
                metrics.subscribers(-1)
                logger.info("subscription closed", metadata: ["delivered": "\(delivered)"])
            }
            let deliveryLag = metrics.subscriberDeliveryLag()
            func send(_ events: [RecordedEvent]) async throws {
                guard !events.isEmpty else { return }
                try await writer.write(ByteBuffer(bytes: frames.frames(of: events)))
                delivered += events.count
                let now = Timestamp.now().nanosecondsSinceEpoch
                for event in events { deliveryLag.recordNanoseconds(now - event.recordedAt.nanosecondsSinceEpoch) }
            }
            var cursor = first
            try await withGracefulShutdownHandler {
                try await writer.write(ByteBuffer(string: ": subscribed\n\n"))
                while let events = try cursor.catchUp(through: published) { try await send(events) }
                for try await item in stream {
                    switch item {
                    case .events(let batch):
                        while let gap = try cursor.gap(before: batch) { try await send(gap) }
                        try await send(cursor.events(of: batch))
                    case .heartbeat:
                        try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                    case .end:
                        return
                    }
                }
            } onGracefulShutdown: {
                endStream.yield(.end)
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", .accelBuffering: "no"],
            body: body
        )
    }

    private func eventFilter(_ query: QueryParameters) -> EventFilter {
        let categories = query.list("category")
        let types = query.list("type")
        return EventFilter(
            categories: categories.isEmpty ? nil : Set(categories),
            types: types.isEmpty ? nil : Set(types)
        )
    }

    private func page(_ events: [RecordedEvent], next: UInt64?, head: UInt64) -> Response {
        var bytes = Array(#"{"events":["#.utf8)
        for (index, event) in events.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            CloudEventJSON.render(event, into: &bytes)
        }
        bytes.append(contentsOf: #"],"head":\#(head)"#.utf8)
        if let next { bytes.append(contentsOf: #","next":\#(next)"#.utf8) }
        bytes.append(UInt8(ascii: "}"))
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}

/// The answer of `GET /v1/audit/backdated`.
private struct BackdatedPage: Encodable {
    struct Append: Encodable {
        var firstPosition: UInt64
        var lastPosition: UInt64
        var actor: String
        var stream: String
        var types: [String]
        var occurredAt: String
        var recordedAt: String
        /// Whole seconds between the business time and the recording.
        var backdatedSeconds: Int64
    }

    var appends: [Append]
    var next: UInt64?

    init(_ page: BackdatedAppendsPage) {
        appends = page.appends.map { append in
            Append(
                firstPosition: append.positions.lowerBound,
                lastPosition: append.positions.upperBound,
                actor: append.actor,
                stream: append.stream.rawValue,
                types: append.types,
                occurredAt: append.occurredAt.description,
                recordedAt: append.recordedAt.description,
                backdatedSeconds: append.backdatedNanoseconds / 1_000_000_000
            )
        }
        next = page.next
    }
}

/// What an event stream does next.
enum ServerSentEvent: Sendable {
    /// Send the wanted events of a batch the feed published.
    case events([RecordedEvent])
    /// Send a comment line, so that proxies keep an idle connection open.
    case heartbeat
    /// The server is shutting down: the stream ends here.
    case end
}

extension HTTPField.Name {
    /// The id of the last event a reconnecting Server-Sent Events client saw.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    /// Tells nginx not to buffer an event stream.
    static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!
}

extension Response {
    /// A Codable answer as JSON with sorted keys.
    static func encoded(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }
}
