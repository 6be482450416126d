public import EventStore

/// Builds read models from the log on demand, outside any live runner.
public enum ProjectionBuilder {
    /// Builds the read models of `projectors` from the start of the log up to its head, or up to
    /// `asOf`, and installs them in `store`, replacing what it held for them in one transaction.
    ///
    /// The projectors fold in parallel from one decode of the log, into the spare rows of the
    /// store, which take what outgrows its cache as it goes. Built into a store of its own
    /// (a temporary directory), this answers "as of" questions without touching the live store.
    ///
    /// - Returns: the last log position gone through.
    /// - Throws: ``ProjectionError`` when the log cannot be read, an event cannot be decoded or
    ///   applied, or the store cannot be written; the store then holds what it held before.
    @discardableResult
    public static func build<Payload: Sendable>(
        _ projectors: [any Projector<Payload>.Type],
        log: LMDBEventLog,
        decoder: ProjectionDecoder<Payload>,
        asOf: AsOf? = nil,
        into store: ReadModelStore,
        progress: ProjectionProgressHandler? = nil
    ) async throws(ProjectionError) -> UInt64 {
        try checkNames(projectors)
        let instances = projectors.map { $0.init() }
        try store.prepareBuild(of: instances)
        var end = try head(of: log)
        if case .position(let last) = asOf { end = min(end, last) }
        let fold = ProjectionFold(instances, decoder: decoder)
        let reached = try await fold.run(
            from: 1,
            through: end,
            limit: asOf,
            log: log,
            progress: progress,
            buildingInto: store
        )
        try await fold.flush(into: store)
        try store.install(instances, checkpoint: reached, asOf: asOf)
        return reached
    }

    static func head(of log: LMDBEventLog) throws(ProjectionError) -> UInt64 {
        do {
            return try log.head().position
        } catch {
            throw ProjectionError(.log, "cannot read the head of the log in \(log.directory): \(error)")
        }
    }

    static func checkNames<Payload>(_ projectors: [any Projector<Payload>.Type]) throws(ProjectionError) {
        var seen: Set<String> = []
        for projector in projectors where !seen.insert(projector.name).inserted {
            throw ProjectionError(
                .duplicateName,
                "two projectors are called \(projector.name)",
                projector: projector.name
            )
        }
    }
}
