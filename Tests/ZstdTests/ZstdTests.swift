import Testing
import Zstd

@Suite("zstd")
struct ZstdTests {
    /// Event-like JSON records sharing most of their structure, as a log's do.
    private func records(_ count: Int, seed: Int = 0) -> [[UInt8]] {
        (0..<count).map { index in
            let n = index + seed
            let text = """
                {"type":"crm.v1.FollowUpLogged","customerId":"customer-\(n * 7919 % 100_000)","rep":"rep-\(n % 40)",\
                "channel":"\(["call", "visit", "email", "im"][n % 4])","note":"discussed renewal \(n % 13)",\
                "nextContact":"2026-\(10 + n % 3)-\(10 + n % 18)"}
                """
            return Array(text.utf8)
        }
    }

    @Test("compress and decompress round-trip, with and without a dictionary")
    func roundTrip() throws {
        let compressor = try ZstdCompressor()
        let decompressor = try ZstdDecompressor()
        for record in records(50) + [[], Array(repeating: 0, count: 100_000)] {
            #expect(try decompressor.decompress(compressor.compress(record)) == record)
        }
        let dictionary = try ZstdDictionary.train(samples: records(2_000), capacity: 16 * 1024)
        let withDictionary = try ZstdCompressor(level: 3, dictionary: dictionary)
        let decompressWithDictionary = try ZstdDecompressor(dictionary: dictionary)
        for record in records(50, seed: 5_000) {
            #expect(try decompressWithDictionary.decompress(withDictionary.compress(record)) == record)
        }
    }

    @Test("a trained dictionary compresses small records several times better")
    func dictionaryRatio() throws {
        let dictionary = try ZstdDictionary.train(samples: records(2_000), capacity: 16 * 1024)
        #expect(dictionary.id != 0)
        let plain = try ZstdCompressor()
        let trained = try ZstdCompressor(dictionary: dictionary)
        let sample = records(500, seed: 10_000)
        let original = sample.reduce(0) { $0 + $1.count }
        let plainSize = try sample.reduce(0) { $0 + (try plain.compress($1).count) }
        let trainedSize = try sample.reduce(0) { $0 + (try trained.compress($1).count) }
        #expect(Double(original) / Double(trainedSize) > 2.5, "ratio \(Double(original) / Double(trainedSize))")
        #expect(trainedSize * 2 < plainSize)
    }

    @Test("corrupt, truncated and foreign input give typed errors")
    func corruptInput() throws {
        let compressor = try ZstdCompressor()
        let decompressor = try ZstdDecompressor()
        let frame = try compressor.compress(records(1)[0])
        #expect(throws: ZstdError.self) { try decompressor.decompress(Array("not zstd at all".utf8)) }
        let truncated = #expect(throws: ZstdError.self) { try decompressor.decompress(Array(frame.dropLast(3))) }
        #expect(truncated?.code == .corruptFrame)
        var flipped = frame
        flipped[flipped.count / 2] ^= 0xFF
        #expect(throws: ZstdError.self) { try decompressor.decompress(flipped) }
        let tooLarge = #expect(throws: ZstdError.self) {
            try decompressor.decompress(compressor.compress(Array(repeating: 1, count: 10_000)), limit: 1_000)
        }
        #expect(tooLarge?.code == .contentTooLarge)
    }

    @Test("a frame made with a dictionary needs that dictionary")
    func dictionaryMismatch() throws {
        let dictionary = try ZstdDictionary.train(samples: records(2_000), capacity: 16 * 1024)
        let frame = try ZstdCompressor(dictionary: dictionary).compress(records(1, seed: 3)[0])
        let error = #expect(throws: ZstdError.self) { try ZstdDecompressor().decompress(frame) }
        #expect(error?.code == .dictionaryMismatch)
    }

    @Test("training on nothing fails with a typed error")
    func trainingFailure() {
        let empty = #expect(throws: ZstdError.self) { try ZstdDictionary.train(samples: []) }
        #expect(empty?.code == .trainingFailed)
        let tooFew = #expect(throws: ZstdError.self) { try ZstdDictionary.train(samples: [[1, 2, 3]]) }
        #expect(tooFew?.code == .trainingFailed)
    }
}
