import CRMReadModels
import EventStore
import Foundation
import Hummingbird
import Logging
import Projections

/// The server's health for load balancers and its metrics for Prometheus: `GET /health` and
/// `GET /metrics` (with an admin's or auditor's token, or on the separate loopback listener of
/// ``metricsApplication(port:logger:onRunning:)``).
struct ServerHealth {
    let log: LMDBEventLog
    let runner: CRMProjectionRunner
    let metrics: ServerMetrics

    /// The log's head and how far the read models trail it, while the log is open.
    ///
    /// - Throws: 503 `shutting_down` once the log is closing.
    func status() async throws -> (headPosition: UInt64, readModelsBehind: UInt64) {
        guard !log.isClosed else {
            throw APIError(.serviceUnavailable, .shuttingDown, "the server is shutting down")
        }
        let head = try log.head().position
        return (head, try await runner.lag().map(\.eventsBehind).max() ?? 0)
    }

    /// The Prometheus text, with the log's head and each read model's lag read now.
    func exposition() async throws -> [UInt8] {
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
        return metrics.exposition()
    }
}

extension ServerHealth {
    /// A second HTTP listener on 127.0.0.1:`port` answering only `GET /metrics`, without a
    /// token: for a Prometheus scraper on the same machine, so no token has to sit in its
    /// configuration. Only the loopback interface hears it.
    func metricsApplication(
        port: Int,
        logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: try await exposition()))
            )
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "rapport-metrics"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
