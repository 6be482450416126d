/// The name of a stream: `category-id`, such as `customer-9f2c…` or `lead-42`.
///
/// The category (before the first `-`) groups streams of one aggregate type; reads and
/// subscriptions can select it. Names are ASCII, at most ``maxLength`` bytes.
public struct StreamName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The longest name accepted, in bytes.
    public static let maxLength = 200

    /// The whole name.
    public let rawValue: String
    /// The part before the first `-`: letters, digits and `_`, starting with a letter.
    public let category: String
    /// The part after the first `-`: letters, digits and `_ . : @ + -`.
    public var id: Substring {
        guard let dash = rawValue.firstIndex(of: "-") else { return "" }
        return rawValue[rawValue.index(after: dash)...]
    }

    /// Parses and checks a stream name.
    ///
    /// - Throws: `EventStoreError` with `.invalidStreamName`, saying what is wrong.
    public init(_ rawValue: String) throws(EventStoreError) {
        func refuse(_ why: String) -> EventStoreError {
            var error = EventStoreError(.invalidStreamName, "stream name \"\(rawValue.prefix(80))\" \(why)")
            error.stream = String(rawValue.prefix(StreamName.maxLength))
            return error
        }
        let bytes = Array(rawValue.utf8)
        guard bytes.count <= Self.maxLength else { throw refuse("is longer than \(Self.maxLength) bytes") }
        guard let dash = bytes.firstIndex(of: UInt8(ascii: "-")) else {
            throw refuse("has no '-' between category and id (expected category-id)")
        }
        guard dash > 0 else { throw refuse("has an empty category") }
        guard dash < bytes.count - 1 else { throw refuse("has an empty id") }
        guard Self.isLetter(bytes[0]),
            bytes[..<dash].allSatisfy({ Self.isLetter($0) || Self.isDigit($0) || $0 == UInt8(ascii: "_") })
        else {
            throw refuse("has a category that is not a letter followed by letters, digits or '_'")
        }
        guard bytes[(dash + 1)...].allSatisfy(Self.isIDCharacter) else {
            throw refuse("has an id with characters other than letters, digits and _ . : @ + -")
        }
        self.rawValue = rawValue
        self.category = String(decoding: bytes[..<dash], as: UTF8.self)
    }

    /// Wraps a name already known to be valid, such as one read back from the log.
    init(trusted rawValue: String) {
        self.rawValue = rawValue
        self.category = String(rawValue[..<(rawValue.firstIndex(of: "-") ?? rawValue.endIndex)])
    }

    /// Builds `category-id`, checking both parts.
    public init(category: String, id: String) throws(EventStoreError) {
        try self.init("\(category)-\(id)")
    }

    public var description: String { rawValue }

    public static func < (lhs: StreamName, rhs: StreamName) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isIDCharacter(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || "_.:@+-".utf8.contains(byte)
    }
}
