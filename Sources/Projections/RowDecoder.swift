/// Decodes a row stored in the ``RowFormat``.
///
/// Rows come from a file, so the bytes are not trusted: every read is checked against the end of
/// the value it belongs to, every size against the bytes left, and anything amiss throws a
/// `DecodingError`. Nothing recurses on the bytes alone (sizes let values be skipped without
/// reading them), so a corrupt row cannot exhaust the stack either.
///
/// One decoder serves a whole row: `T.init(from:)` is handed the decoder itself, pointed at the
/// value to decode, so a nested value costs no allocation beyond its container.
///
/// `codingPath` is always empty, here and in the containers; errors get their full path as they
/// unwind (see ``RowIndexKey``).
final class RowDecoder: Decoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// The row's bytes, valid while ``decode(_:from:)`` runs.
    let base: UnsafePointer<UInt8>
    let count: Int
    // The mutable state is `@exclusivity(unchecked)`, as in RowEncoder: one decoder serves one
    // call on one thread, and the runtime's checks would cost more than the decoding.

    /// The value the next container asked of the decoder reads: where its tag is and where it
    /// ends.
    @exclusivity(unchecked) private var valueStart: Int
    @exclusivity(unchecked) private var valueEnd: Int
    /// How deep the value being decoded is; each depth has its own ``FieldCursor``.
    @exclusivity(unchecked) private(set) var depth = 0
    /// Where the next field of the object being read at each depth probably is.
    @exclusivity(unchecked) var cursors: [FieldCursor] = []
    /// The first corruption found where it could not be thrown (`allKeys`, `contains`), thrown
    /// when the row is finished, so a damaged row never decodes to a partial value.
    @exclusivity(unchecked) private var deferred: (any Error)?

    /// The probable position of the next field of an object: fields are usually decoded in the
    /// order they were encoded, so each lookup tries the field after the last one read before
    /// searching the object.
    struct FieldCursor {
        /// Where the payload of the object the cursor is in starts (its identity).
        var object: Int
        var next: Int
    }

    private init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
        valueStart = 1
        valueEnd = count
    }

    /// Decodes a row from `bytes`.
    ///
    /// - Throws: `DecodingError` when the bytes are not a row of the format (empty, another format
    ///   such as the JSON rows of before, truncated, corrupt, trailing bytes) or do not hold a `T`.
    static func decode<T: Decodable>(_: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        guard let start = bytes.baseAddress, bytes.count > 0 else { throw corrupt("the row is empty") }
        let base = start.assumingMemoryBound(to: UInt8.self)
        guard base[0] == RowFormat.version else {
            throw corrupt(
                "the row starts with byte \(hex(base[0])), not the format byte \(hex(RowFormat.version))"
                    + (base[0] == UInt8(ascii: "{") ? ": it is JSON, from before the binary format" : "")
            )
        }
        let decoder = RowDecoder(base: base, count: bytes.count)
        let (value, end) = try decoder.decodeValue(T.self, at: 1, limit: bytes.count)
        if let deferred = decoder.deferred { throw deferred }
        guard end == bytes.count else {
            throw corrupt("\(bytes.count - end) bytes follow the row's value at byte \(end)")
        }
        return value
    }

    // MARK: - Values

    /// Decodes the value at `start`, which must end by `limit`; returns it and where it ends.
    func decodeValue<T: Decodable>(_: T.Type, at start: Int, limit: Int) throws -> (T, end: Int) {
        if let kind = RowScalar(T.self) {
            var position = start
            let scalar = try readScalar(kind, as: T.self, &position, limit: limit)
            return (scalar, position)
        }
        let end = try self.end(ofValueAt: start, limit: limit)
        if let override = T.self as? any RowDecodingOverride.Type {
            return (try decodeOverride(override, as: T.self, at: start, end: end), end)
        }
        return (try decodeComposite(T.self, at: start, end: end), end)
    }

    /// Decodes the value from `start` to `end` through `T.init(from:)`.
    func decodeComposite<T: Decodable>(_: T.Type, at start: Int, end: Int) throws -> T {
        let outerStart = valueStart
        let outerEnd = valueEnd
        valueStart = start
        valueEnd = end
        depth += 1
        defer {
            valueStart = outerStart
            valueEnd = outerEnd
            depth -= 1
        }
        return try T(from: self)
    }

    private func decodeOverride<Override: RowDecodingOverride, T>(
        _: Override.Type,
        as: T.Type,
        at start: Int,
        end: Int
    )
        throws -> T
    {
        // Override is T, opened from the existential metatype.
        unsafeBitCast(try Override.decodeRow(from: self, at: start, end: end), to: T.self)
    }

    /// Reads a scalar of `kind`, which is `T`.
    @inline(__always)
    func readScalar<T>(_ kind: RowScalar, as _: T.Type, _ position: inout Int, limit: Int) throws -> T {
        // Bit casts between identical types, as in RowEncoder.
        switch kind {
        case .string: unsafeBitCast(try readString(&position, limit: limit), to: T.self)
        case .int: unsafeBitCast(try readInteger(Int.self, &position, limit: limit), to: T.self)
        case .int64: unsafeBitCast(try readInteger(Int64.self, &position, limit: limit), to: T.self)
        case .uint64: unsafeBitCast(try readInteger(UInt64.self, &position, limit: limit), to: T.self)
        case .bool: unsafeBitCast(try readBool(&position, limit: limit), to: T.self)
        case .double: unsafeBitCast(try readDouble(&position, limit: limit), to: T.self)
        case .int32: unsafeBitCast(try readInteger(Int32.self, &position, limit: limit), to: T.self)
        case .uint32: unsafeBitCast(try readInteger(UInt32.self, &position, limit: limit), to: T.self)
        case .uint: unsafeBitCast(try readInteger(UInt.self, &position, limit: limit), to: T.self)
        case .float: unsafeBitCast(try readFloat(&position, limit: limit), to: T.self)
        case .int16: unsafeBitCast(try readInteger(Int16.self, &position, limit: limit), to: T.self)
        case .uint16: unsafeBitCast(try readInteger(UInt16.self, &position, limit: limit), to: T.self)
        case .int8: unsafeBitCast(try readInteger(Int8.self, &position, limit: limit), to: T.self)
        case .uint8: unsafeBitCast(try readInteger(UInt8.self, &position, limit: limit), to: T.self)
        }
    }

    // MARK: - Containers

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let payload = try objectPayload(at: valueStart, limit: valueEnd)
        return KeyedDecodingContainer(
            RowKeyedDecodingContainer<Key>(
                decoder: self,
                start: payload.lowerBound,
                end: payload.upperBound,
                depth: depth
            )
        )
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (elements, count, end) = try arrayPayload(at: valueStart, limit: valueEnd)
        return RowUnkeyedDecodingContainer(decoder: self, position: elements, end: end, count: count)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        RowSingleValueDecodingContainer(decoder: self, start: valueStart, limit: valueEnd)
    }

    /// Starts reading the fields of the object whose payload starts at `start`, at `depth`.
    func startCursor(object start: Int, depth: Int) {
        while cursors.count <= depth { cursors.append(FieldCursor(object: -1, next: 0)) }
        cursors[depth] = FieldCursor(object: start, next: start)
    }

    /// Keeps the first corruption found where it could not be thrown.
    func deferError(_ error: any Error) {
        if deferred == nil { deferred = error }
    }

    // MARK: - Errors

    static func corrupt(_ message: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: message))
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count == 1 ? "0" : "") + digits
    }

    func truncated(at position: Int, limit: Int) -> DecodingError {
        Self.corrupt("the row is truncated or corrupt: a value at byte \(position) runs past byte \(limit)")
    }

    /// A type mismatch for a value that is not a `type`, named by its tag.
    func mismatch(_ type: Any.Type, expected: String, at position: Int) -> DecodingError {
        let found = position < count ? Self.describe(tag: base[position]) : "nothing"
        let context = DecodingError.Context(
            codingPath: [],
            debugDescription: "expected \(expected), found \(found) at byte \(position)"
        )
        return found == "nil" ? .valueNotFound(type, context) : .typeMismatch(type, context)
    }

    static func describe(tag: UInt8) -> String {
        switch tag {
        case RowFormat.Tag.null: "nil"
        case RowFormat.Tag.false, RowFormat.Tag.true: "a boolean"
        case RowFormat.Tag.positive, RowFormat.Tag.negative, RowFormat.Tag.smallInteger...: "an integer"
        case RowFormat.Tag.double: "a floating-point number"
        case RowFormat.Tag.string, RowFormat.Tag.shortString..<RowFormat.Tag.smallInteger: "a string"
        case RowFormat.Tag.array: "an array"
        case RowFormat.Tag.object: "an object"
        default: "the unknown tag \(hex(tag))"
        }
    }
}
