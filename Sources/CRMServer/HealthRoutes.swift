import CRMReadModels
import EventStore
import Foundation
import Hummingbird
import Logging
import Projections

/// `/health` for load balancers and `/metrics` for Prometheus (with an admin's or auditor's
/// token, or on the separate loopback listener of ``metricsApplication(port:logger:onRunning:)``).
struct HealthRoutes {
    let log: LMDBEventLog
    let runner: CRMProjectionRunner
    let metrics: ServerMetrics

    func add(to router: some RouterMethods<RapportRequestContext>) {
        router.get("health", use: health)
        router.get("metrics", use: exposition)
    }

    /// `GET /health`: 200 with the head and how far the read models trail it while the log is
    /// open, 503 once it is closing.
    @Sendable func health(_ request: Request, context: RapportRequestContext) async throws -> Response {
        guard !log.isClosed else {
            throw APIError(.serviceUnavailable, .shuttingDown, "the server is shutting down")
        }
        let head = try log.head().position
        let behind = try await runner.lag().map(\.eventsBehind).max() ?? 0
        let body = #"{"status":"ok","headPosition":\#(head),"readModelsBehind":\#(behind)}"#
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }

    /// `GET /metrics`: the Prometheus text format, with the log's head and each read model's
    /// lag read at the time of the scrape.
    @Sendable func exposition(_ request: Request, context: RapportRequestContext) async throws -> Response {
        try await exposition()
    }

    /// The Prometheus text, read now.
    func exposition() async throws -> Response {
        if !log.isClosed {
            metrics.gauge("rapport_log_head_position", Int(try log.head().position))
            for lag in try await runner.lag() {
                metrics.gauge(
                    "rapport_projection_lag_events",
                    Int(lag.eventsBehind),
                    dimensions: [("read_model", lag.name)]
                )
            }
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
        )
    }
}

extension HealthRoutes {
    /// A second HTTP listener on 127.0.0.1:`port` answering only `GET /metrics`, without a
    /// token: for a Prometheus scraper on the same machine, so no token has to sit in its
    /// configuration. Only the loopback interface hears it.
    func metricsApplication(
        port: Int,
        logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.get("metrics") { _, _ in try await exposition() }
        return Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "rapport-metrics"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
