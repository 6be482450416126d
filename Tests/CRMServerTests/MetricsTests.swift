import EventStore
import Foundation
import OpenAPIRuntime
import RapportAPI
import RapportTestSupport
import Testing

/// What `/metrics` tells an operator about the log and its subscribers, checked against what
/// the test did.
@Suite("Log and subscriber metrics")
struct MetricsTests {
    /// The value of the sample `name` (with its labels, if any) in a Prometheus exposition.
    private func sample(_ name: String, in exposition: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap {
            Double($0.split(separator: " ").last ?? "")
        }
    }

    @Test("appends, events and refusals are counted; each commit's batch size and commit time recorded")
    func appendMetrics() async throws {
        let server = try await RunningServer.start("metrics-appends")
        try await server.log.append(to: stream("lead-1"), expecting: .noStream, [testEvent(), testEvent()])
        try await server.log.append(to: stream("lead-2"), expecting: .noStream, [testEvent()])
        await #expect(throws: EventStoreError.self) {
            try await server.log.append(to: stream("lead-1"), expecting: .noStream, [testEvent()])
        }
        let metrics = try await exposition(server)
        #expect(sample("rapport_log_appends_total", in: metrics) == 2, "\(metrics)")
        #expect(sample("rapport_log_events_total", in: metrics) == 3)
        #expect(sample("rapport_log_append_refusals_total", in: metrics) == 1)
        // One commit per append here (they were made one after the other), each of one append.
        let commits = try #require(sample("rapport_log_commit_duration_seconds_count", in: metrics))
        #expect(commits == 3)
        #expect(sample("rapport_log_batch_appends_count", in: metrics) == commits)
        #expect(sample("rapport_log_batch_appends_sum", in: metrics) == 3)
        #expect(sample(#"rapport_log_batch_appends_bucket{le="1.0"}"#, in: metrics) == 3)
        #expect(try #require(sample("rapport_log_commit_duration_seconds_sum", in: metrics)) > 0)
        #expect(sample("rapport_log_apply_duration_seconds_count", in: metrics) == commits)
        try await server.stop()
    }

    @Test("a live subscriber is counted, and the delay of each event delivered to it recorded")
    func subscriberMetrics() async throws {
        let server = try await RunningServer.start("metrics-subscribers")
        let reader = try await EventStreamReader(server, "/v1/subscribe?from=1")
        try await server.log.append(to: stream("lead-1"), [testEvent(), testEvent()])
        for _ in 0..<2 { _ = try #require(try await reader.next()) }
        let metrics = try await exposition(server)
        #expect(sample("rapport_subscribers", in: metrics) == 1, "\(metrics)")
        #expect(sample("rapport_subscriber_delivery_lag_seconds_count", in: metrics) == 2)
        // Measured from each event's commit, so never negative; how long is a benchmark's matter.
        #expect(try #require(sample("rapport_subscriber_delivery_lag_seconds_sum", in: metrics)) > 0)
        try await server.stop()
    }

    /// The Prometheus text, through the client generated from the spec.
    private func exposition(_ server: RunningServer) async throws -> String {
        let answer = try await server.client(token: try server.operatorToken()).metrics()
        return try await String(collecting: try answer.ok.body.plainText, upTo: 1 << 20)
    }
}
