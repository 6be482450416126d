import EventStore
import Foundation
import Testing

@testable import Projections

@Suite("The binary row codec")
struct RowCodecTests {
    // MARK: - Round trips

    @Test("Every supported shape comes back equal", arguments: SampleRow.samples)
    func roundTrip(_ row: SampleRow) throws {
        #expect(try decode(SampleRow.self, encode(row)) == row)
    }

    @Test("Scalars, optionals, arrays and dictionaries round trip as whole rows")
    func wholeRowShapes() throws {
        try expectRoundTrip(0)
        try expectRoundTrip(127)
        try expectRoundTrip(128)
        try expectRoundTrip(-1)
        try expectRoundTrip("")
        try expectRoundTrip(true)
        try expectRoundTrip(Timestamp(nanosecondsSinceEpoch: 1_767_225_599_123_456_789))
        try expectRoundTrip(Timestamp(nanosecondsSinceEpoch: -5))
        try expectRoundTrip([Int]())
        try expectRoundTrip([[String]]([[], ["a"], []]))
        try expectRoundTrip([Int?]([nil, 1, nil]))
        try expectRoundTrip(Int?.none)
        try expectRoundTrip(Int?.some(7))
        try expectRoundTrip([String: Int]())
        try expectRoundTrip([1: 2, -3: 4, Int.max: Int.min])
        try expectRoundTrip(["a": [1, 2], "b": []])
        try expectRoundTrip([Stage.won: 3, .lost: 1])
        try expectRoundTrip([Shape.circle(radius: 2), .square(3), .point])
        try expectRoundTrip(Empty())
        try expectRoundTrip([Empty(), Empty()])
        try expectRoundTrip(Date(timeIntervalSince1970: 1_767_225_599.25))
        try expectRoundTrip(try #require(Decimal(string: "-12345.678901")))
    }

    @Test("Extreme integers of every width keep their value")
    func extremeIntegers() throws {
        let row = Extremes()
        #expect(try decode(Extremes.self, encode(row)) == row)
        for value: Int64 in [
            .min, .min + 1, -129, -128, -127, -1, 0, 1, 63, 64, 127, 128, 255, 256, 16_383, 16_384, .max,
        ] {
            try expectRoundTrip(value)
        }
        for value: UInt64 in [0, 127, 128, 1 << 32, 1 << 63, .max - 1, .max] { try expectRoundTrip(value) }
    }

    @Test("Strings: empty, unicode, NUL, and around the short-string limit")
    func strings() throws {
        let samples = [
            "", "a", "é", "e\u{301}", "日本語のテキスト", "👩‍👩‍👧‍👦🇨🇳", "nul\u{0}inside", "\u{FFFD}",
            String(repeating: "x", count: 63), String(repeating: "x", count: 64), String(repeating: "é", count: 32),
            String(repeating: "长", count: 10_000),
        ]
        for sample in samples { try expectRoundTrip(sample) }
        try expectRoundTrip(samples)
    }

    @Test("Doubles keep their bits, infinities and NaN included")
    func doubles() throws {
        let values: [Double] = [
            0, -0.0, 1.5, -.pi, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
        ]
        let decoded = try decode([Double].self, encode(values))
        #expect(decoded.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(try decode(Float.self, encode(Float(0.1))) == Float(0.1))
    }

    @Test("Arrays and objects of 128 bytes and more, whose sizes take longer varints, round trip")
    func largeComposites() throws {
        let lines = (0..<2_000).map { Line(sku: "sku-\($0)", quantity: Int32($0), price: Int64($0) * 1_000_003) }
        try expectRoundTrip(lines)
        var row = SampleRow.samples[0]
        row.lines = lines
        row.note = String(repeating: "n", count: 300)
        #expect(try decode(SampleRow.self, encode(row)) == row)
        let nested = (0..<300).map { index in (0..<index).map { "\($0)" } }
        try expectRoundTrip(nested)
    }

    @Test("A struct encodes to the documented bytes")
    func documentedBytes() throws {
        let bytes = try encode(Pair(a: 1, b: "x", c: [-1, 300]))
        let expected: [UInt8] = [
            0xB1,  // format
            0x08, 0x11,  // an object of 17 bytes
            0x01, 0x61, 0x81,  // "a": 1
            0x01, 0x62, 0x41, 0x78,  // "b": "x"
            0x01, 0x63, 0x07, 0x06, 0x02, 0x04, 0x00, 0x03, 0xAC, 0x02,  // "c": an array of 6 bytes, 2 elements
        ]
        #expect(bytes == expected)
        // Keys in the byte order of their text: "10" before "9".
        #expect(try encode([9: true, 10: false]) == [0xB1, 0x08, 0x07, 0x02, 0x31, 0x30, 0x01, 0x01, 0x39, 0x02])
    }

    // MARK: - Determinism

    @Test("A dictionary of 1,000 keys built in two different orders encodes to the same bytes")
    func dictionaryOrder() throws {
        let keys = (0..<1_000).map { "customer-\($0 * 7_919 % 1_000)" }
        var forward = [String: Int](minimumCapacity: 1_000)
        for (index, key) in keys.enumerated() { forward[key] = index }
        var backward = [String: Int](minimumCapacity: 8_000)
        for (index, key) in keys.enumerated().reversed() { backward[key] = index }
        #expect(forward == backward)
        // The two iterate differently, so only sorting can make their bytes equal.
        #expect(Array(forward.keys) != Array(backward.keys))
        #expect(try encode(forward) == encode(backward))

        var numbers: [Int: String] = [:]
        for index in 0..<1_000 { numbers[index * 7_919 - 500_000] = "\(index)" }
        var reversedNumbers = [Int: String](minimumCapacity: 8_000)
        for (key, value) in numbers.sorted(by: { $0.key > $1.key }) { reversedNumbers[key] = value }
        #expect(try encode(numbers) == encode(reversedNumbers))

        var row = SampleRow.samples[0]
        row.byName = forward
        var same = row
        same.byName = backward
        #expect(try encode(row) == encode(same))
    }

    @Test("Equal rows give equal bytes, unequal rows unequal bytes", arguments: SampleRow.samples)
    func equalRowsEqualBytes(_ row: SampleRow) throws {
        let again = try decode(SampleRow.self, encode(row))
        #expect(try encode(again) == encode(row))
        var changed = row
        changed.count += 1
        #expect(try encode(changed) != encode(row))
    }

    @Test("A Set or a dictionary with unordered keys is refused, with the field's path")
    func unorderedRefused() throws {
        let error = #expect(throws: ProjectionError.self) {
            try RowCodec.encode(WithSet(tags: ["a", "b"]), table: "t", key: "k")
        }
        #expect(error?.code == .unencodableRow)
        #expect(error?.message.contains("Set") == true && error?.message.contains("tags") == true)
        let keyed = #expect(throws: ProjectionError.self) {
            try RowCodec.encode([Point(x: 1, y: 2): 3], table: "t", key: "k")
        }
        #expect(keyed?.code == .unencodableRow)
    }

    @Test("An encode(to:) that writes into a container after it is finished is refused")
    func containerMisuseRefused() throws {
        let error = #expect(throws: ProjectionError.self) { try RowCodec.encode(Interleaved(), table: "t", key: "k") }
        #expect(error?.code == .unencodableRow)
    }

    // MARK: - Tolerance

    @Test("A row type with an added optional field reads old rows, and old types read new rows")
    func addedAndRemovedFields() throws {
        let old = OldCustomer(id: "c-1", visits: 3, tags: ["vip"])
        let upgraded = try decode(NewCustomer.self, encode(old))
        #expect(upgraded == NewCustomer(id: "c-1", visits: 3, tags: ["vip"], region: nil, score: nil))

        let new = NewCustomer(id: "c-2", visits: 4, tags: [], region: "east", score: 1.5)
        #expect(try decode(NewCustomer.self, encode(new)) == new)
        #expect(try decode(OldCustomer.self, encode(new)) == OldCustomer(id: "c-2", visits: 4, tags: []))
    }

    @Test("Fields are found by key whatever the order they are read in; integers may widen")
    func fieldsByKey() throws {
        let bytes = try encode(OldCustomer(id: "c-3", visits: 9, tags: ["a"]))
        #expect(try decode(Reordered.self, bytes) == Reordered(tags: ["a"], visits: 9, id: "c-3"))
        #expect(try decode(WideCustomer.self, bytes).visits == 9)
        let missing = #expect(throws: ProjectionError.self) { try decode(NeedsMore.self, bytes) }
        #expect(missing?.code == .undecodableRow && missing?.message.contains("required") == true)
    }

    @Test("A field asked whether it is nil is then decoded")
    func nilThenValue() throws {
        for row in [NilChecked(count: 1, name: "xy"), NilChecked(count: nil, name: "z")] {
            #expect(try decode(NilChecked.self, encode(row)) == row)
        }
    }

    @Test("A value of the wrong type is refused with its path")
    func wrongTypeHasPath() throws {
        let bytes = try encode(SampleRow.samples[0])
        let error = #expect(throws: ProjectionError.self) { try decode(SampleRowWithStringQuantities.self, bytes) }
        #expect(error?.code == .undecodableRow)
        #expect(error?.message.contains("lines[0].quantity") == true, "\(error?.message ?? "")")
    }

    // MARK: - Refusal of malformed input

    @Test("Every truncation of a valid row is refused", arguments: SampleRow.samples)
    func truncations(_ row: SampleRow) throws {
        let bytes = try encode(row)
        for length in 0..<bytes.count {
            let error = #expect(throws: ProjectionError.self) { try decode(SampleRow.self, Array(bytes[..<length])) }
            #expect(error?.code == .undecodableRow)
        }
    }

    @Test("Random byte changes never crash: a changed row decodes or is refused")
    func byteFlips() throws {
        var random = SplitMix64(seed: 20_261_124)
        for row in SampleRow.samples {
            let bytes = try encode(row)
            for _ in 0..<3_000 {
                var damaged = bytes
                for _ in 0...(random.next() % 3) {
                    damaged[Int(random.next() % UInt64(damaged.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1)
                }
                expectRefusedOrDecoded(SampleRow.self, damaged)
                expectRefusedOrDecoded([String: [Int?]].self, damaged)
            }
        }
        for _ in 0..<3_000 {
            let garbage =
                [RowFormat.version]
                + (0..<Int(random.next() % 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            expectRefusedOrDecoded(SampleRow.self, garbage)
            expectRefusedOrDecoded([[String: Double]].self, garbage)
            expectRefusedOrDecoded(Shape.self, garbage)
        }
    }

    @Test("Rows in the JSON format of before, and empty rows, are refused")
    func jsonRefused() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for json in [
            try encoder.encode(SampleRow.samples[0]), try encoder.encode(12), try encoder.encode("text"), Data(),
        ] {
            let error = #expect(throws: ProjectionError.self) { try decode(SampleRow.self, Array(json)) }
            #expect(error?.code == .undecodableRow)
        }
        let error = #expect(throws: ProjectionError.self) {
            try decode(SampleRow.self, Array(try encoder.encode(SampleRow.samples[0])))
        }
        #expect(error?.message.contains("JSON") == true)
    }

    @Test("Lengths and counts larger than the row, overlong varints and trailing bytes are refused")
    func corruptLengths() throws {
        let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
        let rows: [[UInt8]] = [
            [RowFormat.version, RowFormat.Tag.string] + huge,  // a string of 2⁶³ bytes
            [RowFormat.version, RowFormat.Tag.array, 0x0A] + huge + [0x81],  // an array of 2⁶³ elements
            [RowFormat.version, RowFormat.Tag.array, 0x02, 0x05, 0x81],  // 5 elements in 1 byte
            [RowFormat.version, RowFormat.Tag.object, 0x03, 0x7F, 0x61, 0x81],  // a key of 127 bytes
            // A varint of 11 bytes, and one of 10 whose last byte holds more than the 64th bit.
            [RowFormat.version, RowFormat.Tag.positive] + [UInt8](repeating: 0xFF, count: 10) + [0x01],
            [RowFormat.version, RowFormat.Tag.positive, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02],
            [RowFormat.version, 0x81, 0x81],  // a second value
            [RowFormat.version, 0x3F],  // an unknown tag
            [RowFormat.version, RowFormat.Tag.shortString + 2, 0xC3, 0x28],  // a lead byte without its continuation
            [RowFormat.version, RowFormat.Tag.shortString + 2, 0xC0, 0xAF],  // an overlong "/"
            [RowFormat.version, RowFormat.Tag.shortString + 3, 0xED, 0xA0, 0x80],  // a surrogate
            [RowFormat.version, RowFormat.Tag.shortString + 4, 0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [RowFormat.version, RowFormat.Tag.shortString + 2, 0xE6, 0x97],  // a sequence cut short
            [RowFormat.version, RowFormat.Tag.shortString + 1, 0x80],  // a lone continuation byte
        ]
        for row in rows {
            for type in [String.self, [Int].self, [String: Int].self, Int.self, UInt64.self] as [any Decodable.Type] {
                let error = #expect(throws: ProjectionError.self) { try decodeAny(type, row) }
                #expect(error?.code == .undecodableRow)
            }
        }
        #expect(throws: ProjectionError.self) { try decode(Int8.self, encode(128)) }
        #expect(throws: ProjectionError.self) { try decode(UInt32.self, encode(-1)) }
        #expect(throws: ProjectionError.self) { try decode(Float.self, encode(Double.pi)) }
    }

    // MARK: - Helpers

    private func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        try RowCodec.encode(value, table: "test", key: "row")
    }

    private func decode<T: Decodable>(_: T.Type, _ bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { buffer in
            try RowCodec.decode(T.self, from: buffer, table: "test", key: "row")
        }
    }

    private func decodeAny(_ type: any Decodable.Type, _ bytes: [UInt8]) throws {
        _ = try decode(type, bytes)
    }

    private func expectRoundTrip<T: Codable & Equatable>(
        _ value: T,
        sourceLocation: SourceLocation = #_sourceLocation
    )
        throws
    {
        let bytes = try encode(value)
        #expect(try decode(T.self, bytes) == value, sourceLocation: sourceLocation)
        #expect(try encode(decode(T.self, bytes)) == bytes, sourceLocation: sourceLocation)
    }

    /// Decodes damaged bytes: whatever comes out, it is a value or a `.undecodableRow`.
    private func expectRefusedOrDecoded<T: Decodable>(_: T.Type, _ bytes: [UInt8]) {
        do {
            _ = try decode(T.self, bytes)
        } catch let error as ProjectionError {
            #expect(error.code == .undecodableRow)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

// MARK: - Row types

enum Stage: String, Codable, Sendable, Hashable, CodingKeyRepresentable {
    case lead, won, lost
}

enum Priority: Int, Codable, Sendable, Hashable {
    case low = 1
    case high = 9
}

/// An enum with associated values: its synthesized encoding uses nested containers.
enum Shape: Codable, Sendable, Hashable {
    case circle(radius: Int)
    case square(Int)
    case point
}

struct Line: Codable, Sendable, Hashable {
    var sku: String
    var quantity: Int32
    var price: Int64
}

struct Address: Codable, Sendable, Hashable {
    var city: String
    var zip: String?
}

struct Empty: Codable, Sendable, Hashable {}

/// A row of every supported shape.
struct SampleRow: Codable, Sendable, Hashable, CustomTestStringConvertible {
    var id: String
    var count: Int
    var big: Int64
    var small: Int32
    var unsigned: UInt64
    var unsigned32: UInt32
    var flag: Bool
    var ratio: Double
    var stage: Stage
    var priority: Priority
    var at: Timestamp
    var note: String?
    var address: Address
    var previous: Address?
    var tags: [String]
    var lines: [Line]
    var maybe: [Int?]
    var byName: [String: Int]
    var byNumber: [Int: Line]
    var byStage: [Stage: Int]
    var grid: [[Int]]
    var shapes: [Shape]
    var nothing: Empty

    var testDescription: String { "\(id)" }

    static let samples: [SampleRow] = [
        SampleRow(
            id: "full",
            count: 42,
            big: 1_767_225_599_000_000_000,
            small: -7,
            unsigned: 300,
            unsigned32: 70_000,
            flag: true,
            ratio: 0.25,
            stage: .won,
            priority: .high,
            at: Timestamp(nanosecondsSinceEpoch: 1_700_000_123),
            note: "a note",
            address: Address(city: "上海", zip: "200000"),
            previous: Address(city: "Köln", zip: nil),
            tags: ["vip", "", "日本"],
            lines: (0..<20).map { Line(sku: "sku-\($0)", quantity: Int32($0), price: 1_999 * Int64($0) - 5_000) },
            maybe: [1, nil, 3, nil],
            byName: ["b": 2, "a": 1, "ä": 3, "": 0],
            byNumber: [10: Line(sku: "x", quantity: 1, price: 2), -1: Line(sku: "y", quantity: 0, price: 0)],
            byStage: [.lost: 2, .lead: 5],
            grid: [[1, 2], [], [3]],
            shapes: [.circle(radius: 3), .point, .square(-4)],
            nothing: Empty()
        ),
        SampleRow(
            id: "",
            count: 0,
            big: 0,
            small: 0,
            unsigned: 0,
            unsigned32: 0,
            flag: false,
            ratio: 0,
            stage: .lead,
            priority: .low,
            at: Timestamp(nanosecondsSinceEpoch: 0),
            note: nil,
            address: Address(city: "", zip: nil),
            previous: nil,
            tags: [],
            lines: [],
            maybe: [],
            byName: [:],
            byNumber: [:],
            byStage: [:],
            grid: [],
            shapes: [],
            nothing: Empty()
        ),
        SampleRow(
            id: "extremes 👩‍👩‍👧‍👦",
            count: .min,
            big: .max,
            small: .min,
            unsigned: .max,
            unsigned32: .max,
            flag: true,
            ratio: -.infinity,
            stage: .lost,
            priority: .low,
            at: Timestamp(nanosecondsSinceEpoch: .min),
            note: "",
            address: Address(city: "e\u{301}", zip: ""),
            previous: nil,
            tags: [String(repeating: "z", count: 200)],
            lines: [],
            maybe: [nil, nil],
            byName: ["k": .max, "j": .min],
            byNumber: [.min: Line(sku: "", quantity: .max, price: .min)],
            byStage: [.won: 0],
            grid: [[.max, .min, 0]],
            shapes: [.square(.min)],
            nothing: Empty()
        ),
    ]
}

struct Extremes: Codable, Sendable, Hashable {
    var int = Int.min, intMax = Int.max
    var int64 = Int64.min, int64Max = Int64.max
    var int32 = Int32.min, int32Max = Int32.max
    var int16 = Int16.min, int16Max = Int16.max
    var int8 = Int8.min, int8Max = Int8.max
    var uint = UInt.max, uint64 = UInt64.max, uint32 = UInt32.max, uint16 = UInt16.max, uint8 = UInt8.max
    var zero: UInt64 = 0
}

/// `SampleRow` with another type for `Line.quantity`.
struct SampleRowWithStringQuantities: Decodable {
    struct Line: Decodable { var quantity: String }
    var id: String
    var lines: [Line]
}

struct Pair: Codable, Sendable, Hashable {
    var a: Int
    var b: String
    var c: [Int]
}

struct WithSet: Codable, Sendable {
    var tags: Set<String>
}

/// Hashable and Codable but not a `CodingKeyRepresentable`: a dictionary keyed by it has no order.
struct Point: Codable, Sendable, Hashable {
    var x: Int
    var y: Int
}

struct OldCustomer: Codable, Sendable, Hashable {
    var id: String
    var visits: Int
    var tags: [String]
}

struct NewCustomer: Codable, Sendable, Hashable {
    var id: String
    var visits: Int
    var tags: [String]
    var region: String?
    var score: Double?
}

struct WideCustomer: Codable, Sendable, Hashable {
    var visits: Int64
}

struct NeedsMore: Codable, Sendable, Hashable {
    var id: String
    var required: Int
}

/// Reads its fields in the reverse of the order they were written.
struct Reordered: Codable, Sendable, Hashable {
    var tags: [String]
    var visits: Int
    var id: String

    private enum CodingKeys: String, CodingKey { case tags, visits, id }

    init(tags: [String], visits: Int, id: String) {
        self.tags = tags
        self.visits = visits
        self.id = id
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        visits = try container.decode(Int.self, forKey: .visits)
        tags = try container.decode([String].self, forKey: .tags)
    }
}

/// Asks `decodeNil(forKey:)` before decoding each field, as hand-written decoders do.
struct NilChecked: Codable, Sendable, Hashable {
    var count: Int?
    var name: String

    private enum CodingKeys: String, CodingKey { case count, name }

    init(count: Int?, name: String) {
        self.count = count
        self.name = name
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.count), try !container.decodeNil(forKey: .count) {
            count = try container.decode(Int.self, forKey: .count)
        } else {
            count = nil
        }
        name = try container.decodeNil(forKey: .name) ? "" : container.decode(String.self, forKey: .name)
    }
}

/// Writes into a nested container after its parent moved on: not expressible in one pass.
struct Interleaved: Encodable {
    private enum CodingKeys: String, CodingKey { case a, b }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var nested = container.nestedContainer(keyedBy: CodingKeys.self, forKey: .a)
        try container.encode(1, forKey: .b)
        try nested.encode(2, forKey: .a)
    }
}

/// A small seeded generator, so that a failure of the byte-flip test can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
