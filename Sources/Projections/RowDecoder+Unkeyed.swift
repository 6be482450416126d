/// Reads the elements of one array in order. Arrays (`[T]`) do not come here: they are read by
/// their ``RowDecodingOverride``; other unkeyed types and custom `init(from:)` do.
struct RowUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: RowDecoder
    /// Where the next element starts.
    var position: Int
    let end: Int
    let elementCount: Int
    var currentIndex = 0

    init(decoder: RowDecoder, position: Int, end: Int, count: Int) {
        self.decoder = decoder
        self.position = position
        self.end = end
        self.elementCount = count
    }

    var codingPath: [any CodingKey] { [] }
    var count: Int? { elementCount }
    var isAtEnd: Bool { currentIndex >= elementCount }

    /// Reads the next element with `read`, which moves the position past it.
    @inline(__always)
    private mutating func next<T>(_ type: T.Type, _ read: (RowDecoder, inout Int, Int) throws -> T) throws -> T {
        guard currentIndex < elementCount else {
            let context = DecodingError.Context(
                codingPath: [],
                debugDescription: "all \(elementCount) elements were read"
            )
            throw DecodingError.valueNotFound(type, context)
        }
        var next = position
        do {
            let value = try read(decoder, &next, end)
            if currentIndex + 1 == elementCount && next != end {
                throw RowDecoder.corrupt("\(end - next) bytes follow the last element of the array at byte \(next)")
            }
            position = next
            currentIndex += 1
            return value
        } catch let error as DecodingError {
            throw error.prefixed(by: RowIndexKey(currentIndex))
        }
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elementCount, decoder.isNil(at: position, limit: end) else { return false }
        return try next(Bool.self) { _, position, _ in
            position += 1
            return true
        }
    }

    mutating func decode(_: Bool.Type) throws -> Bool {
        try next(Bool.self) { try $0.readBool(&$1, limit: $2) }
    }

    mutating func decode(_: String.Type) throws -> String {
        try next(String.self) { try $0.readString(&$1, limit: $2) }
    }

    mutating func decode(_: Double.Type) throws -> Double {
        try next(Double.self) { try $0.readDouble(&$1, limit: $2) }
    }

    mutating func decode(_: Float.Type) throws -> Float {
        try next(Float.self) { try $0.readFloat(&$1, limit: $2) }
    }

    mutating func decode(_: Int.Type) throws -> Int {
        try next(Int.self) { try $0.readInteger(Int.self, &$1, limit: $2) }
    }

    mutating func decode(_: Int8.Type) throws -> Int8 {
        try next(Int8.self) { try $0.readInteger(Int8.self, &$1, limit: $2) }
    }

    mutating func decode(_: Int16.Type) throws -> Int16 {
        try next(Int16.self) { try $0.readInteger(Int16.self, &$1, limit: $2) }
    }

    mutating func decode(_: Int32.Type) throws -> Int32 {
        try next(Int32.self) { try $0.readInteger(Int32.self, &$1, limit: $2) }
    }

    mutating func decode(_: Int64.Type) throws -> Int64 {
        try next(Int64.self) { try $0.readInteger(Int64.self, &$1, limit: $2) }
    }

    mutating func decode(_: UInt.Type) throws -> UInt {
        try next(UInt.self) { try $0.readInteger(UInt.self, &$1, limit: $2) }
    }

    mutating func decode(_: UInt8.Type) throws -> UInt8 {
        try next(UInt8.self) { try $0.readInteger(UInt8.self, &$1, limit: $2) }
    }

    mutating func decode(_: UInt16.Type) throws -> UInt16 {
        try next(UInt16.self) { try $0.readInteger(UInt16.self, &$1, limit: $2) }
    }

    mutating func decode(_: UInt32.Type) throws -> UInt32 {
        try next(UInt32.self) { try $0.readInteger(UInt32.self, &$1, limit: $2) }
    }

    mutating func decode(_: UInt64.Type) throws -> UInt64 {
        try next(UInt64.self) { try $0.readInteger(UInt64.self, &$1, limit: $2) }
    }

    mutating func decode<T: Decodable>(_: T.Type) throws -> T {
        try next(T.self) { decoder, position, end in
            let (value, next) = try decoder.decodeValue(T.self, at: position, limit: end)
            position = next
            return value
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<
        NestedKey
    > {
        try next(KeyedDecodingContainer<NestedKey>.self) { decoder, position, end in
            try decoder.keyedContainer(NestedKey.self, objectAt: &position, limit: end, depth: decoder.depth + 1)
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next((any UnkeyedDecodingContainer).self) { decoder, position, end in
            let (elements, count, arrayEnd) = try decoder.arrayPayload(at: position, limit: end)
            position = arrayEnd
            return RowUnkeyedDecodingContainer(decoder: decoder, position: elements, end: arrayEnd, count: count)
        }
    }

    // Rows are structs: the encoder refuses super encoders, so no row holds what this would read.
    mutating func superDecoder() throws -> any Decoder {
        throw RowDecoder.corrupt("superDecoder() is not supported in rows")
    }
}
