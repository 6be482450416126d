import ArgumentParser
import EventStore
import Foundation

extension Rapport {
    /// Writes the log, or a range of it, to a file that `import` reads back exactly.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the log or a range of it as NDJSON or binary frames, zstd-compressed.",
            discussion: """
                Opens the log read-only and copies one consistent snapshot, so it runs beside the \
                process that appends. Every event keeps its position, recorded time, payload bytes \
                and chain hash: `rapport import` of the file reproduces the same chain. An export of \
                the whole log also carries the unique-key reservations (the dedup table); a range \
                carries none. NDJSON lines are `rapport replay` lines plus "payload" (base64) and \
                "hash". Examples:
                  rapport export --output log.ndjson.zst
                  rapport export --format binary --output log.rpx.zst
                  rapport export --from 1000001 --to 2000000 --output part.ndjson.zst
                  rapport export --uncompressed --output log.ndjson && head -3 log.ndjson
                """
        )

        @OptionGroup var log: LogOptions

        @Option(help: "The file to write; it must not exist yet.")
        var output: String

        @Option(help: "ndjson or binary.")
        var format: ExportFormat.Encoding = .ndjson

        @Option(help: "The first position (default: 1).")
        var from: UInt64 = 1

        @Option(help: "The last position (default: the head).")
        var to: UInt64?

        @Flag(help: "Write plain bytes, without zstd.")
        var uncompressed = false

        @Option(help: "The zstd level, 1 (fastest) to 19 (smallest).")
        var level: Int32 = 3

        func validate() throws {
            if from == 0 { throw ValidationError("--from is a position, counted from 1") }
            if let to, to < from { throw ValidationError("--to \(to) is before --from \(from)") }
            if !(1...19).contains(level) { throw ValidationError("--level must be 1 to 19") }
            if FileManager.default.fileExists(atPath: output) {
                throw ValidationError("--output \(output) exists already; an export never overwrites a file")
            }
        }

        func run() async throws {
            try await reportingArchiveErrors {
                let eventLog = try log.openReadOnly()
                let started = ContinuousClock.now
                let summary: ExportSummary
                do {
                    summary = try LogExporter(format: format).export(
                        eventLog,
                        from: from,
                        through: to ?? .max,
                        to: ExportSink(path: output, compressionLevel: uncompressed ? nil : level)
                    )
                } catch {
                    await eventLog.close()
                    try? FileManager.default.removeItem(atPath: output)
                    throw error
                }
                await eventLog.close()
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                let rate = seconds > 0 ? Int(Double(summary.events) / seconds) : 0
                print(
                    "exported \(summary.events) events (positions \(summary.from)–\(summary.through)) and "
                        + "\(summary.uniqueKeys) unique keys to \(output): \(summary.fileBytes) bytes, \(rate) events/s"
                )
            }
        }
    }
}

/// What an export wrote.
struct ExportSummary {
    var from: UInt64
    var through: UInt64
    var events: UInt64
    var uniqueKeys: UInt64
    var fileBytes: Int
}

/// Copies a snapshot of the log into an export file, in either encoding.
struct LogExporter {
    var format: ExportFormat.Encoding
    /// Shows events written of the range.
    var progress = ProgressLine(unit: "events")

    func export(_ log: LMDBEventLog, from: UInt64, through: UInt64, to sink: ExportSink) throws -> ExportSummary {
        let line = EventLine()
        var header = ExportFormat.Header(from: from, through: 0, previousHash: .genesis, carriesUniqueKeys: false)
        var events: UInt64 = 0
        var keys: UInt64 = 0
        var lastHash = ChainHash.genesis
        try log.readSnapshot(
            from: from,
            through: through,
            start: { head, previous in
                guard from <= head.position + 1 else {
                    throw ExportFileError("the log ends at position \(head.position): nothing to export from \(from)")
                }
                header.through = min(through, head.position)
                header.previousHash = previous
                header.carriesUniqueKeys = from == 1 && through >= head.position
                lastHash = previous
                progress.update(0, total: Int(header.through - min(from, header.through + 1) + 1))
                try sink.write { writeHeader(header, into: &$0) }
            },
            record: { record in
                events += 1
                if events % 16_384 == 0 { progress.update(Int(events)) }
                lastHash = ChainHash(bytes: Array(record.hashBytes))
                try sink.write { output in
                    switch format {
                    case .ndjson:
                        line.render(record, withStoredBytes: true, into: &output)
                        output.append(UInt8(ascii: "\n"))
                    case .binary:
                        output.appendFrame(.event) { $0.append(contentsOf: record.storedBytes) }
                    }
                }
            },
            uniqueKeys: { ownership in
                guard header.carriesUniqueKeys else { return }
                keys += 1
                try sink.write { writeKey(ownership, into: &$0) }
            }
        )
        progress.update(Int(events))
        progress.finish()
        let end = ExportFormat.End(events: events, uniqueKeys: keys, lastHash: lastHash)
        try sink.write { writeEnd(end, into: &$0) }
        try sink.finish()
        return ExportSummary(from: from, through: header.through, events: events, uniqueKeys: keys, fileBytes: sink.fileBytes)
    }

    private func writeHeader(_ header: ExportFormat.Header, into output: inout [UInt8]) {
        switch format {
        case .ndjson:
            output.append(contentsOf: #"{"rapportExport":\#(ExportFormat.version),"encoding":"ndjson","from":\#(header.from),"through":\#(header.through),"previousHash":"\#(header.previousHash.hex)","uniqueKeys":\#(header.carriesUniqueKeys)}"#.utf8)
            output.append(UInt8(ascii: "\n"))
        case .binary:
            output.append(contentsOf: ExportFormat.binaryMagic)
            output.appendLittleEndian(ExportFormat.version)
            output.appendFrame(.header) { body in
                body.appendLittleEndian(header.from)
                body.appendLittleEndian(header.through)
                body.append(contentsOf: header.previousHash.bytes)
                body.append(header.carriesUniqueKeys ? 1 : 0)
            }
        }
    }

    private func writeKey(_ ownership: UniqueKeyOwnership, into output: inout [UInt8]) {
        switch format {
        case .ndjson:
            output.append(contentsOf: #"{"uniqueKey":"#.utf8)
            appendString(ownership.key.rawValue, to: &output)
            output.append(contentsOf: #","owner":"#.utf8)
            appendString(ownership.owner.rawValue, to: &output)
            output.append(contentsOf: "}\n".utf8)
        case .binary:
            output.appendFrame(.uniqueKey) { body in
                body.appendLittleEndian(UInt16(ownership.key.rawValue.utf8.count))
                body.append(contentsOf: ownership.key.rawValue.utf8)
                body.append(contentsOf: ownership.owner.rawValue.utf8)
            }
        }
    }

    private func writeEnd(_ end: ExportFormat.End, into output: inout [UInt8]) {
        switch format {
        case .ndjson:
            output.append(contentsOf: #"{"end":{"events":\#(end.events),"uniqueKeys":\#(end.uniqueKeys),"lastHash":"\#(end.lastHash.hex)"}}"#.utf8)
            output.append(UInt8(ascii: "\n"))
        case .binary:
            output.appendFrame(.end) { body in
                body.appendLittleEndian(end.events)
                body.appendLittleEndian(end.uniqueKeys)
                body.append(contentsOf: end.lastHash.bytes)
            }
        }
    }
}

extension ExportFormat.Encoding: ExpressibleByArgument {}
