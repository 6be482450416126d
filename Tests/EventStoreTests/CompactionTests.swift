import EventStore
import Foundation
import LMDB
import RapportTestSupport
import Testing

@Suite("Compacting the log into sealed chunks")
struct CompactionTests {
    /// A log of `count` events spread over 37 streams of three categories, with payloads
    /// alike enough for a dictionary to learn and different enough to tell apart.
    private func filledLog(_ directory: TemporaryDirectory, count: Int = 5_000) async throws -> LMDBEventLog {
        let log = try openTestLog(directory)
        let categories = ["customer", "lead", "contract"]
        for index in 0..<count {
            let name = "\(categories[index % 3])-\(index % 37)"
            let payload = #"{"note":"follow-up \#(index)","owner":"rep-\#(index % 7)","amount":\#(index * 13 % 9_999)}"#
            try await log.append(to: stream(name), [testEvent("test.Type\(index % 5)", payload: payload)])
        }
        return log
    }

    private var sealEverythingButTen: CompactionOptions {
        var options = CompactionOptions()
        options.keepHot = 10
        return options
    }

    @Test("reads after compaction return the same events, in every direction and through every index")
    func readsAreUnchanged() async throws {
        let directory = TemporaryDirectory("compact-reads")
        let log = try await filledLog(directory)
        let allBefore = try log.readAll()
        let backwardBefore = try log.readAll(from: 4_995, direction: .backward, limit: 2_500)
        let streamBefore = try log.readStream(stream("lead-4"))
        let streamBackwardBefore = try log.readStream(stream("customer-3"), from: 100, direction: .backward)
        let categoryBefore = try log.readCategory("contract", from: 17)
        let typeBefore = try log.readType("test.Type3")
        let headBefore = try log.head()

        let manifest = try #require(try log.compact(sealEverythingButTen))

        #expect(manifest.from == 1 && manifest.through == 4_990)
        #expect(manifest.chunks == 20)  // 4,990 events, 256 to a chunk
        #expect(manifest.hashBefore == .genesis)
        #expect(manifest.hashAfter == allBefore[4_989].hash)
        #expect(manifest.sealedBytes * 100 <= manifest.recordBytes * 40, "ratio \(manifest.ratio)")
        #expect(try log.readAll() == allBefore)
        #expect(try log.readAll(from: 4_995, direction: .backward, limit: 2_500) == backwardBefore)
        #expect(try log.readStream(stream("lead-4")) == streamBefore)
        #expect(try log.readStream(stream("customer-3"), from: 100, direction: .backward) == streamBackwardBefore)
        #expect(try log.readCategory("contract", from: 17) == categoryBefore)
        #expect(try log.readType("test.Type3") == typeBefore)
        #expect(try log.head() == headBefore)
        await log.close()

        let reopened = try openReadOnlyLog(directory)
        #expect(try reopened.readAll() == allBefore)
        let verification = try reopened.verify()
        #expect(verification.isIntact, "\(String(describing: verification.problem))")
        #expect(verification.eventsChecked == 5_000)
        let statistics = try reopened.statistics()
        #expect(statistics.sealedEvents == 4_990)
        #expect(statistics.sealedBytes == Int(manifest.sealedBytes))
        #expect(statistics.compactions == [manifest])
        await reopened.close()
    }

    @Test("appends continue after compaction, and a second compaction seals the range after the first")
    func secondCompaction() async throws {
        let directory = TemporaryDirectory("compact-twice")
        let log = try await filledLog(directory, count: 2_000)
        let first = try #require(try log.compact(sealEverythingButTen))
        let appended = try await log.append(
            to: stream("lead-4"),
            [testEvent(payload: "after"), testEvent(payload: "after 2")]
        )
        #expect(appended.lastPosition == 2_002)
        for index in 0..<1_500 {
            try await log.append(to: stream("customer-\(index % 11)"), [testEvent(payload: "more \(index)")])
        }
        let before = try log.readAll()

        let second = try #require(try log.compact(sealEverythingButTen))

        #expect(second.from == first.through + 1)
        #expect(second.hashBefore == first.hashAfter)
        #expect(second.through == 3_492)
        #expect(try log.readAll() == before)
        #expect(
            try log.readStream(stream("lead-4")).last?.streamVersion
                == before.filter { $0.stream == stream("lead-4") }.last?.streamVersion
        )
        #expect(try log.verify().isIntact)
        #expect(try log.statistics().compactions == [first, second])
        #expect(try log.compact(sealEverythingButTen) == nil, "nothing is left outside the hot tail")
        await log.close()
    }

    @Test("a small range is sealed without a dictionary, and a record past the hot tail is never sealed")
    func smallRange() async throws {
        let directory = TemporaryDirectory("compact-small")
        let log = try await filledLog(directory, count: 50)
        var options = CompactionOptions()
        options.keepHot = 0
        options.chunkEvents = 16
        let manifest = try #require(try log.compact(options))
        #expect(manifest.through == 49, "the head stays hot even with keepHot 0")
        #expect(manifest.dictionaryID == 0)
        #expect(manifest.chunks == 4)
        #expect(try log.readAll().map(\.position) == Array(1...50))
        #expect(try log.verify().isIntact)
        await log.close()
    }

    @Test("the first position recorded at a time is found by binary search, hot or sealed")
    func firstPositionAtTime() async throws {
        let directory = TemporaryDirectory("compact-time")
        let log = try openTestLog(directory)
        for index in 0..<1_200 {
            try await log.append(to: stream("lead-\(index % 9)"), [testEvent(payload: "\(index)")])
            if index % 300 == 0 { try await Task.sleep(for: .milliseconds(2)) }
        }
        let events = try log.readAll()
        let probes =
            [0, 1, 299, 300, 301, 777, 1_199].map { events[$0].recordedAt }
            + [
                Timestamp(nanosecondsSinceEpoch: 0),
                Timestamp(nanosecondsSinceEpoch: events.last!.recordedAt.nanosecondsSinceEpoch + 1),
            ]
        func expected(_ time: Timestamp) -> UInt64 { events.first { $0.recordedAt >= time }?.position ?? 1_201 }
        for time in probes { #expect(try log.firstPosition(recordedAtOrAfter: time) == expected(time)) }
        var options = CompactionOptions()
        options.keepHot = 100
        _ = try log.compact(options)
        for time in probes { #expect(try log.firstPosition(recordedAtOrAfter: time) == expected(time)) }
        await log.close()
    }

    @Test("a read-only log refuses to compact")
    func readOnlyRefuses() async throws {
        let directory = TemporaryDirectory("compact-read-only")
        await (try await filledLog(directory, count: 20)).close()
        let log = try openReadOnlyLog(directory)
        #expect(throws: EventStoreError.self) { try log.compact() }
        await log.close()
    }

    @Test("reclaiming space shrinks the file and keeps every event")
    func reclaim() async throws {
        let directory = TemporaryDirectory("compact-reclaim")
        let log = try await filledLog(directory, count: 20_000)
        let before = try log.readAll()
        _ = try log.compact(sealEverythingButTen)
        await log.close()

        let reclaimed = try LMDBEventLog.reclaimSpace(in: directory.path)

        #expect(reclaimed.bytesAfter < reclaimed.bytesBefore / 2, "\(reclaimed)")
        let reopened = try openTestLog(directory)
        #expect(try reopened.readAll() == before)
        #expect(try reopened.verify().isIntact)
        let appended = try await reopened.append(to: stream("lead-1"), [testEvent(payload: "after reclaiming")])
        #expect(appended.lastPosition == 20_001)
        await reopened.close()
        #expect(!FileManager.default.fileExists(atPath: directory.appending(".reclaim-\(getpid())")))
    }

    @Test("reclaiming space is refused while a writer holds the log")
    func reclaimRefusedBesideWriter() async throws {
        let directory = TemporaryDirectory("compact-reclaim-writer")
        let log = try await filledLog(directory, count: 100)
        #expect {
            try LMDBEventLog.reclaimSpace(in: directory.path)
        } throws: { ($0 as? EventStoreError)?.code == .writerLocked }
        #expect(try log.readAll().count == 100)
        await log.close()
    }
}

@Suite("Verifying a compacted log")
struct CompactedVerifyTests {
    /// A compacted log of 3,000 events (positions 1–2,990 sealed in chunks of 256), closed.
    private func compactedLog(_ directory: TemporaryDirectory) async throws -> CompactionManifest {
        let log = try openTestLog(directory)
        for index in 0..<3_000 {
            try await log.append(
                to: stream("customer-\(index % 29)"),
                [testEvent(payload: #"{"visit":\#(index),"by":"rep-\#(index % 5)"}"#)]
            )
        }
        var options = CompactionOptions()
        options.keepHot = 10
        let manifest = try #require(try log.compact(options))
        await log.close()
        return manifest
    }

    /// Changes the log's LMDB file the way a tamperer with write access would.
    private func tamper(
        _ directory: TemporaryDirectory,
        _ change: (borrowing WriteTransaction, _ chunks: Database, _ compactions: Database) throws -> Void
    ) throws {
        let environment = try Environment(path: directory.path, options: Environment.Options())
        defer { environment.close() }
        try environment.withWriteTransaction { txn in
            try change(txn, try txn.openDatabase("chunks"), try txn.openDatabase("compactions"))
        }
    }

    private func verification(of directory: TemporaryDirectory) async throws -> ChainVerification {
        let log = try openReadOnlyLog(directory)
        let verification = try log.verify()
        await log.close()
        return verification
    }

    private func key(_ position: UInt64) -> [UInt8] { withUnsafeBytes(of: position.bigEndian, Array.init) }

    @Test("a flipped byte inside a sealed chunk is reported within that chunk")
    func flippedChunkByte() async throws {
        let directory = TemporaryDirectory("sealed-flip")
        _ = try await compactedLog(directory)
        try tamper(directory) { txn, chunks, _ in
            var value = Array(try #require(try txn.get(key(513), in: chunks)))
            value[value.count / 2] ^= 0x40
            try txn.put(value, for: key(513), in: chunks)
        }
        let result = try await verification(of: directory)
        let problem = try #require(result.problem)
        // zstd either refuses the frame (the whole chunk is unreadable from its start) or
        // decodes altered bytes, which break the chain at the first record they land in.
        #expect((513...768).contains(problem.position))
        #expect([.undecodable, .hashMismatch].contains(problem.kind))
        #expect(result.eventsChecked == problem.position - 1)
    }

    @Test("a removed chunk is a gap")
    func removedChunk() async throws {
        let directory = TemporaryDirectory("sealed-removed")
        _ = try await compactedLog(directory)
        try tamper(directory) { txn, chunks, _ in
            let removed = try txn.delete(key(257), in: chunks)
            #expect(removed)
        }
        let problem = try #require(try await verification(of: directory).problem)
        #expect(problem.position == 257)
        #expect(problem.kind == .gap)
    }

    @Test("a manifest whose end hash was altered no longer matches the chain")
    func alteredManifest() async throws {
        let directory = TemporaryDirectory("sealed-manifest")
        let manifest = try await compactedLog(directory)
        try tamper(directory) { txn, _, compactions in
            var value = Array(try #require(try txn.get(key(1), in: compactions)))
            // The end hash follows from, through, chunks (u64 each), the dictionary id (u32)
            // and the hash before (32 bytes).
            value[28 + 32] ^= 0xFF
            try txn.put(value, for: key(1), in: compactions)
        }
        let problem = try #require(try await verification(of: directory).problem)
        #expect(problem.position == manifest.through)
        #expect(problem.kind == .manifestMismatch)
    }

    @Test("a removed manifest leaves sealed chunks no manifest describes")
    func removedManifest() async throws {
        let directory = TemporaryDirectory("sealed-no-manifest")
        _ = try await compactedLog(directory)
        try tamper(directory) { txn, _, compactions in
            let removed = try txn.delete(key(1), in: compactions)
            #expect(removed)
        }
        let problem = try #require(try await verification(of: directory).problem)
        #expect(problem.kind == .manifestMismatch)
        #expect(problem.position == 1)
    }

    @Test("a break in the hot tail refuses the compaction and seals nothing")
    func brokenChainIsNotSealed() async throws {
        let directory = TemporaryDirectory("sealed-refuse")
        let log = try openTestLog(directory)
        for index in 1...2_000 {
            let marker = index == 1_500 ? "MARKER-TO-FLIP" : "payload"
            try await log.append(
                to: stream("lead-\(index % 13)"),
                [testEvent(payload: "{\"note\":\"\(marker) \(index)\"}")]
            )
        }
        await log.close()
        try #require(try flipStoredByte(of: "MARKER-TO-FLIP", in: directory))

        let reopened = try openTestLog(directory)
        var options = CompactionOptions()
        options.keepHot = 10
        #expect {
            try reopened.compact(options)
        } throws: { ($0 as? EventStoreError)?.position == 1_500 }
        let statistics = try reopened.statistics()
        // Chunks before the break's transaction stay sealed: 64 chunks of 256 fill the first
        // transaction (positions 1–16,384), which holds the break, so nothing was sealed.
        #expect(statistics.sealedEvents == 0)
        #expect(try reopened.verify().problem?.position == 1_500)
        await reopened.close()
    }
}
