/// Reads the one value a type's `init(from:)` asks of a single value container (an enum's raw
/// value, `Timestamp`'s nanoseconds).
struct RowSingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: RowDecoder
    /// Where the value starts and ends.
    let start: Int
    let limit: Int

    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool {
        decoder.isNil(at: start, limit: limit)
    }

    private func read<T>(_ read: (inout Int) throws -> T) rethrows -> T {
        var position = start
        return try read(&position)
    }

    func decode(_: Bool.Type) throws -> Bool {
        try read { try decoder.readBool(&$0, limit: limit) }
    }

    func decode(_: String.Type) throws -> String {
        try read { try decoder.readString(&$0, limit: limit) }
    }

    func decode(_: Double.Type) throws -> Double {
        try read { try decoder.readDouble(&$0, limit: limit) }
    }

    func decode(_: Float.Type) throws -> Float {
        try read { try decoder.readFloat(&$0, limit: limit) }
    }

    func decode(_: Int.Type) throws -> Int {
        try read { try decoder.readInteger(Int.self, &$0, limit: limit) }
    }

    func decode(_: Int8.Type) throws -> Int8 {
        try read { try decoder.readInteger(Int8.self, &$0, limit: limit) }
    }

    func decode(_: Int16.Type) throws -> Int16 {
        try read { try decoder.readInteger(Int16.self, &$0, limit: limit) }
    }

    func decode(_: Int32.Type) throws -> Int32 {
        try read { try decoder.readInteger(Int32.self, &$0, limit: limit) }
    }

    func decode(_: Int64.Type) throws -> Int64 {
        try read { try decoder.readInteger(Int64.self, &$0, limit: limit) }
    }

    func decode(_: UInt.Type) throws -> UInt {
        try read { try decoder.readInteger(UInt.self, &$0, limit: limit) }
    }

    func decode(_: UInt8.Type) throws -> UInt8 {
        try read { try decoder.readInteger(UInt8.self, &$0, limit: limit) }
    }

    func decode(_: UInt16.Type) throws -> UInt16 {
        try read { try decoder.readInteger(UInt16.self, &$0, limit: limit) }
    }

    func decode(_: UInt32.Type) throws -> UInt32 {
        try read { try decoder.readInteger(UInt32.self, &$0, limit: limit) }
    }

    func decode(_: UInt64.Type) throws -> UInt64 {
        try read { try decoder.readInteger(UInt64.self, &$0, limit: limit) }
    }

    func decode<T: Decodable>(_: T.Type) throws -> T {
        try decoder.decodeValue(T.self, at: start, limit: limit).0
    }
}
