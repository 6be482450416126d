import CRMReadModels
import CRMService
import EventStore
import Logging
import Projections
import ServiceLifecycle

/// Closes the log when the server shuts down. It is the first service of the group, so it
/// stops last: after the HTTP server has finished its in-flight requests (every acknowledged
/// append is committed by then) and after the projection runner and the sweep.
struct LogCloser: Service {
    let log: LMDBEventLog

    func run() async throws {
        try? await gracefulShutdown()
        await log.close()
    }
}

/// Keeps the read models up to date: catches up at start, then follows the log.
struct ProjectionFollower: Service {
    let runner: CRMProjectionRunner
    let logger: Logger

    func run() async throws {
        try await stoppingOnShutdown {
            try await runner.start()
            logger.info("read models caught up; following the log")
            try await runner.run()
        }
    }
}

/// Runs the public-pool sweep on a schedule, as `rapport sweep` does by hand: customers idle
/// past their level's limit go back to the pool, and owners are warned first.
struct PoolSweeper: Service {
    let sweep: IdleCustomerSweep
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try await stoppingOnShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await sweep.sweep(actor: "pool-sweep")
                    logger.info(
                        "pool sweep",
                        metadata: [
                            "released": "\(report.released.count)", "warned": "\(report.warned.count)",
                            "unreadable": "\(report.unreadable.count)",
                        ]
                    )
                } catch {
                    logger.error("pool sweep failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}

/// Removes the idempotent answers and the log's command receipts past their retention,
/// hourly, so both hold about a day of commands rather than every one ever sent.
struct IdempotencyPurger: Service {
    let store: IdempotencyStore
    let log: LMDBEventLog
    let logger: Logger

    func run() async throws {
        try await stoppingOnShutdown {
            while !Task.isCancelled {
                do {
                    let removed = try await store.purgeExpired()
                    let receipts = try await log.purgeReceipts(recordedBefore: Timestamp(store.cutoff))
                    if removed + receipts > 0 {
                        logger.info(
                            "idempotent answers expired",
                            metadata: ["answers": "\(removed)", "receipts": "\(receipts)"]
                        )
                    }
                } catch {
                    logger.error("purging idempotent answers failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(3_600))
            }
        }
    }
}

/// Runs `work` until it ends or the server shuts down; the cancellation a shutdown causes is
/// the way it stops, not a failure.
func stoppingOnShutdown(_ work: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown(work)
    } catch {
        if Task.isShuttingDownGracefully || Task.isCancelled || error is CancellationError { return }
        throw error
    }
}

// swift-service-lifecycle logs each service by its description; a struct's default one prints
// every stored property, down to the whole event catalogue of the sweep's service.
extension LogCloser: CustomStringConvertible { var description: String { "LogCloser" } }
extension ProjectionFollower: CustomStringConvertible { var description: String { "ProjectionFollower" } }
extension PoolSweeper: CustomStringConvertible { var description: String { "PoolSweeper" } }
extension IdempotencyPurger: CustomStringConvertible { var description: String { "IdempotencyPurger" } }
