public import EventStore
public import Foundation

/// The row types the row decoder is fuzzed with, and the byte that selects each: the shapes of
/// Tests/ProjectionsTests/RowCodecTests.swift, which cover every shape the row format supports.
public enum RowSelector: UInt8, CaseIterable, Sendable {
    case sample, extremes, shapes, listsByName, linesByNumber, prioritiesByStage, timestamp, dates, decimals, doubles,
        grid, int8
}

public enum Stage: String, Codable, Hashable, Sendable, CodingKeyRepresentable {
    case lead, won, lost
}

public enum Priority: Int, Codable, Hashable, Sendable {
    case low = 1
    case high = 9
}

public enum Shape: Codable, Hashable, Sendable {
    case circle(radius: Int)
    case square(Int)
    case point
}

public struct Line: Codable, Hashable, Sendable {
    public var sku: String
    public var quantity: Int32
    public var price: Int64

    public init(sku: String, quantity: Int32, price: Int64) {
        (self.sku, self.quantity, self.price) = (sku, quantity, price)
    }
}

public struct Address: Codable, Hashable, Sendable {
    public var city: String
    public var zip: String?

    public init(city: String, zip: String?) {
        (self.city, self.zip) = (city, zip)
    }
}

public struct Empty: Codable, Hashable, Sendable {
    public init() {}
}

public struct SampleRow: Codable, Hashable, Sendable {
    public var id: String
    public var count: Int
    public var big: Int64
    public var small: Int32
    public var unsigned: UInt64
    public var unsigned32: UInt32
    public var flag: Bool
    public var ratio: Double
    public var stage: Stage
    public var priority: Priority
    public var at: Timestamp
    public var note: String?
    public var address: Address
    public var previous: Address?
    public var tags: [String]
    public var lines: [Line]
    public var maybe: [Int?]
    public var byName: [String: Int]
    public var byNumber: [Int: Line]
    public var byStage: [Stage: Int]
    public var grid: [[Int]]
    public var shapes: [Shape]
    public var nothing: Empty

    public static func == (lhs: Self, rhs: Self) -> Bool {
        // `ratio` may be NaN; compare its bits.
        var (left, right) = (lhs, rhs)
        guard left.ratio.bitPattern == right.ratio.bitPattern else { return false }
        (left.ratio, right.ratio) = (0, 0)
        return left.id == right.id && left.count == right.count && left.big == right.big && left.small == right.small
            && left.unsigned == right.unsigned && left.unsigned32 == right.unsigned32 && left.flag == right.flag
            && left.stage == right.stage && left.priority == right.priority && left.at == right.at
            && left.note == right.note
            && left.address == right.address && left.previous == right.previous && left.tags == right.tags
            && left.lines == right.lines && left.maybe == right.maybe && left.byName == right.byName
            && left.byNumber == right.byNumber && left.byStage == right.byStage && left.grid == right.grid
            && left.shapes == right.shapes && left.nothing == right.nothing
    }

    /// Rows of every shape, for the seed corpus.
    public static let samples: [SampleRow] = [
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

public struct Extremes: Codable, Hashable, Sendable {
    public var int: Int, intMax: Int
    public var int64: Int64, int64Max: Int64
    public var int32: Int32, int32Max: Int32
    public var int16: Int16, int16Max: Int16
    public var int8: Int8, int8Max: Int8
    public var uint: UInt, uint64: UInt64, uint32: UInt32, uint16: UInt16, uint8: UInt8
    public var zero: UInt64

    /// The extremes of every integer width.
    public init() {
        (int, intMax, int64, int64Max, int32, int32Max) = (.min, .max, .min, .max, .min, .max)
        (int16, int16Max, int8, int8Max) = (.min, .max, .min, .max)
        (uint, uint64, uint32, uint16, uint8, zero) = (.max, .max, .max, .max, .max, 0)
    }
}
