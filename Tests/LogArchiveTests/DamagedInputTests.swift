import EventStore
import Foundation
import LogArchive
import RapportTestSupport
import Testing

/// A damaged or cut export stops the reading with the typed error, and the line (NDJSON) or
/// byte offset (binary) where the damage is.
@Suite("Damaged exports")
struct DamagedInputTests {
    let files = TemporaryDirectory("log-archive-damaged")

    /// The small log exported in `format`, as the file's bytes.
    private func export(_ format: ExportFormat.Encoding, compressed: Bool = false) async throws -> Data {
        let log = try await SmallLog.make(at: files.appending("source-\(format)-\(compressed)"))
        let path = files.appending("export-\(format)-\(compressed)")
        _ = try LogExporter(format: format).export(
            log,
            to: ExportSink(path: path, compressionLevel: compressed ? 3 : nil)
        )
        await log.close()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Writes `bytes` to a file and reads it to the end, expecting an ``ImportError``.
    private func readError(_ bytes: Data, _ name: String) throws -> ImportError? {
        let path = files.appending(name)
        try bytes.write(to: URL(fileURLWithPath: path))
        return #expect(throws: ImportError.self) { try readItems(path) }
    }

    /// The NDJSON export's lines, without their newlines.
    private func lines(_ bytes: Data) -> [Data] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().map { Data($0) }
    }

    private func joined(_ lines: [Data]) -> Data {
        Data(lines.map { $0 + Data("\n".utf8) }.joined())
    }

    @Test("an NDJSON file cut in the middle of a line is truncated at that line")
    func ndjsonCut() async throws {
        let whole = try await export(.ndjson)
        let lines = lines(whole)
        // Line 1 is the header, then the events: cut the fourth line in half.
        let kept = lines.prefix(3).map { $0.count + 1 }.reduce(0, +) + lines[3].count / 2
        let error = try readError(whole.prefix(kept), "cut.ndjson")
        #expect(error?.code == .truncatedInput)
        #expect(error?.location == .line(4))
        #expect(error?.description.hasPrefix("line 4: the file ends in the middle of a line") == true)
    }

    @Test("an NDJSON file that stops after a whole line lacks its end line")
    func ndjsonWithoutEnd() async throws {
        let lines = lines(try await export(.ndjson))
        let error = try readError(joined(Array(lines.dropLast())), "no-end.ndjson")
        #expect(error?.code == .truncatedInput)
        #expect(error?.location == .line(lines.count))
    }

    @Test("an event line that is not what this build renders is corrupt at its line")
    func ndjsonChangedLine() async throws {
        var lines = lines(try await export(.ndjson))
        // Still valid JSON with the same fields, but not the canonical line.
        let spaced = String(decoding: lines[2], as: UTF8.self).replacingOccurrences(
            of: #"{"position":"#,
            with: #"{"position": "#
        )
        lines[2] = Data(spaced.utf8)
        let error = try readError(joined(lines), "changed.ndjson")
        #expect(error?.code == .corruptInput)
        #expect(error?.location == .line(3))
        #expect(error?.message.contains("position 2") == true)
    }

    @Test("a field the reader cannot check alone is caught by the log's chain, at its line")
    func ndjsonChangedActor() async throws {
        var lines = lines(try await export(.ndjson))
        let changed = String(decoding: lines[3], as: UTF8.self).replacingOccurrences(
            of: #""actor":"tester""#,
            with: #""actor":"tesTer""#
        )
        #expect(changed != String(decoding: lines[3], as: UTF8.self))
        lines[3] = Data(changed.utf8)
        let path = files.appending("actor.ndjson")
        try joined(lines).write(to: URL(fileURLWithPath: path))
        let log = try openLog(at: files.appending("target"))
        let error = await #expect(throws: ImportError.self) { try await importFile(path, into: log) }
        #expect(error?.code == .corruptInput)
        #expect(error?.location == .line(4))
        #expect(try log.head().position == 0, "the batch holding the damage appends nothing")
        await log.close()
    }

    @Test("a binary file cut inside its end frame is truncated at the frame's offset")
    func binaryCut() async throws {
        let whole = try await export(.binary)
        // The end frame is the last 5 + 48 bytes.
        let error = try readError(whole.prefix(whole.count - 10), "cut.rpx")
        #expect(error?.code == .truncatedInput)
        #expect(error?.location == .byte(whole.count - 53))
    }

    @Test("a binary frame of an unknown kind is corrupt at its offset")
    func binaryUnknownFrame() async throws {
        var bytes = try await export(.binary)
        // Magic and version (12 bytes), then the header frame (5 + 49): the first event frame.
        let firstEvent = 12 + 5 + 49
        #expect(bytes[firstEvent] == ExportFormat.FrameKind.event.rawValue)
        bytes[firstEvent] = 9
        let error = try readError(bytes, "unknown-kind.rpx")
        #expect(error?.code == .corruptInput)
        #expect(error?.location == .byte(firstEvent))
        #expect(error?.message == "unknown frame kind 9")
    }

    @Test("a binary event frame whose record is damaged is corrupt at its offset")
    func binaryDamagedRecord() async throws {
        var bytes = try await export(.binary)
        let firstEvent = 12 + 5 + 49
        // The record's first byte is its format version.
        bytes[firstEvent + 5] ^= 0xFF
        let error = try readError(bytes, "damaged-record.rpx")
        #expect(error?.code == .corruptInput)
        #expect(error?.location == .byte(firstEvent))
    }

    @Test("a binary event frame whose stream is named outside the rules is corrupt at its offset")
    func binaryInvalidStreamName() async throws {
        var bytes = try await export(.binary)
        let firstEvent = 12 + 5 + 49
        let name = try #require(bytes[firstEvent...].firstRange(of: Data("lead-1".utf8)))
        bytes[name.lowerBound] = UInt8(ascii: "-")
        let error = try readError(bytes, "bad-stream.rpx")
        #expect(error?.code == .corruptInput)
        #expect(error?.location == .byte(firstEvent))
        #expect(
            error?.message.contains("the stream \"-ead-1\" is not a stream name") == true,
            "\(String(describing: error))"
        )
    }

    @Test("a compressed file cut in its zstd frame is truncated", arguments: ExportFormat.Encoding.allCases)
    func compressedCut(format: ExportFormat.Encoding) async throws {
        let whole = try await export(format, compressed: true)
        let error = try readError(whole.prefix(whole.count / 2), "cut-\(format).zst")
        #expect(error?.code == .truncatedInput)
    }

    @Test("a file that is no export is refused before anything is read")
    func notAnExport() throws {
        let path = files.appending("notes.txt")
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ImportError.self) { _ = try ImportReader(path: path) }
        #expect(error?.code == .notAnExport)
    }
}
