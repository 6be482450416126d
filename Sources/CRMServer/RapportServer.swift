import CRMReadModels
public import CRMService
public import EventStore
public import Hummingbird
public import Logging
public import Projections
import ServiceLifecycle

/// The HTTP service over one log: routes, the live read models and the scheduled pool sweep,
/// as one Hummingbird application run by swift-service-lifecycle.
///
/// On SIGTERM the HTTP server stops taking connections and finishes the requests in flight
/// (so every append it acknowledged is committed), subscriptions end cleanly, the projection
/// runner and the sweep stop, and the log closes last.
public enum RapportServer {
    /// How the server listens and paces its background work.
    public struct Configuration: Sendable {
        /// The address to listen on.
        public var host = "127.0.0.1"
        /// The port; 0 picks a free one.
        public var port = 8080
        /// How often the pool sweep runs.
        public var sweepInterval = Duration.seconds(3_600)
        /// How often an idle subscription gets a comment line, so proxies keep it open.
        public var heartbeatInterval = Duration.seconds(15)
        /// The least time between two batches of new events to live subscribers. Under a
        /// steady load of commits, each subscriber gets one write of everything new per
        /// interval instead of one per commit, at the cost of up to this much delay.
        public var subscriberWriteInterval = Duration.milliseconds(10)
        /// The most events one page of a read returns.
        public var maxPageSize = 1_000
        /// Where the CRM's business time comes from: commands' default `occurredAt`, the
        /// sweep's now, and the back-dating window's end.
        public var clock: any CRMClock = SystemClock()
        /// How far back a command's `occurredAt` may be set by a role without the back-dating
        /// permission (admin and migration have it).
        public var backdatingWindow = Duration.seconds(86_400)
        /// When set, `GET /metrics` is also served without a token on 127.0.0.1 at this port
        /// (0 picks a free one); on the main port it always needs an admin's or auditor's token.
        public var metricsPort: Int?

        /// Listens on 127.0.0.1:8080, sweeps hourly.
        public init() {}
    }

    /// The application for `log` (opened for writing) and its read models in `readModels`.
    ///
    /// - Parameters:
    ///   - onServerRunning: called with the bound port once the server listens.
    ///   - onMetricsServerRunning: called with the metrics listener's port once it listens
    ///     (only with ``Configuration/metricsPort``).
    /// - Throws: `EventStoreError` when the log's head cannot be read.
    public static func application(
        log: LMDBEventLog,
        readModels: ReadModelStore,
        tokens: TokenStore,
        idempotency: IdempotencyStore,
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "rapport.server"),
        onMetricsServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let runner = ProjectionRunner(
            log: log,
            store: readModels,
            decoder: CRMProjections.decoder,
            projectors: CRMProjections.all
        )
        let service = CRMService(log: log, clock: configuration.clock)
        let feed = try LiveEventFeed(log: log, interval: configuration.subscriberWriteInterval)
        let metrics = ServerMetrics()
        let router = try makeRouter(
            log: log,
            readModels: readModels,
            runner: runner,
            feed: feed,
            metrics: metrics,
            tokens: tokens,
            idempotency: idempotency,
            configuration: configuration
        )
        var services: [any Service] = [
            LogCloser(log: log),
            ProjectionFollower(runner: runner, logger: logger),
            feed,
            PoolSweeper(
                sweep: IdleCustomerSweep(service: service, log: log, readModels: readModels),
                interval: configuration.sweepInterval,
                logger: logger
            ),
            IdempotencyPurger(store: idempotency, log: log, logger: logger),
        ]
        if let metricsPort = configuration.metricsPort {
            let health = ServerHealth(log: log, runner: runner, metrics: metrics)
            services.append(
                health.metricsApplication(port: metricsPort, logger: logger, onRunning: onMetricsServerRunning)
            )
        }
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "rapport"
            ),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// Every route the server answers, as `METHOD /path/{parameter}`: what
    /// `Schemas/openapi.yaml` must describe.
    public static func routes(
        log: LMDBEventLog,
        readModels: ReadModelStore,
        tokens: TokenStore,
        idempotency: IdempotencyStore
    ) throws -> [String] {
        let runner = ProjectionRunner(
            log: log,
            store: readModels,
            decoder: CRMProjections.decoder,
            projectors: CRMProjections.all
        )
        let feed = try LiveEventFeed(log: log, interval: .zero)
        return try makeRouter(
            log: log,
            readModels: readModels,
            runner: runner,
            feed: feed,
            metrics: ServerMetrics(),
            tokens: tokens,
            idempotency: idempotency,
            configuration: Configuration()
        ).routes.map { "\($0.method) \($0.path)" }
    }

    private static func makeRouter(
        log: LMDBEventLog,
        readModels: ReadModelStore,
        runner: CRMProjectionRunner,
        feed: LiveEventFeed,
        metrics: ServerMetrics,
        tokens: TokenStore,
        idempotency: IdempotencyStore,
        configuration: Configuration
    ) throws -> Router<RapportRequestContext> {
        metrics.observe(log)
        let router = Router(context: RapportRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorMiddleware())
        let users = UserDirectory(log: log)
        let service = CRMService(log: log, clock: configuration.clock)
        let (customerOwners, leadOwners) = (RecordOwners.customers(in: log), RecordOwners.leads(in: log))
        let scope = CustomerScope(users: users)
        // The first fold reads every user event; done here, before the server listens, no
        // request folds more than what was appended since the request before it. A failure
        // here is met again, and answered, by the first request that looks.
        try? users.catchUp()
        router.add(middleware: Authenticator(tokens: tokens, users: users))
        router.add(middleware: RequestLogMiddleware())
        router.add(
            middleware: BusinessTimeMiddleware(clock: configuration.clock, window: configuration.backdatingWindow)
        )
        let methods = MethodTable<RapportRequestContext>()
        router.add(middleware: MethodNotAllowedMiddleware(table: methods))
        // Every route's roles and scope, from the one table, before any handler runs.
        router.add(
            middleware: AccessCheck(
                service: service,
                customerOwners: customerOwners,
                leadOwners: leadOwners,
                scope: scope
            )
        )
        router.add(middleware: IdempotencyMiddleware(store: idempotency, log: log))
        let groups = ConsumerGroups(log: log)
        EventRoutes(
            log: log,
            groups: groups,
            metrics: metrics,
            heartbeat: configuration.heartbeatInterval,
            feed: feed,
            maxPage: max(1, configuration.maxPageSize),
            backdatingWindow: configuration.backdatingWindow
        )
        .add(to: router)
        let handler = APIHandler(
            service: service,
            customerOwners: customerOwners,
            scope: scope,
            groups: groups,
            reads: readModels,
            log: log,
            health: ServerHealth(log: log, runner: runner, metrics: metrics)
        )
        try handler.register(on: router)
        methods.load(router.routes)
        return router
    }
}
