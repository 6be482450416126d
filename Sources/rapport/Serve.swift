import ArgumentParser
import CRMDomain
import CRMServer
import CRMWorkload
import EventStore
import Foundation
import Hummingbird
import Logging
import Projections

extension Rapport {
    /// Runs the HTTP service on the embedded log.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Serve the HTTP API on the log: events, live subscriptions, read models; follows the log and sweeps the pool.",
            discussion: """
                On first start, when the data directory holds no log, it is filled with the demo \
                history (as `rapport demo` makes it) so there is data to look at; --no-demo starts \
                with an empty log instead. The read models are brought up to date and then follow \
                the log; the public-pool sweep runs every --sweep-interval seconds. SIGTERM or \
                SIGINT stops it gracefully: requests in flight finish, subscriptions end, the log \
                closes. Examples:
                  rapport serve
                  rapport serve --data-dir /var/lib/rapport --host 0.0.0.0 --port 8080 --metrics-port 9464
                  curl -N localhost:8080/v1/subscribe?from=1
                  curl localhost:9464/metrics   # no token on the loopback metrics port
                """
        )

        @OptionGroup var log: LogOptions
        @OptionGroup var readModels: ReadModelOptions

        @Option(help: "The address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "The port to listen on.")
        var port = 8080

        @Option(
            name: .customLong("metrics-port"),
            help:
                "Also serve GET /metrics without a token on 127.0.0.1 at this port (on --port it needs an admin's or auditor's token)."
        )
        var metricsPort: Int?

        @Option(name: .customLong("sweep-interval"), help: "Seconds between public-pool sweeps.")
        var sweepInterval = 3_600

        @Option(
            name: .customLong("backdating-window"),
            help: "Hours back a command's occurredAt may be set by roles other than admin and migration."
        )
        var backdatingWindow = 24

        @Flag(
            name: .customLong("no-demo"),
            help: "On first start, begin with an empty log instead of the demo history."
        )
        var noDemo = false

        @Option(
            name: .customLong("log-format"),
            help: "How log entries are written to standard error: text, or json (one object per line)."
        )
        var logFormat = LogFormat.text

        @Option(
            name: .customLong("log-level"),
            help:
                "The least severe entries logged: trace, debug, info, notice, warning, error or critical (default: $LOG_LEVEL, else info).",
            transform: { name in
                guard let level = Logger.Level(rawValue: name) else {
                    throw ValidationError(
                        "--log-level is \"\(name)\"; use trace, debug, info, notice, warning, error or critical"
                    )
                }
                return level
            }
        )
        var logLevel: Logger.Level?

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
            if let metricsPort {
                guard (1...65_535).contains(metricsPort) else {
                    throw ValidationError("--metrics-port must be 1 to 65535")
                }
                guard metricsPort != port else { throw ValidationError("--metrics-port must differ from --port") }
            }
            guard sweepInterval > 0 else { throw ValidationError("--sweep-interval must be at least 1 second") }
            guard (0...8_760).contains(backdatingWindow) else {
                throw ValidationError("--backdating-window is 0 to 8760 hours (a year)")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let logger = makeLogger()
                let firstStart = !FileManager.default.fileExists(atPath: log.directory + "/data.mdb")
                if firstStart, !noDemo { try await generateDemoHistory() }
                // A server loads streams at random; catching up from far back is the exception.
                var logOptions = LMDBEventLog.Options()
                logOptions.randomReads = true
                let eventLog = try LMDBEventLog(directory: log.directory, options: logOptions)
                let store = try readModels.open(beside: log)
                defer { store.close() }
                let tokens = try TokenStore(directory: log.directory + "/" + TokenStore.directoryName)
                defer { tokens.close() }
                let idempotency = try IdempotencyStore(directory: log.directory + "/" + IdempotencyStore.directoryName)
                defer { idempotency.close() }
                if firstStart, !noDemo { try handOutAdminToken(eventLog, tokens) }
                var configuration = RapportServer.Configuration()
                configuration.host = host
                configuration.port = port
                configuration.sweepInterval = .seconds(sweepInterval)
                configuration.backdatingWindow = .seconds(backdatingWindow * 3_600)
                configuration.metricsPort = metricsPort
                let application = try RapportServer.application(
                    log: eventLog,
                    readModels: store,
                    tokens: tokens,
                    idempotency: idempotency,
                    configuration: configuration,
                    logger: logger,
                    onMetricsServerRunning: { port in
                        logger.info("metrics listening", metadata: ["address": "http://127.0.0.1:\(port)/metrics"])
                    }
                ) { port in
                    logger.info(
                        "listening",
                        metadata: ["address": "http://\(host):\(port)", "dataDirectory": "\(log.directory)"]
                    )
                }
                try await application.runService()
            }
        }

        /// The server's logger, after every logger of the process (the log's, the read models')
        /// has been set to write in the chosen format at the chosen level.
        private func makeLogger() -> Logger {
            let level =
                logLevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
                ?? .info
            LoggingSystem.bootstrap { [logFormat] label in
                var handler: any LogHandler =
                    switch logFormat {
                    case .text: StreamLogHandler.standardError(label: label)
                    case .json: JSONLogHandler(label: label)
                    }
                handler.logLevel = level
                return handler
            }
            return Logger(label: "rapport.server")
        }

        /// Makes a token for the demo history's admin and leaves it in `admin.token` (0600) in
        /// the data directory, so a new user can call the API at once.
        private func handOutAdminToken(_ eventLog: LMDBEventLog, _ tokens: TokenStore) throws {
            guard let admin = try UserDirectory(log: eventLog).firstActiveAdmin() else { return }
            let (token, _) = try tokens.create(for: .user(id: admin.userID), name: "demo admin")
            let path = log.directory + "/admin.token"
            guard
                FileManager.default.createFile(
                    atPath: path,
                    contents: Data((token + "\n").utf8),
                    attributes: [.posixPermissions: 0o600]
                )
            else {
                throw OutputError(path)
            }
            FileHandle.standardError.write(
                Data(
                    "rapport: a token for the demo's admin (\(admin.name)) is in \(path):\n  curl -H \"Authorization: Bearer $(cat \(path))\" localhost:\(port)/v1/events\n"
                        .utf8
                )
            )
        }

        /// Fills a new data directory with the demo history, as a bulk load.
        private func generateDemoHistory() async throws {
            FileHandle.standardError.write(
                Data("rapport: no log in \(log.directory) yet; generating the demo history first\n".utf8)
            )
            var options = LMDBEventLog.Options()
            (options.durability, options.groupCommitWindow) = (.none, .zero)
            let eventLog = try LMDBEventLog(directory: log.directory, options: options)
            FileHandle.standardError.write(
                Data((try await Rapport.Demo.generate(WorkloadOptions(), into: eventLog) + "\n").utf8)
            )
            await eventLog.close()
        }
    }
}

/// How `rapport serve` writes its log.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    /// swift-log's default: a line of text per entry, metadata as key=value.
    case text
    /// One JSON object per line, for log collectors.
    case json
}
