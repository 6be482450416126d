/// Reads the fields of one object, found by key: a nil optional is not written, a newer row type
/// may have fields an older row lacks and the other way round, and a custom `init(from:)` may read
/// fields in any order. A ``RowDecoder/FieldCursor`` makes the usual case, fields read in the
/// order written, one comparison of keys; any other falls back to a search of the object.
struct RowKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: RowDecoder
    /// The object's fields.
    let start: Int
    let end: Int
    /// The cursor slot of this object.
    let depth: Int

    init(decoder: RowDecoder, start: Int, end: Int, depth: Int) {
        self.decoder = decoder
        self.start = start
        self.end = end
        self.depth = depth
        decoder.startCursor(object: start, depth: depth)
    }

    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] {
        var keys: [Key] = []
        var position = start
        do {
            while position < end {
                let field = try decoder.fieldKey(at: position, limit: end)
                if let key = Key(stringValue: try decoder.utf8(at: field.key, count: field.count)) { keys.append(key) }
                position = try decoder.end(ofValueAt: field.value, limit: end)
            }
        } catch {
            decoder.deferError(error)
        }
        return keys
    }

    func contains(_ key: Key) -> Bool {
        do {
            return try valueStart(of: key) != nil
        } catch {
            decoder.deferError(error)
            return false
        }
    }

    // MARK: - Finding fields

    /// Where the value of `key` starts, or `nil` when the object has no such field.
    private func valueStart(of key: Key) throws -> Int? {
        let name = key.stringValue
        let cursor = decoder.cursors[depth]
        if cursor.object == start, cursor.next < end {
            let field = try decoder.fieldKey(at: cursor.next, limit: end)
            if decoder.bytes(at: field.key, count: field.count, equal: name) { return field.value }
        }
        var position = start
        while position < end {
            let field = try decoder.fieldKey(at: position, limit: end)
            if decoder.bytes(at: field.key, count: field.count, equal: name) { return field.value }
            position = try decoder.end(ofValueAt: field.value, limit: end)
        }
        return nil
    }

    /// Reads the value of `key` with `read`, which moves the position past it.
    @inline(__always)
    private func field<T>(_ key: Key, _ read: (inout Int) throws -> T) throws -> T {
        guard let value = try valueStart(of: key) else { throw Self.keyNotFound(key) }
        return try readField(value, key, read)
    }

    private static func keyNotFound(_ key: Key) -> DecodingError {
        .keyNotFound(key, DecodingError.Context(codingPath: [], debugDescription: "no field \"\(key.stringValue)\""))
    }

    /// Reads the value of `key` with `read`, or `nil` when there is no such field or it is nil.
    @inline(__always)
    private func fieldIfPresent<T>(_ key: Key, _ read: (inout Int) throws -> T) throws -> T? {
        guard let value = try valueStart(of: key) else { return nil }
        if decoder.isNil(at: value, limit: end) {
            decoder.cursors[depth] = RowDecoder.FieldCursor(object: start, next: value + 1)
            return nil
        }
        return try readField(value, key, read)
    }

    @inline(__always)
    private func readField<T>(_ value: Int, _ key: Key, _ read: (inout Int) throws -> T) throws -> T {
        var position = value
        do {
            let decoded = try read(&position)
            // Taken over whole: a sibling object at the same depth may hold the slot.
            decoder.cursors[depth] = RowDecoder.FieldCursor(object: start, next: position)
            return decoded
        } catch let error as DecodingError {
            throw error.prefixed(by: key)
        }
    }

    // MARK: - Decoding

    // The cursor is left alone: after `false` the caller decodes the same field, and a cursor
    // moved to its value would make the next lookup read the value as a key.
    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = try valueStart(of: key) else { throw Self.keyNotFound(key) }
        return decoder.isNil(at: value, limit: end)
    }

    func decode(_: Bool.Type, forKey key: Key) throws -> Bool {
        try field(key) { try decoder.readBool(&$0, limit: end) }
    }

    func decode(_: String.Type, forKey key: Key) throws -> String {
        try field(key) { try decoder.readString(&$0, limit: end) }
    }

    func decode(_: Double.Type, forKey key: Key) throws -> Double {
        try field(key) { try decoder.readDouble(&$0, limit: end) }
    }

    func decode(_: Float.Type, forKey key: Key) throws -> Float {
        try field(key) { try decoder.readFloat(&$0, limit: end) }
    }

    func decode(_: Int.Type, forKey key: Key) throws -> Int {
        try field(key) { try decoder.readInteger(Int.self, &$0, limit: end) }
    }

    func decode(_: Int8.Type, forKey key: Key) throws -> Int8 {
        try field(key) { try decoder.readInteger(Int8.self, &$0, limit: end) }
    }

    func decode(_: Int16.Type, forKey key: Key) throws -> Int16 {
        try field(key) { try decoder.readInteger(Int16.self, &$0, limit: end) }
    }

    func decode(_: Int32.Type, forKey key: Key) throws -> Int32 {
        try field(key) { try decoder.readInteger(Int32.self, &$0, limit: end) }
    }

    func decode(_: Int64.Type, forKey key: Key) throws -> Int64 {
        try field(key) { try decoder.readInteger(Int64.self, &$0, limit: end) }
    }

    func decode(_: UInt.Type, forKey key: Key) throws -> UInt {
        try field(key) { try decoder.readInteger(UInt.self, &$0, limit: end) }
    }

    func decode(_: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try field(key) { try decoder.readInteger(UInt8.self, &$0, limit: end) }
    }

    func decode(_: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try field(key) { try decoder.readInteger(UInt16.self, &$0, limit: end) }
    }

    func decode(_: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try field(key) { try decoder.readInteger(UInt32.self, &$0, limit: end) }
    }

    func decode(_: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try field(key) { try decoder.readInteger(UInt64.self, &$0, limit: end) }
    }

    func decode<T: Decodable>(_: T.Type, forKey key: Key) throws -> T {
        try field(key) { position in
            let (value, next) = try decoder.decodeValue(T.self, at: position, limit: end)
            position = next
            return value
        }
    }

    // The protocol's default `decodeIfPresent` looks the key up three times (contains,
    // decodeNil, decode); synthesized code calls it for every optional.

    func decodeIfPresent(_: Bool.Type, forKey key: Key) throws -> Bool? {
        try fieldIfPresent(key) { try decoder.readBool(&$0, limit: end) }
    }

    func decodeIfPresent(_: String.Type, forKey key: Key) throws -> String? {
        try fieldIfPresent(key) { try decoder.readString(&$0, limit: end) }
    }

    func decodeIfPresent(_: Double.Type, forKey key: Key) throws -> Double? {
        try fieldIfPresent(key) { try decoder.readDouble(&$0, limit: end) }
    }

    func decodeIfPresent(_: Float.Type, forKey key: Key) throws -> Float? {
        try fieldIfPresent(key) { try decoder.readFloat(&$0, limit: end) }
    }

    func decodeIfPresent(_: Int.Type, forKey key: Key) throws -> Int? {
        try fieldIfPresent(key) { try decoder.readInteger(Int.self, &$0, limit: end) }
    }

    func decodeIfPresent(_: Int8.Type, forKey key: Key) throws -> Int8? {
        try fieldIfPresent(key) { try decoder.readInteger(Int8.self, &$0, limit: end) }
    }

    func decodeIfPresent(_: Int16.Type, forKey key: Key) throws -> Int16? {
        try fieldIfPresent(key) { try decoder.readInteger(Int16.self, &$0, limit: end) }
    }

    func decodeIfPresent(_: Int32.Type, forKey key: Key) throws -> Int32? {
        try fieldIfPresent(key) { try decoder.readInteger(Int32.self, &$0, limit: end) }
    }

    func decodeIfPresent(_: Int64.Type, forKey key: Key) throws -> Int64? {
        try fieldIfPresent(key) { try decoder.readInteger(Int64.self, &$0, limit: end) }
    }

    func decodeIfPresent(_: UInt.Type, forKey key: Key) throws -> UInt? {
        try fieldIfPresent(key) { try decoder.readInteger(UInt.self, &$0, limit: end) }
    }

    func decodeIfPresent(_: UInt8.Type, forKey key: Key) throws -> UInt8? {
        try fieldIfPresent(key) { try decoder.readInteger(UInt8.self, &$0, limit: end) }
    }

    func decodeIfPresent(_: UInt16.Type, forKey key: Key) throws -> UInt16? {
        try fieldIfPresent(key) { try decoder.readInteger(UInt16.self, &$0, limit: end) }
    }

    func decodeIfPresent(_: UInt32.Type, forKey key: Key) throws -> UInt32? {
        try fieldIfPresent(key) { try decoder.readInteger(UInt32.self, &$0, limit: end) }
    }

    func decodeIfPresent(_: UInt64.Type, forKey key: Key) throws -> UInt64? {
        try fieldIfPresent(key) { try decoder.readInteger(UInt64.self, &$0, limit: end) }
    }

    func decodeIfPresent<T: Decodable>(_: T.Type, forKey key: Key) throws -> T? {
        try fieldIfPresent(key) { position in
            let (value, next) = try decoder.decodeValue(T.self, at: position, limit: end)
            position = next
            return value
        }
    }

    // MARK: - Nested containers

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try field(key) { position in
            try decoder.keyedContainer(NestedKey.self, objectAt: &position, limit: end, depth: depth + 1)
        }
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try field(key) { position in
            let (elements, count, arrayEnd) = try decoder.arrayPayload(at: position, limit: end)
            position = arrayEnd
            return RowUnkeyedDecodingContainer(decoder: decoder, position: elements, end: arrayEnd, count: count)
        }
    }

    // Rows are structs: the encoder refuses super encoders, so no row holds what these would read.

    func superDecoder() throws -> any Decoder {
        throw RowDecoder.corrupt("superDecoder() is not supported in rows")
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        throw RowDecoder.corrupt("superDecoder(forKey:) is not supported in rows")
    }
}
