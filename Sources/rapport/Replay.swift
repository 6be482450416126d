import ArgumentParser
import EventStore
import Foundation
import LogArchive

extension Rapport {
    /// Prints events as canonical JSON, one per line.
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print events as canonical JSON, one per line, by position or recorded time, filtered.",
            discussion: """
                Opens the log read-only, so it runs beside the process that appends. Ranges are \
                inclusive; filters of one kind are alternatives (--type A --type B), filters of \
                different kinds must all match. Each line holds position, stream, streamVersion, id, \
                type, schemaVersion, contentType, recordedAt, occurredAt (RFC 3339, nanoseconds), \
                actor, correlationID, causationID and data (the payload as protobuf JSON, or base64 \
                when its type is unknown), in that order. Examples:
                  rapport replay --from 1 --to 100
                  rapport replay --category customer --type crm.v1.CustomerClaimed
                  rapport replay --stream customer-42 --as-of 2026-11-01T00:00:00Z
                  rapport replay --from-time 2026-10-01T00:00:00Z --to-time 2026-10-31T23:59:59Z | jq .data
                """
        )

        @OptionGroup var log: LogOptions

        @Option(help: "The first position (default: 1).")
        var from: UInt64?

        @Option(help: "The last position (default: the head).")
        var to: UInt64?

        @Option(
            name: .customLong("from-time"),
            help: "Only events recorded at or after this ISO 8601 time.",
            transform: parseTime
        )
        var fromTime: Date?

        @Option(
            name: .customLong("to-time"),
            help: "Only events recorded at or before this ISO 8601 time.",
            transform: parseTime
        )
        var toTime: Date?

        @Option(
            name: .customLong("as-of"),
            help: "The log as it stood at this ISO 8601 time: events recorded at or before it.",
            transform: parseTime
        )
        var asOf: Date?

        @Option(help: "Only this stream (repeatable).")
        var stream: [String] = []

        @Option(help: "Only streams of this category (repeatable).")
        var category: [String] = []

        @Option(help: "Only this event type (repeatable).")
        var type: [String] = []

        func validate() throws {
            if from == 0 { throw ValidationError("--from is a position, counted from 1") }
            if let from, let to, to < from { throw ValidationError("--to \(to) is before --from \(from)") }
            if toTime != nil && asOf != nil {
                throw ValidationError("--as-of and --to-time both set the end time: give one")
            }
            if let fromTime, let end = toTime ?? asOf, end < fromTime {
                throw ValidationError("the end time is before --from-time")
            }
            for name in stream {
                do {
                    _ = try StreamName(name)
                } catch {
                    throw ValidationError("--stream: \(error.message)")
                }
            }
        }

        func run() async throws {
            try await reportingErrors {
                let eventLog = try log.openReadOnly()
                var selection = ReplaySelection(
                    from: from ?? 1,
                    to: to ?? .max,
                    fromTime: fromTime.map(Timestamp.init),
                    toTime: (toTime ?? asOf).map(Timestamp.init),
                    streams: Set(stream),
                    filter: EventFilter(
                        categories: category.isEmpty ? nil : Set(category),
                        types: type.isEmpty ? nil : Set(type)
                    )
                )
                let line = EventLine()
                var output = OutputBuffer()
                let progress = ProgressLine(unit: "positions")
                do {
                    let head = try eventLog.head().position
                    let last = min(selection.to, head)
                    let first = min(selection.from, last + 1)
                    var nextUpdate = first
                    var failure: OutputError?
                    try selection.scan(eventLog) { record in
                        do throws(OutputError) {
                            try output.line { line.render(record, withStoredBytes: false, into: &$0) }
                        } catch {
                            // Thrown through the scan it would read as the log's own failure.
                            failure = error
                            return false
                        }
                        // Filtered replays print few of the positions they pass: count positions.
                        if record.position >= nextUpdate {
                            progress.update(Int(record.position - first + 1), total: Int(last - first + 1))
                            nextUpdate = record.position + 16_384
                        }
                        return true
                    }
                    if let failure { throw failure }
                    try output.flush()
                    progress.update(Int(last - first + 1), total: Int(last - first + 1))
                    progress.finish()
                } catch {
                    await eventLog.close()
                    throw error
                }
                await eventLog.close()
            }
        }
    }
}

/// Which events a replay prints, and the walk that finds them.
struct ReplaySelection {
    var from: UInt64
    var to: UInt64
    var fromTime: Timestamp?
    var toTime: Timestamp?
    var streams: Set<String>
    var filter: EventFilter

    /// Hands `body` each selected record in position order, until it returns `false`.
    ///
    /// Recorded times never decrease along the log, so the walk starts at the first event
    /// recorded at the start time (found by a binary search) and stops at the first one
    /// recorded after the end time.
    mutating func scan(_ log: LMDBEventLog, _ body: (borrowing RecordView) throws -> Bool) throws {
        let streamBytes = streams.map { Array($0.utf8) }
        let start = try fromTime.map { max(from, try log.firstPosition(recordedAtOrAfter: $0)) } ?? from
        try log.scan(from: start, filter: filter) { record in
            guard record.position <= to else { return false }
            let recordedAt = record.recordedAt
            if let toTime, recordedAt > toTime { return false }
            if let fromTime, recordedAt < fromTime { return true }
            if !streamBytes.isEmpty {
                let name = record.streamBytes
                guard streamBytes.contains(where: { name.elementsEqual($0) }) else { return true }
            }
            return try body(record)
        }
    }
}
