import AsyncHTTPClient
import CRMServer
import CRMTestSupport
import EventStore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Projections
import RapportTestSupport
import ServiceLifecycle
import Testing

/// A Rapport server on a free port of 127.0.0.1, over a log in a temporary directory, run the
/// way `rapport serve` runs it: one service group, stopped by a graceful shutdown.
final class RunningServer: Sendable {
    let directory: TemporaryDirectory
    let log: LMDBEventLog
    let tokens: TokenStore
    /// A subscriber service's token, which requests carry unless told otherwise.
    let token: String
    let port: Int
    /// The loopback metrics listener's port, when the server was started with one.
    let metricsPort: Int?
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The business time the servers of the tests start at (2026-11-20T12:00:00Z), whatever
    /// the real date: the suite holds on any day.
    static let businessStart = Date(timeIntervalSince1970: 1_795_176_000)
    /// A clock that stays at ``businessStart``, for the commands a test sends to a log directly.
    static let businessClock = TestClock(businessStart)

    private init(
        directory: TemporaryDirectory,
        log: LMDBEventLog,
        tokens: TokenStore,
        token: String,
        port: Int,
        metricsPort: Int?,
        group: ServiceGroup,
        running: Task<Void, any Error>
    ) {
        self.metricsPort = metricsPort
        self.directory = directory
        self.log = log
        self.tokens = tokens
        self.token = token
        self.port = port
        self.group = group
        self.running = running
    }

    /// Starts a server over a new log that `fill` may append to first.
    ///
    /// - Parameters:
    ///   - metricsListener: also serve `/metrics` on a loopback port of its own.
    ///   - now: the token store's clock.
    static func start(
        _ name: String,
        heartbeat: Duration = .seconds(15),
        clock: TestClock = TestClock(RunningServer.businessStart),
        metricsListener: Bool = false,
        fill: (LMDBEventLog) async throws -> Void = { _ in },
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> RunningServer {
        let directory = TemporaryDirectory(name)
        var options = LMDBEventLog.Options()
        options.durability = .relaxed
        options.initialMapSize = 64 << 20
        let log = try LMDBEventLog(directory: directory.path, options: options)
        try await fill(log)
        let store = try ReadModelStore(directory: directory.appending("read-models"))
        let tokens = try TokenStore(directory: directory.appending("access"), now: now)
        let token = try tokens.create(for: .service(name: "tests", role: .subscriber), name: "tests").token
        let idempotency = try IdempotencyStore(directory: directory.appending("idempotency"))
        var configuration = RapportServer.Configuration()
        configuration.port = 0
        configuration.heartbeatInterval = heartbeat
        configuration.clock = clock
        if metricsListener { configuration.metricsPort = 0 }
        var logger = Logger(label: "rapport.server.test")
        logger.logLevel = .warning
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let (metricsPorts, announceMetrics) = AsyncStream<Int>.makeStream()
        let application = try RapportServer.application(
            log: log,
            readModels: store,
            tokens: tokens,
            idempotency: idempotency,
            configuration: configuration,
            logger: logger,
            onMetricsServerRunning: { announceMetrics.yield($0) }
        ) {
            announce.yield($0)
        }
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let running = Task {
            defer {
                store.close()
                tokens.close()
                idempotency.close()
            }
            try await group.run()
        }
        guard let port = await ports.first(where: { _ in true }) else { throw CancellationError() }
        var metricsPort: Int?
        if metricsListener {
            guard let bound = await metricsPorts.first(where: { _ in true }) else { throw CancellationError() }
            metricsPort = bound
        }
        return RunningServer(
            directory: directory,
            log: log,
            tokens: tokens,
            token: token,
            port: port,
            metricsPort: metricsPort,
            group: group,
            running: running
        )
    }

    /// Shuts the server down gracefully and waits until it has stopped.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
    }

    /// `GET path` with `headers` and `token` (the subscriber's unless given; `nil` for none);
    /// the whole body.
    func get(
        _ path: String,
        headers: [(String, String)] = [],
        token: String?? = .none
    ) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        var request = HTTPClientRequest(url: baseURL + path)
        if let bearer = token ?? self.token { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), response.headers, String(buffer: body))
    }

    /// A token for the `operators` service (auditor role), which may scrape `/metrics`.
    func operatorToken() throws -> String {
        try tokens.create(for: .service(name: "prometheus", role: .auditor), name: "metrics").token
    }

    /// `GET path` decoded as a JSON object.
    func getJSON(_ path: String, token: String?? = .none) async throws -> (status: Int, json: [String: Any]) {
        let response = try await get(path, token: token)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
            "\(response.body)"
        )
        return (response.status, json)
    }
}

/// A Server-Sent Events connection read frame by frame, as a browser's `EventSource` would.
final class EventStreamReader {
    struct Frame {
        var id: String?
        var event: String?
        var data: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]) ?? [:] }
    }

    let status: Int
    let contentType: String?
    private var body: HTTPClientResponse.Body.AsyncIterator
    private var pending = ""
    /// Comment lines seen (heartbeats and the opening comment).
    private(set) var comments = 0

    init(_ server: RunningServer, _ path: String, lastEventID: String? = nil) async throws {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "Authorization", value: "Bearer \(server.token)")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        status = Int(response.status.code)
        contentType = response.headers.first(name: "content-type")
        body = response.body.makeAsyncIterator()
    }

    /// The next event frame, skipping comments; `nil` when the server ends the stream.
    func next() async throws -> Frame? {
        while true {
            if let end = pending.range(of: "\n\n") {
                let block = String(pending[..<end.lowerBound])
                pending.removeSubrange(..<end.upperBound)
                var frame = Frame(data: "")
                var isComment = true
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix(":") { continue }
                    isComment = false
                    if line.hasPrefix("id: ") { frame.id = String(line.dropFirst(4)) }
                    if line.hasPrefix("event: ") { frame.event = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { frame.data += String(line.dropFirst(6)) }
                }
                if isComment {
                    comments += 1
                    continue
                }
                return frame
            }
            guard let buffer = try await body.next() else { return nil }
            pending += String(buffer: buffer)
        }
    }

    /// Reads until `count` comment lines have come in all; an event frame meanwhile is an error.
    func waitForComments(_ count: Int) async throws {
        while comments < count {
            if let end = pending.range(of: "\n\n") {
                let block = pending[..<end.lowerBound]
                try #require(block.split(separator: "\n").allSatisfy { $0.hasPrefix(":") }, "an event came: \(block)")
                pending.removeSubrange(..<end.upperBound)
                comments += 1
                continue
            }
            guard let buffer = try await body.next() else { return }
            pending += String(buffer: buffer)
        }
    }

    /// The next `count` event frames.
    func next(_ count: Int) async throws -> [Frame] {
        var frames: [Frame] = []
        while frames.count < count, let frame = try await next() { frames.append(frame) }
        return frames
    }
}
