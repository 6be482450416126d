import EventStore
import Foundation
import RapportTestSupport
import Testing

@testable import LogArchive

/// Export files found by the parser fuzz targets (`Fuzz/`, RELIABILITY.md "Parser fuzzing")
/// or found while writing them: each is refused with an ``ImportError``, never trapped on.
/// Each input is also committed to its target's corpus, `Fuzz/Corpus/<target>/crash-*`.
@Suite("Export files that once trapped the import")
struct FuzzRegressionTests {
    let files = TemporaryDirectory("log-archive-fuzz-regressions")

    /// An event line whose time is a valid RFC 3339 text past what a `Timestamp` holds
    /// (after 2262 or before 1678): multiplying its seconds into nanoseconds overflowed.
    @Test(
        "a time past what a Timestamp holds is no RFC 3339 time",
        arguments: [
            "2263-01-01T00:00:00.000000000Z", "9999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00.000000000Z",
            "1677-09-21T00:12:43.145224191Z",
        ]
    )
    func timeOutOfRange(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    /// The input of `Fuzz/Corpus/FuzzNDJSONImport/crash-time-past-2262`: the small log's
    /// NDJSON export with the year of its first event's `recordedAt` made 9999.
    @Test("an event line recorded after 2262 is corrupt at its line")
    func eventLineAfter2262() async throws {
        let log = try await SmallLog.make(at: files.appending("source"))
        let exported = files.appending("export.ndjson")
        _ = try LogExporter(format: .ndjson).export(log, to: ExportSink(path: exported, compressionLevel: nil))
        await log.close()
        var text = try String(contentsOfFile: exported, encoding: .utf8)
        let year = try #require(text.range(of: #""recordedAt":"20"#))
        text.replaceSubrange(
            text.index(year.upperBound, offsetBy: -2)..<text.index(year.upperBound, offsetBy: 2),
            with: "9999"
        )
        let damaged = files.appending("after-2262.ndjson")
        try text.write(toFile: damaged, atomically: false, encoding: .utf8)
        let error = #expect(throws: ImportError.self) { try readItems(damaged) }
        #expect(error?.code == .corruptInput)
        #expect(error?.location == .line(2))
    }

    /// The earliest second is left out: `Timestamp.description`, which `appendTime` checks
    /// itself against in debug builds, overflows within a second of `Int64.min`.
    @Test("the last time a Timestamp holds, and early ones, still parse")
    func timeAtTheLimits() {
        #expect(Timestamp(rfc3339: "2262-04-11T23:47:16.854775807Z")?.nanosecondsSinceEpoch == .max)
        #expect(Timestamp(rfc3339: "1677-09-21T00:12:44.145224191Z")?.nanosecondsSinceEpoch == .min + 999_999_999)
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59.999999999Z")?.nanosecondsSinceEpoch == -1)
        #expect(Timestamp(rfc3339: "2026-11-24T09:30:00.000000001Z") != nil)
    }

    /// A binary export whose header says positions 0–0 and whose end says no events: the
    /// import's check took it for a resumption of an empty log, and `finish()` computed
    /// `from + seen - 1` = 0 - 1.
    @Test("a header whose positions are no range of a log is refused")
    func headerWithoutRange() async throws {
        for (from, through) in [(UInt64(0), UInt64(0)), (5, 3), (1, .max)] {
            var file = ExportFormat.binaryMagic + [1, 0, 0, 0]
            file += frame(.header, le(from) + le(through) + ChainHash.genesis.bytes + [0])
            file += frame(.end, le(0) + le(0) + ChainHash.genesis.bytes)
            let path = files.appending("header-\(from)-\(through).rapportx")
            try Data(file).write(to: URL(fileURLWithPath: path))
            let log = try openLog(at: files.appending("log-\(from)-\(through)"))
            let error = await #expect(throws: ImportError.self) { try await importFile(path, into: log) }
            #expect(error?.code == .corruptInput)
            await log.close()
        }
    }

    private func frame(_ kind: ExportFormat.FrameKind, _ body: [UInt8]) -> [UInt8] {
        [kind.rawValue] + withUnsafeBytes(of: UInt32(body.count).littleEndian, Array.init) + body
    }

    private func le(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
}
