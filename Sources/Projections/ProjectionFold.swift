import EventStore

/// Projectors that go through the log together: each event is decoded once, for the projectors
/// that want its type, and applied to them in position order.
///
/// Decoding and applying run in parallel: while the projectors apply one chunk of the log, the
/// next chunk is decoded, in halves, and each projector applies a chunk on its own task.
struct ProjectionFold<Payload: Sendable>: Sendable {
    /// The positions decoded as one chunk.
    static var chunkSize: UInt64 { 16_384 }

    private let projectors: [Unchecked<any Projector<Payload>>]
    private let decoder: ProjectionDecoder<Payload>
    /// For each wanted event type, one bit per projector that wants it.
    private let readers: [String: UInt64]

    /// A fold of `projectors`.
    init(_ projectors: [any Projector<Payload>], decoder: ProjectionDecoder<Payload>) {
        precondition(projectors.count <= 64, "one fold runs at most 64 projectors")
        self.projectors = projectors.map(Unchecked.init)
        self.decoder = decoder
        var readers: [String: UInt64] = [:]
        for (index, projector) in projectors.enumerated() {
            for type in projector.eventTypes { readers[type, default: 0] |= 1 << UInt64(index) }
        }
        self.readers = readers
    }

    // MARK: - Building

    /// Applies the events after position `start - 1` up to `end` (and within `limit`), with
    /// progress reports; returns the last position gone through.
    ///
    /// A build from scratch names the `store` it builds into: after each chunk, the rows that
    /// outgrow its cache are written there.
    func run(
        from start: UInt64,
        through end: UInt64,
        limit: AsOf?,
        log: LMDBEventLog,
        progress: ProjectionProgressHandler?,
        buildingInto store: ReadModelStore? = nil
    ) async throws(ProjectionError) -> UInt64 {
        guard start <= end else { return start - 1 }
        let clock = ContinuousClock()
        let began = clock.now
        var lastReport = began
        let names = projectors.map(\.value.name)
        var report = ProjectionProgress(projectors: names, eventsDone: 0, eventsTotal: end - start + 1, elapsed: .zero)
        func decodeTask(_ first: UInt64) -> Task<DecodedChunk, any Error> {
            Task {
                try await decodeInHalves(
                    from: first,
                    through: min(end, first + Self.chunkSize - 1),
                    limit: limit,
                    log: log
                )
            }
        }
        var next = decodeTask(start)
        var reached = start - 1
        while true {
            let chunk: DecodedChunk
            do { chunk = try await next.value } catch { throw Self.projectionError(error) }
            let more = !chunk.reachedLimit && chunk.lastPosition < end
            if more { next = decodeTask(chunk.lastPosition + 1) }
            try await apply(chunk.events)
            if let store { try await store.flushIfOverBudget(projectors.map(\.value)) }
            reached = chunk.lastPosition
            report.eventsDone = chunk.reachedLimit ? report.eventsTotal : reached - start + 1
            report.elapsed = clock.now - began
            if let progress, !more || clock.now - lastReport >= .milliseconds(200) {
                lastReport = clock.now
                progress(report)
            }
            if !more { return reached }
        }
    }

    /// Applies events already decoded, each projector on its own task.
    func apply(_ events: [DecodedEvent]) async throws(ProjectionError) {
        guard !events.isEmpty else { return }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, projector) in projectors.enumerated() {
                    let bit: UInt64 = 1 << UInt64(index)
                    guard events.contains(where: { $0.readers & bit != 0 }) else { continue }
                    group.addTask { try Self.apply(events, bit: bit, to: projector.value) }
                }
                try await group.waitForAll()
            }
        } catch {
            throw Self.projectionError(error)
        }
    }

    /// Writes what the projectors of a build from scratch changed into `store`'s spare rows.
    func flush(into store: ReadModelStore) async throws(ProjectionError) {
        try await store.flush(projectors.map(\.value))
    }

    /// Applies events in order on the calling task.
    func applyHere(_ events: [DecodedEvent]) throws(ProjectionError) {
        for (index, projector) in projectors.enumerated() {
            try Self.apply(events, bit: 1 << UInt64(index), to: projector.value)
        }
    }

    private static func apply(
        _ events: [DecodedEvent],
        bit: UInt64,
        to projector: any Projector<Payload>
    )
        throws(ProjectionError)
    {
        // Through the buffer, so each event is lent to the projector rather than copied.
        try events.withUnsafeBufferPointer { (events) throws(ProjectionError) in
            for index in events.indices where events[index].readers & bit != 0 {
                do {
                    try projector.apply(events[index].event)
                } catch {
                    let event = events[index].event
                    throw ProjectionError(
                        .applyFailed,
                        "\(projector.name) could not apply \(event.type) at position \(event.position): \(error)",
                        projector: projector.name,
                        position: event.position
                    )
                }
            }
        }
    }

    // MARK: - Decoding

    /// One decoded event and the projectors (one bit each) that read it.
    struct DecodedEvent: Sendable {
        var event: ProjectedEvent<Payload>
        var readers: UInt64
    }

    /// The decoded events of a range of positions.
    struct DecodedChunk: Sendable {
        var events: [DecodedEvent] = []
        /// The last position gone through.
        var lastPosition: UInt64
        /// Whether a recorded-time limit ended the range early.
        var reachedLimit = false
    }

    private func decodeInHalves(
        from start: UInt64,
        through end: UInt64,
        limit: AsOf?,
        log: LMDBEventLog
    ) async throws -> DecodedChunk {
        let middle = start + (end - start) / 2
        guard middle > start else { return try decode(from: start, through: end, limit: limit, log: log) }
        async let second = decode(from: middle + 1, through: end, limit: limit, log: log)
        var chunk = try decode(from: start, through: middle, limit: limit, log: log)
        guard !chunk.reachedLimit else { return chunk }
        let rest = try await second
        chunk.events.append(contentsOf: rest.events)
        chunk.lastPosition = rest.lastPosition
        chunk.reachedLimit = rest.reachedLimit
        return chunk
    }

    /// Decodes the wanted events from `start` through `end` that fall within `limit`.
    func decode(
        from start: UInt64,
        through end: UInt64,
        limit: AsOf?,
        log: LMDBEventLog
    ) throws(ProjectionError)
        -> DecodedChunk
    {
        var chunk = DecodedChunk(lastPosition: start - 1)
        var failure: ProjectionError?
        do {
            try log.scan(from: start) { record in
                let position = record.position
                guard position <= end else { return false }
                switch limit {
                case .position(let last) where position > last:
                    chunk.reachedLimit = true
                    return false
                case .recordedTime(let last) where record.recordedAt > last:
                    chunk.reachedLimit = true
                    return false
                case .occurredTime(let last) where record.occurredAt > last:
                    chunk.lastPosition = position
                    return true
                default: break
                }
                chunk.lastPosition = position
                let type = record.type
                guard let readers = readers[type] else { return true }
                do {
                    let payload = try decoder.decode(type, record.schemaVersion, record.payload)
                    let event = ProjectedEvent(
                        position: position,
                        stream: record.stream,
                        streamVersion: record.streamVersion,
                        type: type,
                        recordedAt: record.recordedAt,
                        occurredAt: record.occurredAt,
                        actor: record.actor,
                        payload: payload
                    )
                    chunk.events.append(DecodedEvent(event: event, readers: readers))
                    return true
                } catch {
                    failure = Self.undecodable(type: type, position: position, error)
                    return false
                }
            }
        } catch {
            throw ProjectionError(.log, "reading the log from position \(start) failed: \(error)", position: start)
        }
        if let failure { throw failure }
        return chunk
    }

    /// Decodes events already copied out of the log (what a subscription hands over).
    func decode(_ recorded: [RecordedEvent]) throws(ProjectionError) -> [DecodedEvent] {
        var events: [DecodedEvent] = []
        for event in recorded {
            guard let readers = readers[event.type] else { continue }
            do {
                let payload = try event.payload.withUnsafeBytes { bytes in
                    try decoder.decode(event.type, event.schemaVersion, bytes)
                }
                events.append(
                    DecodedEvent(
                        event: ProjectedEvent(
                            position: event.position,
                            stream: event.stream,
                            streamVersion: event.streamVersion,
                            type: event.type,
                            recordedAt: event.recordedAt,
                            occurredAt: event.occurredAt,
                            actor: event.actor,
                            payload: payload
                        ),
                        readers: readers
                    )
                )
            } catch {
                throw Self.undecodable(type: event.type, position: event.position, error)
            }
        }
        return events
    }

    private static func undecodable(type: String, position: UInt64, _ error: any Error) -> ProjectionError {
        ProjectionError(
            .undecodableEvent,
            "the \(type) event at position \(position) cannot be decoded: \(error)",
            position: position
        )
    }

    private static func projectionError(_ error: any Error) -> ProjectionError {
        (error as? ProjectionError) ?? ProjectionError(.log, "\(error)")
    }
}

/// Carries a value the engine uses from one task at a time across tasks.
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
