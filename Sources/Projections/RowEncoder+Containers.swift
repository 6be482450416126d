// The containers a type's `encode(to:)` writes through. Each holds the encoder and a handle on
// its composite; the encoder checks at every write that the composite is still open and that no
// value inside it is half written.

extension RowEncoder {
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(RowKeyedEncodingContainer<Key>(encoder: self, handle: composite(isArray: false)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        RowUnkeyedEncodingContainer(encoder: self, handle: composite(isArray: true))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        let (start, depth) = singleValue()
        return RowSingleValueEncodingContainer(encoder: self, start: start, depth: depth)
    }
}

// MARK: - Keyed

struct RowKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: RowEncoder
    let handle: RowEncoder.Handle
    var codingPath: [any CodingKey] { [] }

    private func begin(_ key: Key) throws {
        try encoder.beginWrite(handle)
        encoder.writeKey(key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws {
        try begin(key)
        encoder.writeNil()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try begin(key)
        encoder.writeBool(value)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        try begin(key)
        encoder.writeString(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        try begin(key)
        encoder.writeDouble(value)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        try begin(key)
        encoder.writeDouble(Double(value))
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        try begin(key)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: Int8, forKey key: Key) throws {
        try begin(key)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: Int16, forKey key: Key) throws {
        try begin(key)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: Int32, forKey key: Key) throws {
        try begin(key)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: Int64, forKey key: Key) throws {
        try begin(key)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt, forKey key: Key) throws {
        try begin(key)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        try begin(key)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        try begin(key)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        try begin(key)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        try begin(key)
        encoder.writeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try begin(key)
        do {
            try encoder.encodeValue(value)
        } catch let error as EncodingError {
            throw error.prefixed(by: key)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = encoder.nestedComposite(isArray: false, key: key, in: handle)
        return KeyedEncodingContainer(RowKeyedEncodingContainer<NestedKey>(encoder: encoder, handle: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        RowUnkeyedEncodingContainer(
            encoder: encoder,
            handle: encoder.nestedComposite(isArray: true, key: key, in: handle)
        )
    }

    // A super encoder is written to after the container has moved on, which a single forward
    // buffer cannot take; rows are structs and have no superclass to encode.
    mutating func superEncoder() -> any Encoder {
        encoder.record("superEncoder() is not supported in rows")
        return encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.record("superEncoder(forKey:) is not supported in rows")
        return encoder
    }
}

// MARK: - Unkeyed

struct RowUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: RowEncoder
    let handle: RowEncoder.Handle
    var codingPath: [any CodingKey] { [] }
    var count: Int { encoder.elementCount(handle) }

    mutating func encodeNil() throws {
        _ = try encoder.beginElement(handle)
        encoder.writeNil()
    }

    mutating func encode(_ value: Bool) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeBool(value)
    }

    mutating func encode(_ value: String) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeString(value)
    }

    mutating func encode(_ value: Double) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeDouble(value)
    }

    mutating func encode(_ value: Float) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeDouble(Double(value))
    }

    mutating func encode(_ value: Int) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: Int8) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: Int16) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: Int32) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: Int64) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt8) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt16) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt32) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt64) throws {
        _ = try encoder.beginElement(handle)
        encoder.writeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = try encoder.beginElement(handle)
        do {
            try encoder.encodeValue(value)
        } catch let error as EncodingError {
            throw error.prefixed(by: RowIndexKey(index))
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<
        NestedKey
    > {
        let nested = encoder.nestedComposite(isArray: false, key: nil, in: handle)
        return KeyedEncodingContainer(RowKeyedEncodingContainer<NestedKey>(encoder: encoder, handle: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        RowUnkeyedEncodingContainer(
            encoder: encoder,
            handle: encoder.nestedComposite(isArray: true, key: nil, in: handle)
        )
    }

    mutating func superEncoder() -> any Encoder {
        encoder.record("superEncoder() is not supported in rows")
        return encoder
    }
}

// MARK: - Single value

struct RowSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: RowEncoder
    /// Where the value starts and how many composites were open then; a write anywhere else
    /// would be a second value.
    let start: Int
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeNil()
    }

    mutating func encode(_ value: Bool) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeBool(value)
    }

    mutating func encode(_ value: String) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeString(value)
    }

    mutating func encode(_ value: Double) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeDouble(value)
    }

    mutating func encode(_ value: Float) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeDouble(Double(value))
    }

    mutating func encode(_ value: Int) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: Int8) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: Int16) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: Int32) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: Int64) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt8) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt16) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt32) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeInteger(value)
    }

    mutating func encode(_ value: UInt64) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        encoder.writeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.beginSingleValue(start: start, depth: depth)
        try encoder.encodeValue(value)
    }
}
