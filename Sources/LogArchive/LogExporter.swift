public import EventStore

/// Copies a snapshot of the log into an export file, in either encoding (see ``ExportFormat``).
public struct LogExporter: Sendable {
    /// How the items are written.
    public var format: ExportFormat.Encoding

    /// An exporter writing `format`.
    public init(format: ExportFormat.Encoding) {
        self.format = format
    }

    /// Writes positions `from...through` of one read snapshot of `log`, and the unique-key
    /// table when that range is the whole log, then finishes `sink`.
    ///
    /// - Parameters:
    ///   - through: the last position wanted; clamped to the snapshot's head.
    ///   - progress: called with the events written so far: once before the first, every
    ///     16,384 events, and once after the last.
    /// - Returns: what was written.
    /// - Throws: ``ExportFileError`` `.nothingToExport` when `from` lies past the head plus
    ///   one, `EventStoreError` when the log cannot be read, or what writing the file throws.
    public func export(
        _ log: LMDBEventLog,
        from: UInt64 = 1,
        through: UInt64 = .max,
        to sink: ExportSink,
        progress: (ExportProgress) -> Void = { _ in }
    ) throws -> ExportSummary {
        let line = EventLine()
        var header = ExportFormat.Header(from: from, through: 0, previousHash: .genesis, carriesUniqueKeys: false)
        var events: UInt64 = 0
        var keys: UInt64 = 0
        // Copied into one buffer, not an array per record: a million allocations cost 4% of
        // a binary export.
        var lastHash = ChainHash.genesis.bytes
        var total = 0
        try log.readSnapshot(
            from: from,
            through: through,
            start: { head, previous in
                guard from <= head.position + 1 else {
                    throw ExportFileError(
                        .nothingToExport,
                        "the log ends at position \(head.position): nothing to export from \(from)"
                    )
                }
                header.through = min(through, head.position)
                header.previousHash = previous
                header.carriesUniqueKeys = from == 1 && through >= head.position
                lastHash = previous.bytes
                total = Int(header.through - min(from, header.through + 1) + 1)
                progress(ExportProgress(eventsWritten: 0, eventsTotal: total))
                try sink.write { writeHeader(header, into: &$0) }
            },
            record: { record in
                events += 1
                if events % 16_384 == 0 { progress(ExportProgress(eventsWritten: Int(events), eventsTotal: total)) }
                lastHash.withUnsafeMutableBytes { $0.copyMemory(from: record.hashBytes) }
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
        progress(ExportProgress(eventsWritten: Int(events), eventsTotal: total))
        let end = ExportFormat.End(events: events, uniqueKeys: keys, lastHash: ChainHash(bytes: lastHash))
        try sink.write { writeEnd(end, into: &$0) }
        try sink.finish()
        return ExportSummary(
            from: from,
            through: header.through,
            events: events,
            uniqueKeys: keys,
            fileBytes: sink.fileBytes
        )
    }

    // MARK: - Lines and frames

    private func writeHeader(_ header: ExportFormat.Header, into output: inout [UInt8]) {
        switch format {
        case .ndjson:
            output.append(
                contentsOf:
                    #"{"rapportExport":\#(ExportFormat.version),"encoding":"ndjson","from":\#(header.from),"through":\#(header.through),"previousHash":"\#(header.previousHash.hex)","uniqueKeys":\#(header.carriesUniqueKeys)}"#
                    .utf8
            )
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
            output.append(
                contentsOf:
                    #"{"end":{"events":\#(end.events),"uniqueKeys":\#(end.uniqueKeys),"lastHash":"\#(end.lastHash.hex)"}}"#
                    .utf8
            )
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

/// How far an export has come.
public struct ExportProgress: Sendable, Hashable {
    /// Events written so far.
    public var eventsWritten: Int
    /// Events the export will hold.
    public var eventsTotal: Int

    /// Says how far an export has come.
    public init(eventsWritten: Int, eventsTotal: Int) {
        self.eventsWritten = eventsWritten
        self.eventsTotal = eventsTotal
    }
}

/// What an export wrote.
public struct ExportSummary: Sendable, Hashable {
    /// The first position of the range.
    public var from: UInt64
    /// The last position written (the head, when the range went past it).
    public var through: UInt64
    /// Events written.
    public var events: UInt64
    /// Unique keys written: the whole table for an export of the whole log, else 0.
    public var uniqueKeys: UInt64
    /// The file's size.
    public var fileBytes: Int
}
