import OpenAPIRuntime
import RapportAPI

/// The server's own state: for load balancers and Prometheus.
extension APIHandler {
    /// 200 with the head and how far the read models trail it while the log is open, 503
    /// once it is closing.
    func health(_ input: Operations.Health.Input) async throws -> Operations.Health.Output {
        let status = try await health.status()
        return .ok(
            .init(
                body: .json(
                    .init(
                        status: .ok,
                        // A log holds fewer than 2^63 events, so clamping never changes them.
                        headPosition: Int(clamping: status.headPosition),
                        readModelsBehind: Int(clamping: status.readModelsBehind)
                    )
                )
            )
        )
    }

    /// The Prometheus text format, read at the time of the scrape.
    func metrics(_ input: Operations.Metrics.Input) async throws -> Operations.Metrics.Output {
        .ok(.init(body: .plainText(HTTPBody(try await health.exposition()))))
    }
}
