import CRMSchema
import EventStore
import Foundation
import LogArchive
import RapportTestSupport

/// A log of a few events made to exercise every part of an export: a catalogued CRM event
/// (its `data` is protobuf JSON), events of an unknown type (base64 `data`), text that JSON
/// must escape, correlation ids, and two reserved unique keys.
enum SmallLog {
    static let eventCount = 7
    static let keyCount = 2

    /// Makes the log in a new directory at `path`.
    static func make(at path: String) async throws -> LMDBEventLog {
        let log = try openLog(at: path)
        var lead = CRMLeadCreated()
        lead.leadID = "lead-1"
        lead.companyName = "北京星辰科技有限公司"
        lead.phone = "+8613800138000"
        let encoded = try EventCatalogue.crm.encode(lead)
        let created = EventData(
            type: encoded.typeName,
            schemaVersion: encoded.schemaVersion,
            payload: encoded.payload,
            metadata: EventMetadata(actor: "rep \"one\"\n", correlationID: UUID())
        )
        _ = try await log.append(
            AppendRequest(
                [StreamAppend(stream: stream("lead-1"), events: [created])],
                reserving: [(try UniqueKey("phone:+8613800138000"), stream("lead-1"))]
            )
        )
        try await log.append(to: stream("customer-1"), (0..<4).map { testEvent(payload: "{\"n\":\($0)}") })
        _ = try await log.append(
            AppendRequest(
                [
                    StreamAppend(
                        stream: stream("customer-2"),
                        events: [testEvent("test.Other", actor: "tab\there"), testEvent()]
                    )
                ],
                reserving: [(try UniqueKey("email:a@example.com"), stream("customer-2"))]
            )
        )
        return log
    }

    /// Every event of `log` and its unique-key table, read in one snapshot.
    static func contents(of log: LMDBEventLog) throws -> (events: [RecordedEvent], keys: [UniqueKeyOwnership]) {
        var events: [RecordedEvent] = []
        var keys: [UniqueKeyOwnership] = []
        try log.readSnapshot(
            start: { _, _ in },
            record: { events.append($0.decode()) },
            uniqueKeys: { keys.append($0) }
        )
        return (events, keys)
    }
}

/// Opens (or creates) a log at `path` with small defaults suited to tests.
func openLog(at path: String) throws -> LMDBEventLog {
    var options = LMDBEventLog.Options()
    options.durability = .none
    options.initialMapSize = 16 << 20
    return try LMDBEventLog(directory: path, options: options)
}

/// Every item of the export at `path`, read as `rapport import` reads it.
func readItems(_ path: String) throws -> [ImportItem] {
    var reader = try ImportReader(path: path)
    var items: [ImportItem] = []
    while let chunk = try reader.next() { items += chunk }
    return items
}

/// Imports the export at `path` into `log`, as `rapport import` does.
@discardableResult
func importFile(
    _ path: String,
    into log: LMDBEventLog,
    batchSize: Int = LogImporter.defaultBatchSize
) async throws -> LogImporter {
    var reader = try ImportReader(path: path)
    var importer = try LogImporter(log: log, batchSize: batchSize)
    while let items = try reader.next() {
        for item in items { try await importer.take(item) }
    }
    try await importer.finish()
    return importer
}
