import ArgumentParser
import EventStore
import Foundation

extension Rapport {
    /// Appends an export's events to a log exactly as they were recorded.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append an export (NDJSON or binary, zstd or plain) exactly as recorded: same positions, same chain.",
            discussion: """
                The log (created when absent) must be empty or end where the export starts, with \
                the chain hash the export names; events the log already holds up to its head are \
                checked and skipped, so an interrupted import is resumed by running it again. \
                Events go in batches of --batch-size, one transaction each. A damaged or cut file \
                stops the import with the line (NDJSON) or byte offset (binary, of the decompressed \
                stream), exit status 65, and nothing from the batch holding the damage appended; the \
                batches before it stay. A log that does not match exits 2. Examples:
                  rapport import --data-dir /var/lib/rapport-copy --input log.ndjson.zst
                  rapport import --data-dir copy --input log.rpx.zst --batch-size 50000
                """
        )

        @OptionGroup var log: LogOptions

        @Option(help: "The export file to read.")
        var input: String

        @Option(name: .customLong("batch-size"), help: "Events per transaction.")
        var batchSize = LogImporter.defaultBatchSize

        func validate() throws {
            guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
            guard FileManager.default.fileExists(atPath: input) else { throw ValidationError("--input \(input) does not exist") }
        }

        func run() async throws {
            try await reportingArchiveErrors {
                var reader = try ImportReader(path: input)
                var options = LMDBEventLog.Options()
                // A commit per batch reaches the disk without a metadata fsync; the last one is
                // synced before the import reports success.
                options.durability = .relaxed
                let eventLog = try LMDBEventLog(directory: log.directory, options: options)
                let started = ContinuousClock.now
                var importer = try LogImporter(log: eventLog, batchSize: batchSize)
                do {
                    let progress = ProgressLine(unit: "MiB", total: reader.fileBytes >> 20)
                    while let items = try reader.next() {
                        for item in items { try await importer.take(item) }
                        progress.update(reader.fileOffset >> 20, detail: "\(importer.imported) events")
                    }
                    progress.finish()
                    try await importer.finish()
                    try eventLog.sync()
                } catch {
                    // A batch already in flight lies wholly before the damage: it stays.
                    try? await importer.settle()
                    await eventLog.close()
                    if importer.imported > 0 {
                        FileHandle.standardError.write(Data("rapport: imported through position \(importer.head.position) before stopping\n".utf8))
                    }
                    throw error
                }
                await eventLog.close()
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                let rate = seconds > 0 ? Int(Double(importer.imported) / seconds) : 0
                print(
                    "imported \(importer.imported) events (\(importer.skipped) already in the log) and \(importer.keys) unique keys: "
                        + "head \(importer.head.position) \(importer.head.hash), \(rate) events/s"
                )
            }
        }
    }
}

/// Feeds an export's items to a log in batches, checking the file's own structure as it goes:
/// a header first, events in order, then keys, then an end that agrees with what came.
struct LogImporter {
    /// Events per transaction unless told otherwise: large enough that commits cost little,
    /// small enough that a batch's dirty pages stay a few megabytes.
    static let defaultBatchSize = 10_000

    let log: LMDBEventLog
    let batchSize: Int
    private(set) var head: LogHead
    private(set) var imported = 0
    private(set) var skipped = 0
    private(set) var keys = 0
    private var header: ExportFormat.Header?
    private var batch: [RecordedEvent] = []
    private var locations: [String] = []
    private var uniqueKeys: [UniqueKeyOwnership] = []
    private var end: ExportFormat.End?
    private var seen: UInt64 = 0
    private var lastHash = ChainHash.genesis
    private var inFlight: InFlight?

    init(log: LMDBEventLog, batchSize: Int) throws {
        self.log = log
        self.batchSize = batchSize
        head = try log.head()
    }

    mutating func take(_ item: ImportItem) async throws {
        switch item {
        case .header(let header):
            guard self.header == nil else { throw ImportError(code: .corruptInput, message: "a second header") }
            try check(header)
            self.header = header
            lastHash = header.previousHash
        case .event(let event, let location):
            guard let header else { throw ImportError(code: .notAnExport, message: "an event before the header", location: location) }
            guard uniqueKeys.isEmpty, end == nil else {
                throw ImportError(code: .corruptInput, message: "an event after the unique keys", location: location)
            }
            let expected = header.from + seen
            guard event.position == expected, expected <= header.through else {
                throw ImportError(code: .corruptInput, message: "position \(event.position) where \(expected) belongs", location: location)
            }
            seen += 1
            lastHash = event.hash
            if event.position <= head.position {
                // Already in the log: an earlier run of this import. Its last one must be the head.
                if event.position == head.position, event.hash != head.hash {
                    throw ImportError(
                        code: .logMismatch,
                        message: "the log's head \(head.position) has hash \(head.hash), the export's event there \(event.hash)",
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
                throw ImportError(code: .corruptInput, message: "a unique key the header did not announce", location: location)
            }
            uniqueKeys.append(ownership)
        case .end(let end, let location):
            guard end.events == seen, end.uniqueKeys == UInt64(uniqueKeys.count), end.lastHash == lastHash else {
                throw ImportError(
                    code: .corruptInput,
                    message: "the end says \(end.events) events, \(end.uniqueKeys) keys, last hash \(end.lastHash); the file held \(seen), \(uniqueKeys.count), \(lastHash)",
                    location: location
                )
            }
            self.end = end
        }
    }

    /// Commits the last batch with the unique keys, once the whole file was read and found
    /// complete.
    mutating func finish() async throws {
        guard let header, end != nil else { throw ImportError(code: .truncatedInput, message: "the file has no end") }
        guard header.from + seen - 1 == header.through else {
            throw ImportError(code: .truncatedInput, message: "the header promises positions through \(header.through); the file ends at \(header.from + seen - 1)")
        }
        keys = uniqueKeys.count
        if !batch.isEmpty || !uniqueKeys.isEmpty { try await commit() }
        try await settle()
    }

    private func check(_ header: ExportFormat.Header) throws {
        if head.position + 1 == header.from {
            guard head.hash == header.previousHash else {
                throw ImportError(
                    code: .logMismatch,
                    message: "the export continues a chain at hash \(header.previousHash); the log's head \(head.position) has \(head.hash)"
                )
            }
        } else if head.position < header.from || head.position > header.through {
            throw ImportError(
                code: .logMismatch,
                message: "the export holds positions \(header.from)–\(header.through); the log's head is at \(head.position), so it neither continues nor resumes it"
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
        inFlight = InFlight(task: Task { try await log.appendRecorded(batch, uniqueKeys: keys) }, batch: batch, locations: locations)
        self.batch.removeAll(keepingCapacity: true)
        locations.removeAll(keepingCapacity: true)
    }

    /// Waits for the batch in flight, if any, and names the line or byte of a refused event.
    mutating func settle() async throws {
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
        var locations: [String]
    }
}

/// ``reportingErrors``, and an import's or export's own failures: a damaged file exits 65
/// (EX_DATAERR), a log that does not match or a file that cannot be written exits 2.
func reportingArchiveErrors(_ body: () async throws -> Void) async throws {
    do {
        try await reportingErrors(body)
    } catch let error as ImportError {
        FileHandle.standardError.write(Data("rapport: import stopped: \(error)\n".utf8))
        throw ExitCode(error.code == .logMismatch ? 2 : 65)
    } catch let error as ExportFileError {
        FileHandle.standardError.write(Data("rapport: \(error)\n".utf8))
        throw ExitCode(2)
    }
}
