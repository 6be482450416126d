import EventStore
import Foundation
import LogArchive
import RapportTestSupport
import Testing

/// An export written by ``LogExporter`` and read back by ``ImportReader`` and ``LogImporter``
/// reproduces the log: every event, the chain, the unique keys.
@Suite("Export and import round trips")
struct RoundTripTests {
    let directory = TemporaryDirectory("log-archive")
    @Test(
        "a small log goes through a file and back unchanged",
        arguments: ExportFormat.Encoding.allCases,
        [true, false]
    )
    func roundTrip(format: ExportFormat.Encoding, compressed: Bool) async throws {
        let source = try await SmallLog.make(at: directory.appending("source"))
        let path = directory.appending("log")
        var reported: [ExportProgress] = []
        let summary = try LogExporter(format: format).export(
            source,
            to: ExportSink(path: path, compressionLevel: compressed ? 3 : nil)
        ) { reported.append($0) }
        #expect(summary.events == UInt64(SmallLog.eventCount))
        #expect(summary.uniqueKeys == UInt64(SmallLog.keyCount))
        #expect(summary.through == UInt64(SmallLog.eventCount))
        let fileSize = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(summary.fileBytes == fileSize)
        #expect(reported.last == ExportProgress(eventsWritten: SmallLog.eventCount, eventsTotal: SmallLog.eventCount))

        let copy = try openLog(at: directory.appending("copy"))
        let importer = try await importFile(path, into: copy, batchSize: 3)
        #expect(importer.imported == SmallLog.eventCount)
        #expect(importer.keys == SmallLog.keyCount)
        #expect(try copy.head() == source.head())
        let original = try SmallLog.contents(of: source)
        let imported = try SmallLog.contents(of: copy)
        #expect(imported.events == original.events)
        #expect(imported.keys == original.keys)
        #expect(try copy.verify().isIntact)

        // A second run finds every event in place and appends nothing.
        let again = try await importFile(path, into: copy)
        #expect(again.imported == 0)
        #expect(again.skipped == SmallLog.eventCount)
        await source.close()
        await copy.close()
    }

    @Test("a range export carries no unique keys and continues a log whose head is where it starts")
    func rangeExport() async throws {
        let source = try await SmallLog.make(at: directory.appending("source"))
        let first = directory.appending("first")
        let rest = directory.appending("rest")
        _ = try LogExporter(format: .binary).export(
            source,
            through: 3,
            to: ExportSink(path: first, compressionLevel: nil)
        )
        let summary = try LogExporter(format: .ndjson).export(
            source,
            from: 4,
            to: ExportSink(path: rest, compressionLevel: 1)
        )
        #expect(summary.events == UInt64(SmallLog.eventCount - 3))
        #expect(summary.uniqueKeys == 0)

        let copy = try openLog(at: directory.appending("copy"))
        let early = await #expect(throws: ImportError.self) { try await importFile(rest, into: copy) }
        #expect(early?.code == .logMismatch)
        try await importFile(first, into: copy)
        try await importFile(rest, into: copy)
        #expect(try copy.head() == source.head())
        #expect(try SmallLog.contents(of: copy).keys.isEmpty)
        await source.close()
        await copy.close()
    }

    @Test("exporting from past the head is refused with its code")
    func nothingToExport() async throws {
        let source = try await SmallLog.make(at: directory.appending("source"))
        let path = directory.appending("log")
        let error = #expect(throws: ExportFileError.self) {
            try LogExporter(format: .ndjson).export(
                source,
                from: 100,
                to: ExportSink(path: path, compressionLevel: nil)
            )
        }
        #expect(error?.code == .nothingToExport)
        #expect(error?.description == "the log ends at position 7: nothing to export from 100")
        await source.close()
    }
}
