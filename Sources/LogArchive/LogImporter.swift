public import EventStore

/// Feeds an export's items to a log in batches, checking the file's own structure as it goes:
/// a header first, events in order, then keys, then an end that agrees with what came.
///
/// Batches commit in order, one in flight while the next is read, so reading the file and
/// writing the log overlap. Events the log already holds up to its head (an earlier run of
/// the same import) are checked against the head and skipped.
public struct LogImporter {
    /// Events per transaction unless told otherwise: large enough that commits cost little,
    /// small enough that a batch's dirty pages stay a few megabytes.
    public static let defaultBatchSize = 10_000

    /// The log appended to.
    public let log: LMDBEventLog
    /// Events per transaction.
    public let batchSize: Int
    /// The log's head after the last batch that committed.
    public private(set) var head: LogHead
    /// Events appended by the batches that committed.
    public private(set) var imported = 0
    /// Events the log held already, checked and skipped.
    public private(set) var skipped = 0
    /// Unique keys set, once ``finish()`` committed them.
    public private(set) var keys = 0
    private var header: ExportFormat.Header?
    private var batch: [RecordedEvent] = []
    private var locations: [ImportLocation] = []
    private var uniqueKeys: [UniqueKeyOwnership] = []
    private var end: ExportFormat.End?
    private var seen: UInt64 = 0
    private var lastHash = ChainHash.genesis
    private var inFlight: InFlight?

    /// An importer into `log`, which must be empty or end where the export starts.
    ///
    /// - Throws: `EventStoreError` when the log's head cannot be read.
    public init(log: LMDBEventLog, batchSize: Int = defaultBatchSize) throws {
        self.log = log
        self.batchSize = batchSize
        head = try log.head()
    }

    /// Takes the next item of the file, committing a batch once it is full.
    ///
    /// - Throws: ``ImportError`` when the item does not follow from the ones before
    ///   (`.corruptInput`, `.notAnExport`), the header does not fit the log
    ///   (`.logMismatch`), or the log refused an earlier batch.
    public mutating func take(_ item: ImportItem) async throws {
        switch item {
        case .header(let header):
            guard self.header == nil else { throw ImportError(code: .corruptInput, message: "a second header") }
            try check(header)
            self.header = header
            lastHash = header.previousHash
        case .event(let event, let location):
            guard let header else {
                throw ImportError(code: .notAnExport, message: "an event before the header", location: location)
            }
            guard uniqueKeys.isEmpty, end == nil else {
                throw ImportError(code: .corruptInput, message: "an event after the unique keys", location: location)
            }
            let expected = header.from + seen
            guard event.position == expected, expected <= header.through else {
                throw ImportError(
                    code: .corruptInput,
                    message: "position \(event.position) where \(expected) belongs",
                    location: location
                )
            }
            seen += 1
            lastHash = event.hash
            if event.position <= head.position {
                // Already in the log: an earlier run of this import. Its last one must be the head.
                if event.position == head.position, event.hash != head.hash {
                    throw ImportError(
                        code: .logMismatch,
                        message:
                            "the log's head \(head.position) has hash \(head.hash), the export's event there \(event.hash)",
                        location: location
                    )
                }
                skipped += 1
                return
            }
            batch.append(event)
            locations.append(location)
            if batch.count >= batchSize { try await commit() }
        case .uniqueKey(let ownership, let location):
            guard header?.carriesUniqueKeys == true, end == nil else {
                throw ImportError(
                    code: .corruptInput,
                    message: "a unique key the header did not announce",
                    location: location
                )
            }
            uniqueKeys.append(ownership)
        case .end(let end, let location):
            guard end.events == seen, end.uniqueKeys == UInt64(uniqueKeys.count), end.lastHash == lastHash else {
                throw ImportError(
                    code: .corruptInput,
                    message:
                        "the end says \(end.events) events, \(end.uniqueKeys) keys, last hash \(end.lastHash); the file held \(seen), \(uniqueKeys.count), \(lastHash)",
                    location: location
                )
            }
            self.end = end
        }
    }

    /// Commits the last batch with the unique keys, once the whole file was read and found
    /// complete.
    ///
    /// - Throws: ``ImportError`` `.truncatedInput` when no end came or it falls short of
    ///   the header's range, or what committing throws.
    public mutating func finish() async throws {
        guard let header, end != nil else { throw ImportError(code: .truncatedInput, message: "the file has no end") }
        guard header.from + seen - 1 == header.through else {
            throw ImportError(
                code: .truncatedInput,
                message:
                    "the header promises positions through \(header.through); the file ends at \(header.from + seen - 1)"
            )
        }
        keys = uniqueKeys.count
        if !batch.isEmpty || !uniqueKeys.isEmpty { try await commit() }
        try await settle()
    }

    private func check(_ header: ExportFormat.Header) throws {
        // Positions start at 1, and an export of nothing ends just before it starts; anything
        // else would underflow or overflow the position arithmetic below and in `finish()`.
        guard header.from > 0, header.through < .max, header.through >= header.from - 1 else {
            throw ImportError(
                code: .corruptInput,
                message: "the header's positions \(header.from)–\(header.through) are no range of a log"
            )
        }
        if head.position + 1 == header.from {
            guard head.hash == header.previousHash else {
                throw ImportError(
                    code: .logMismatch,
                    message:
                        "the export continues a chain at hash \(header.previousHash); the log's head \(head.position) has \(head.hash)"
                )
            }
        } else if head.position < header.from || head.position > header.through {
            throw ImportError(
                code: .logMismatch,
                message:
                    "the export holds positions \(header.from)–\(header.through); the log's head is at \(head.position), so it neither continues nor resumes it"
            )
        }
    }

    /// Hands the batch to the log and goes on reading while it commits: the previous batch
    /// is settled first, so at most one is in flight and they commit in order.
    private mutating func commit() async throws {
        try await settle()
        let log = self.log
        let batch = self.batch
        let keys = end != nil ? uniqueKeys : []
        inFlight = InFlight(
            task: Task { try await log.appendRecorded(batch, uniqueKeys: keys) },
            batch: batch,
            locations: locations
        )
        self.batch.removeAll(keepingCapacity: true)
        locations.removeAll(keepingCapacity: true)
    }

    /// Waits for the batch in flight, if any, and names the line or byte of a refused event.
    ///
    /// Call it after a failure, too: a batch in flight lies wholly before the damage, and
    /// ``imported`` and ``head`` then count it.
    public mutating func settle() async throws {
        guard let flight = inFlight else { return }
        inFlight = nil
        do {
            head = try await flight.task.value
        } catch let error as EventStoreError where error.code == .recordMismatch {
            let index = error.position.flatMap { position in flight.batch.firstIndex { $0.position == position } }
            throw ImportError(code: .corruptInput, message: error.message, location: index.map { flight.locations[$0] })
        }
        imported += flight.batch.count
    }

    private struct InFlight {
        var task: Task<LogHead, any Error>
        var batch: [RecordedEvent]
        var locations: [ImportLocation]
    }
}
