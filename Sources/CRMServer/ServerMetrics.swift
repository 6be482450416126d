import CoreMetrics
import EventStore
import Hummingbird
import Metrics
import Prometheus
import Synchronization

/// The server's metrics, kept in its own Prometheus registry and served at `/metrics`.
///
/// The metrics are made through swift-metrics with this registry's factory passed explicitly,
/// not through the process-wide bootstrap, so several servers (tests start many) each count
/// only their own.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    private let subscriberCount = Atomic<Int>(0)

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(20),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        // Batch sizes of a group commit, in appends: one under no load, hundreds under heavy load.
        factory.valueHistogramBuckets["rapport_log_batch_appends"] = [
            1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1_024, 4_096,
        ]
        // Delivery lag, finer around the 50 ms that live subscribers are promised.
        factory.durationHistogramBuckets["rapport_subscriber_delivery_lag_seconds"] = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
            .milliseconds(30),
            .milliseconds(50), .milliseconds(75), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(10),
        ]
        self.factory = factory
    }

    /// Records every commit of `log`: appends, events and refusals counted; batch sizes, the
    /// time to apply a batch and the time of its commit (page writes and fsync) as histograms.
    func observe(_ log: LMDBEventLog) {
        let appends = Counter(label: "rapport_log_appends_total", factory: factory)
        let events = Counter(label: "rapport_log_events_total", factory: factory)
        let refusals = Counter(label: "rapport_log_append_refusals_total", factory: factory)
        let batchSize = Recorder(label: "rapport_log_batch_appends", factory: factory)
        let apply = Timer(label: "rapport_log_apply_duration_seconds", factory: factory)
        let commit = Timer(label: "rapport_log_commit_duration_seconds", factory: factory)
        log.observeCommits { report in
            appends.increment(by: report.appends)
            events.increment(by: report.events)
            if report.refusals > 0 { refusals.increment(by: report.refusals) }
            batchSize.record(report.appends + report.refusals)
            apply.record(duration: report.applyDuration)
            commit.record(duration: report.commitDuration)
        }
    }

    /// The time from an event's commit to its frame being written to a subscriber: for
    /// subscribers following live, the delivery lag; for one catching up, how far behind it is.
    func subscriberDeliveryLag() -> Timer {
        Timer(label: "rapport_subscriber_delivery_lag_seconds", factory: factory)
    }

    /// Counts a request and records how long it took to answer.
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        Counter(label: "rapport_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Timer(
            label: "rapport_http_request_duration_seconds",
            dimensions: [("method", method), ("route", route)],
            factory: factory
        )
        .record(duration: duration)
    }

    /// A subscriber connected (+1) or left (-1).
    func subscribers(_ change: Int) {
        let count = subscriberCount.add(change, ordering: .relaxed).newValue
        Gauge(label: "rapport_subscribers", factory: factory).record(count)
    }

    /// Sets a gauge to `value`.
    func gauge(_ label: String, _ value: Int, dimensions: [(String, String)] = []) {
        Gauge(label: label, dimensions: dimensions, factory: factory).record(value)
    }

    /// The registry in the Prometheus text format.
    func exposition() -> [UInt8] {
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return bytes
    }
}

/// Counts every request and its latency by method, route pattern and status.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let method = request.method.rawValue
        do {
            let response = try await next(request, context)
            metrics.recordRequest(
                method: method,
                route: context.endpointPath ?? "unmatched",
                status: response.status.code,
                duration: .now - start
            )
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.recordRequest(
                method: method,
                route: context.endpointPath ?? "unmatched",
                status: status,
                duration: .now - start
            )
            throw error
        }
    }
}
