import CRMSchema
import Foundation
import FuzzDriver
import FuzzRows
import SwiftProtobuf
import Zstd

@testable import EventStore
@testable import LogArchive
@testable import Projections

/// Writes the seed corpora of the fuzz targets, `Fuzz/Corpus/<target>/`, from a small real
/// log: its stored records, sealed chunks and compaction manifest, its exports in both
/// encodings (plain and compressed), rows of every shape, its payloads and command bodies.
///
/// Built like the fuzz targets (it links libFuzzer too, whose driver it never starts).
/// Usage: `FuzzSeeds <corpus folder>`; run by `Tools/fuzz-parsers --seeds`.
@_cdecl("FuzzSeeds_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    guard argc == 2, let argument = argv?[1] else {
        print("usage: FuzzSeeds <corpus folder>")
        return 2
    }
    let corpus = String(cString: argument)
    let done = DispatchSemaphore(value: 0)
    let outcome = Outcome()
    Task {
        do {
            try await SeedWriter(corpus: corpus).writeAll()
        } catch {
            print("FuzzSeeds: \(error)")
            outcome.failed = true
        }
        done.signal()
    }
    done.wait()
    return outcome.failed ? 1 : 0
}

/// Whether writing failed; set by the task, read once it signalled.
private final class Outcome: @unchecked Sendable {
    var failed = false
}

/// Never called: the seed writer links libFuzzer like the targets, which needs the symbol.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt { 0 }

struct SeedWriter {
    let corpus: String
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-fuzz-seeds-\(getpid())").path

    func writeAll() async throws {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var options = LMDBEventLog.Options()
        options.durability = .none
        let log = try LMDBEventLog(directory: scratch + "/log", options: options)
        try await appendHistory(to: log)

        var records: [[UInt8]] = []
        try log.readSnapshot(start: { _, _ in }, record: { records.append(Array($0.storedBytes)) })
        for (index, record) in records.enumerated() {
            try write("FuzzRecordDecoder", "record-\(index + 1)", record)
        }
        try writeExports(of: log)
        try writeChunks(records)

        var compaction = CompactionOptions()
        (compaction.keepHot, compaction.chunkEvents) = (3, 4)
        if let manifest = try log.compact(compaction) {
            try write("FuzzCompactionManifest", "manifest", manifest.encoded())
        }
        await log.close()
        try writeRows()
        try writePayloads(records)
        try writeCommandBodies()
    }

    // MARK: - The log

    private func appendHistory(to log: LMDBEventLog) async throws {
        let catalogue = EventCatalogue.crm
        let customer = try StreamName("customer-c1")
        let lead = try StreamName("lead-l1")
        let start = Timestamp(nanosecondsSinceEpoch: 1_793_000_000_000_000_000)
        let correlation = UUID(uuidString: "0193a7b2-0000-7000-8000-000000000001")!

        var created = CRMLeadCreated()
        (created.leadID, created.companyName, created.contactName) = ("l1", "上海示例科技有限公司", "王芳")
        (created.phone, created.email, created.source) = ("+8613800000000", "wang@example.cn", "trade-show")
        try await log.append(
            to: lead,
            expecting: .noStream,
            [event(try catalogue.encode(created), EventMetadata(actor: "rep-1", correlationID: correlation))]
        )

        var customerCreated = CRMCustomerCreated()
        (customerCreated.customerID, customerCreated.name, customerCreated.creditCode) = (
            "c1", "上海示例科技有限公司", "91310000MA1FL0000X"
        )
        (customerCreated.phone, customerCreated.email, customerCreated.region) = (
            "+8613800000000", "wang@example.cn", "华东"
        )
        let request = AppendRequest(
            [
                StreamAppend(
                    stream: customer,
                    expectedVersion: .noStream,
                    events: [
                        event(
                            try catalogue.encode(customerCreated),
                            EventMetadata(actor: "rep-1", correlationID: correlation, causationID: correlation)
                        )
                    ]
                )
            ],
            reserving: [
                (try UniqueKey("phone:+8613800000000"), customer),
                (try UniqueKey("credit:91310000MA1FL0000X"), customer),
            ]
        )
        _ = try await log.append(request)

        var followUp = CRMFollowUpLogged()
        (followUp.followUpID, followUp.customerID, followUp.channel, followUp.note) = ("f1", "c1", .call, "回访：报价已发送")
        followUp.nextContactAt = Google_Protobuf_Timestamp(seconds: 1_793_100_000, nanos: 5)
        var old = CRMFollowUpLoggedV1()
        (old.followUpID, old.customerID, old.channel, old.note, old.nextContactDate) = (
            "f0", "c1", "visit", "first visit", "2026-10-30"
        )
        try await log.append(
            to: customer,
            [
                event(try catalogue.encode(followUp), EventMetadata(actor: "rep-1", occurredAt: start)),
                EventData(
                    type: CRMFollowUpLogged.protoMessageName,
                    schemaVersion: 1,
                    payload: try old.serializedBytes(),
                    metadata: EventMetadata(actor: "import")
                ),
                EventData(
                    type: "test.NotInTheCatalogue",
                    payload: [0, 1, 2, 0xFF],
                    metadata: EventMetadata(actor: "")
                ),
            ]
        )
        for name in ["CRMCustomerTagged", "CRMCustomerOwnershipChanged", "CRMPoolReleaseWarned"] {
            let message: any SwiftProtobuf.Message =
                switch name {
                case "CRMCustomerTagged": CRMCustomerTagged()
                case "CRMCustomerOwnershipChanged": CRMCustomerOwnershipChanged()
                default: CRMPoolReleaseWarned()
                }
            try await log.append(to: customer, [event(try catalogue.encode(message), EventMetadata(actor: "system"))])
        }
    }

    private func event(_ encoded: EventCatalogue.EncodedEvent, _ metadata: EventMetadata) -> EventData {
        EventData(
            type: encoded.typeName,
            schemaVersion: encoded.schemaVersion,
            payload: encoded.payload,
            metadata: metadata
        )
    }

    /// Whole and range exports, NDJSON and binary, plain and compressed: each target's own
    /// encoding through its parser, and every file once more through `ImportReader`.
    private func writeExports(of log: LMDBEventLog) throws {
        for format in ExportFormat.Encoding.allCases {
            for (name, from, level) in [
                ("whole", UInt64(1), Int32?.none), ("range", UInt64(3), nil), ("whole-zstd", 1, 3),
            ] {
                let path = "\(scratch)/\(format.rawValue)-\(name)"
                _ = try LogExporter(format: format).export(
                    log,
                    from: from,
                    to: try ExportSink(path: path, compressionLevel: level)
                )
                let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                if level == nil {
                    let target = format == .ndjson ? "FuzzNDJSONImport" : "FuzzBinaryImport"
                    try write(target, "\(format.rawValue)-\(name)", [0xFF] + file)  // 256-byte chunks
                    try write(target, "\(format.rawValue)-\(name)-split", [6] + file)  // 7-byte chunks
                }
                try write("FuzzBinaryImport", "reader-\(format.rawValue)-\(name)", [0x80] + file)
                try write("FuzzLogImport", "\(format.rawValue)-\(name)", file)
            }
        }
    }

    /// Chunks sealed the way `compact` seals them, stored (mode 0) and with their content
    /// given plain for the target to compress (mode 1).
    private func writeChunks(_ records: [[UInt8]]) throws {
        let compressor = try ZstdCompressor()
        for (index, first) in stride(from: 0, to: records.count, by: 4).enumerated() {
            let slice = Array(records[first..<min(first + 4, records.count)])
            let value = try withBuffers(slice) { try SealedChunk.seal($0, with: compressor, dictionaryID: 0) }
            var position = withUnsafeBytes(of: UInt64(first + 1).littleEndian, Array.init)
            try write("FuzzSealedChunk", "chunk-\(index + 1)", [0] + position + value)
            var content: [UInt8] = []
            for record in slice {
                content += withUnsafeBytes(of: UInt32(record.count).littleEndian, Array.init) + record
            }
            position = withUnsafeBytes(of: UInt64(first + 1).littleEndian, Array.init)
            try write(
                "FuzzSealedChunk",
                "chunk-\(index + 1)-plain",
                [1] + position + Array(value[..<SealedChunk.headerSize]) + content
            )
        }
    }

    private func withBuffers<R>(_ arrays: [[UInt8]], _ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R {
        var buffers: [UnsafeMutableRawBufferPointer] = []
        defer { for buffer in buffers { buffer.deallocate() } }
        for array in arrays {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: array.count, alignment: 1)
            buffer.copyBytes(from: array)
            buffers.append(buffer)
        }
        return try body(buffers.map(UnsafeRawBufferPointer.init))
    }

    // MARK: - Rows, payloads, bodies

    private func writeRows() throws {
        func row(_ selector: RowSelector, _ name: String, _ value: some Encodable) throws {
            try write("FuzzRowDecoder", "\(selector)-\(name)", [selector.rawValue] + RowEncoder.encode(value))
        }
        for (index, sample) in SampleRow.samples.enumerated() { try row(.sample, "\(index)", sample) }
        try row(.extremes, "0", Extremes())
        try row(.shapes, "0", [Shape.circle(radius: 3), .point, .square(-4)])
        try row(.listsByName, "0", ["a": [1, 2], "b": [], "ä": [.max]])
        try row(.linesByNumber, "0", [10: Line(sku: "x", quantity: 1, price: 2), -1: nil] as [Int: Line?])
        try row(.prioritiesByStage, "0", [Stage.won: Priority.high, .lost: .low])
        try row(.timestamp, "0", Timestamp(nanosecondsSinceEpoch: 1_767_225_599_123_456_789))
        try row(.dates, "0", [Date(timeIntervalSince1970: 1_767_225_599.25), Date(timeIntervalSince1970: -1)])
        try row(.decimals, "0", [Decimal(string: "-12345.678901")!, Decimal(0)])
        try row(.doubles, "0", [0.25, -.infinity, .nan, -0.0])
        try row(.grid, "0", [["a", nil], [], [String(repeating: "长", count: 30)]])
        try row(.int8, "0", Int8.min)
    }

    /// Each stored record's payload, under its type and schema version as the catalogue target reads them.
    private func writePayloads(_ records: [[UInt8]]) throws {
        let typeNames = EventCatalogue.crm.typeNames
        for (index, record) in records.enumerated() {
            let event = try record.withUnsafeBytes { try RecordedEvent(storedRecord: $0) }
            guard let type = typeNames.firstIndex(of: event.type) else { continue }
            try write(
                "FuzzEventCatalogue",
                "payload-\(index + 1)",
                [UInt8(type), UInt8(event.schemaVersion)] + event.payload
            )
        }
    }

    private func writeCommandBodies() throws {
        let bodies: [(UInt8, String, String)] = [
            (
                0, "quote",
                #"{"customerId":"c1","opportunityId":"o1","lines":[{"productId":"p1","quantity":2,"discountBasisPoints":500},{"productId":"p2","quantity":1}],"validUntil":"2026-12-31T00:00:00Z"}"#
            ),
            (
                0, "quote-unknown-field",
                #"{"customerId":"c1","lines":[{"productId":"p1","quantity":2,"discount":5}],"validUntil":"2026-12-31T00:00:00.000Z"}"#
            ),
            (
                1, "follow-up",
                #"{"contactId":"k1","channel":"call","note":"回访","nextContactAt":"2026-12-01T09:00:00.123Z","occurredAt":"2026-11-30T09:00:00Z"}"#
            ),
            (1, "follow-up-minimal", #"{"channel":"visit"}"#),
            (
                2, "pipeline",
                #"{"stages":[{"stageId":"lead","name":"Lead","order":1,"winProbabilityPercent":10},{"stageId":"won","name":"Won","order":9,"winProbabilityPercent":100}]}"#
            ),
            (
                2, "pipeline-wrong-type",
                #"{"stages":[{"stageId":"lead","name":"Lead","order":"1","winProbabilityPercent":1e400}]}"#
            ),
        ]
        for (selector, name, body) in bodies {
            try write("FuzzCommandBody", name, [selector] + Array(body.utf8))
        }
    }

    private func write(_ target: String, _ name: String, _ bytes: [UInt8]) throws {
        let folder = "\(corpus)/\(target)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/seed-\(name)"))
    }
}
