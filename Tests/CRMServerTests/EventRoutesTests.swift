import EventStore
import Foundation
import NIOHTTP1
import RapportTestSupport
import Testing

/// The log over a real socket: pages of the log, streams, and Server-Sent Events.
@Suite("Events over HTTP")
struct EventRoutesTests {
    /// 30 events: leads 0-4 get `lead.Noted`, customers 0-2 get `customer.FollowedUp`.
    private static func fill(_ log: LMDBEventLog) async throws {
        for index in 0..<30 {
            if index % 3 == 0 {
                try await log.append(
                    to: stream("customer-\(index % 9 / 3)"),
                    [testEvent("customer.FollowedUp", payload: #"{"n":\#(index)}"#)]
                )
            } else {
                try await log.append(
                    to: stream("lead-\(index % 5)"),
                    [testEvent("lead.Noted", payload: #"{"n":\#(index)}"#)]
                )
            }
        }
    }

    @Test("the log reads in pages of CloudEvents, and `next` continues where a page ended")
    func pages() async throws {
        let server = try await RunningServer.start("events-pages", fill: Self.fill)
        let first = try await server.getJSON("/v1/events?from=1&limit=12")
        #expect(first.status == 200)
        let events = try #require(first.json["events"] as? [[String: Any]])
        #expect(events.map { $0["position"] as? Int } == Array(1...12))
        #expect(first.json["next"] as? Int == 13)
        #expect(first.json["head"] as? Int == 30)
        let event = events[0]
        #expect(event["specversion"] as? String == "1.0")
        #expect(event["type"] as? String == "customer.FollowedUp")
        #expect(event["subject"] as? String == "customer-0")
        #expect(event["source"] as? String == "/rapport/streams/customer-0")
        #expect((event["id"] as? String).flatMap(UUID.init(uuidString:)) != nil)
        #expect(event["time"] as? String != nil)
        // The payload is not a CRM event, so it travels as base64, byte for byte.
        #expect(event["data_base64"] as? String == Data(#"{"n":0}"#.utf8).base64EncodedString())

        let rest = try await server.getJSON("/v1/events?from=13&limit=100")
        #expect((rest.json["events"] as? [[String: Any]])?.map { $0["position"] as? Int } == Array(13...30))
        #expect(rest.json["next"] as? Int == 31)

        let customers = try await server.getJSON("/v1/events?category=customer&limit=4")
        #expect((customers.json["events"] as? [[String: Any]])?.map { $0["position"] as? Int } == [1, 4, 7, 10])
        #expect(customers.json["next"] as? Int == 11)
        let noted = try await server.getJSON("/v1/events?type=lead.Noted&from=25")
        #expect((noted.json["events"] as? [[String: Any]])?.map { $0["position"] as? Int } == [26, 27, 29, 30])
        try await server.stop()
    }

    @Test("a stream reads forward and backward, and a missing or malformed one says so")
    func streams() async throws {
        let server = try await RunningServer.start("events-streams", fill: Self.fill)
        let forward = try await server.getJSON("/v1/streams/lead-1")
        // lead-1 got the events at indexes 1, 11, 16 and 26, positions 2, 12, 17 and 27.
        #expect((forward.json["events"] as? [[String: Any]])?.map { $0["streamversion"] as? Int } == [0, 1, 2, 3])
        #expect((forward.json["events"] as? [[String: Any]])?.map { $0["position"] as? Int } == [2, 12, 17, 27])
        let backward = try await server.getJSON("/v1/streams/lead-1?direction=backward&limit=2")
        #expect((backward.json["events"] as? [[String: Any]])?.map { $0["streamversion"] as? Int } == [3, 2])
        #expect(backward.json["next"] as? Int == 1)

        let missing = try await server.getJSON("/v1/streams/lead-404")
        #expect(missing.status == 404)
        #expect((missing.json["error"] as? [String: Any])?["code"] as? String == "stream_not_found")
        let malformed = try await server.getJSON("/v1/streams/no%20category")
        #expect(malformed.status == 400)
        #expect((malformed.json["error"] as? [String: Any])?["code"] as? String == "invalid_stream_name")
        try await server.stop()
    }

    @Test(
        "malformed query parameters are refused with the parameter named",
        arguments: [
            "/v1/events?from=abc", "/v1/events?from=0", "/v1/events?limit=100000", "/v1/events?limit=-1",
            "/v1/streams/lead-1?direction=sideways", "/v1/subscribe?from=x",
            // Positions and versions are bounded at Int64.max, as the spec states them.
            "/v1/events?from=9223372036854775808", "/v1/streams/lead-1?from=18446744073709551615",
            "/v1/subscribe?from=9223372036854775808",
        ]
    )
    func malformedQueries(path: String) async throws {
        let server = try await RunningServer.start("events-malformed", fill: Self.fill)
        let response = try await server.getJSON(path)
        #expect(response.status == 400)
        let error = try #require(response.json["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_query_parameter")
        #expect((error["facts"] as? [String: String])?["parameter"] != nil)
        #expect((error["message"] as? String)?.isEmpty == false)
        try await server.stop()
    }

    @Test("the last position a request may name is Int64.max: a page past the head, empty")
    func largestPosition() async throws {
        let server = try await RunningServer.start("events-largest", fill: Self.fill)
        let page = try await server.getJSON("/v1/events?from=9223372036854775807")
        #expect(page.status == 200)
        #expect((page.json["events"] as? [Any])?.isEmpty == true)
        try await server.stop()
    }

    @Test("an unknown route is a JSON 404")
    func unknownRoute() async throws {
        let server = try await RunningServer.start("events-unknown")
        let response = try await server.getJSON("/v1/nothing-here")
        #expect(response.status == 404)
        #expect((response.json["error"] as? [String: Any])?["code"] as? String == "route_not_found")
        try await server.stop()
    }
}

/// Subscriptions: catch-up then live, resumed after a dropped connection with no gap and no
/// duplicate.
@Suite("Subscriptions over Server-Sent Events")
struct SubscriptionRouteTests {
    @Test("a subscriber catches up from a position, then receives live appends, ids being positions")
    func catchUpThenLive() async throws {
        let server = try await RunningServer.start("sse-live") { log in
            for index in 0..<10 { try await log.append(to: stream("lead-\(index)"), [testEvent("lead.Noted")]) }
        }
        let reader = try await EventStreamReader(server, "/v1/subscribe?from=4")
        #expect(reader.status == 200)
        #expect(reader.contentType == "text/event-stream")
        let caughtUp = try await reader.next(7)
        #expect(caughtUp.map(\.id) == (4...10).map { "\($0)" })
        #expect(caughtUp.allSatisfy { $0.event == "lead.Noted" })
        #expect(caughtUp.map { $0.json["position"] as? Int } == Array(4...10))

        for index in 0..<5 {
            try await server.log.append(to: stream("customer-\(index)"), [testEvent("customer.FollowedUp")])
        }
        let live = try await reader.next(5)
        #expect(live.map(\.id) == (11...15).map { "\($0)" })
        #expect(live.map { $0.json["subject"] as? String } == (0..<5).map { "customer-\($0)" })
        try await server.stop()
    }

    @Test("a dropped subscriber resumes with Last-Event-ID: no gap, no duplicate, filters kept")
    func resumeAfterDrop() async throws {
        let server = try await RunningServer.start("sse-resume") { log in
            for index in 0..<40 {
                let name = index % 2 == 0 ? "customer-\(index % 7)" : "lead-\(index % 5)"
                try await log.append(
                    to: stream(name),
                    [testEvent(index % 2 == 0 ? "customer.FollowedUp" : "lead.Noted")]
                )
            }
        }
        let expected = (1...40).filter { $0 % 2 == 1 }.map { "\($0)" }  // positions of customer events
        var reader: EventStreamReader? = try await EventStreamReader(server, "/v1/subscribe?from=1&category=customer")
        let before = try await reader!.next(8)
        #expect(before.map(\.id) == Array(expected.prefix(8)))
        reader = nil  // the connection drops

        // Events keep arriving while the subscriber is away.
        for index in 40..<50 {
            try await server.log.append(to: stream("customer-\(index % 7)"), [testEvent("customer.FollowedUp")])
        }
        let resumed = try await EventStreamReader(
            server,
            "/v1/subscribe?category=customer",
            lastEventID: before.last!.id
        )
        let after = try await resumed.next(expected.count - 8 + 10)
        #expect(after.map(\.id) == Array(expected.dropFirst(8)) + (41...50).map { "\($0)" })
        try await server.stop()
    }

    @Test("an idle subscription gets heartbeats, and a graceful shutdown ends it cleanly")
    func heartbeatsAndShutdown() async throws {
        let server = try await RunningServer.start("sse-heartbeat", heartbeat: .milliseconds(50))
        let reader = try await EventStreamReader(server, "/v1/subscribe")
        try await server.log.append(to: stream("lead-1"), [testEvent("lead.Noted")])
        let frame = try #require(try await reader.next())
        #expect(frame.id == "1")
        // The opening comment and two heartbeats, with no event between them.
        try await reader.waitForComments(3)
        try await server.log.append(to: stream("lead-1"), [testEvent("lead.Noted")])
        #expect(try await reader.next()?.id == "2")

        try await server.stop()
        #expect(try await reader.next() == nil, "the stream ends when the server shuts down")
        #expect(server.log.isClosed)
    }

    @Test("a malformed Last-Event-ID is refused")
    func malformedLastEventID() async throws {
        let server = try await RunningServer.start("sse-bad-id")
        let response = try await server.get("/v1/subscribe", headers: [("Last-Event-ID", "yesterday")])
        #expect(response.status == 400)
        #expect(response.body.contains("invalid_last_event_id"))
        try await server.stop()
    }
}

@Suite("Health and metrics")
struct HealthRoutesTests {
    @Test("health reports the head, and metrics count requests in the Prometheus format")
    func healthAndMetrics() async throws {
        let server = try await RunningServer.start("health") { log in
            try await log.append(to: stream("lead-1"), [testEvent(), testEvent()])
        }
        let health = try await server.getJSON("/health")
        #expect(health.status == 200)
        #expect(health.json["status"] as? String == "ok")
        #expect(health.json["headPosition"] as? Int == 2)
        _ = try await server.get("/v1/events")
        _ = try await server.get("/v1/events?from=zero")
        let metrics = try await server.get("/metrics", token: try server.operatorToken())
        #expect(metrics.status == 200)
        #expect(metrics.headers.first(name: "content-type")?.hasPrefix("text/plain") == true)
        #expect(
            metrics.body.contains(#"rapport_http_requests_total{method="GET",route="/v1/events",status="200"} 1"#),
            "\(metrics.body)"
        )
        #expect(metrics.body.contains(#"rapport_http_requests_total{method="GET",route="/v1/events",status="400"} 1"#))
        #expect(metrics.body.contains("rapport_log_head_position 2"))
        #expect(metrics.body.contains("rapport_http_request_duration_seconds_bucket"))
        #expect(metrics.body.contains(#"rapport_projection_lag_events{read_model="customer360"}"#))
        try await server.stop()
    }
}
