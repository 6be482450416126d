// Reading the format's values. Each read takes the position of a value, moves it past the value,
// and checks every byte it touches against `limit`, the end of the enclosing value, so a value
// can never reach into its neighbour or past the row.

extension RowDecoder {
    // MARK: - Scalars

    /// Reads an integer and checks that it fits in `I`.
    func readInteger<I: FixedWidthInteger>(_: I.Type, _ position: inout Int, limit: Int) throws -> I {
        let start = position
        let tag = try readByte(&position, limit: limit)
        if tag >= RowFormat.Tag.smallInteger {
            // 0…127 fits in every integer type.
            return I(truncatingIfNeeded: tag &- RowFormat.Tag.smallInteger)
        }
        switch tag {
        case RowFormat.Tag.positive:
            let magnitude = try readVarint(&position, limit: limit)
            if let value = I(exactly: magnitude) { return value }
            throw Self.corrupt("the integer \(magnitude) at byte \(start) does not fit in \(I.self)")
        case RowFormat.Tag.negative:
            // The varint is −1 − n; anything above Int64.max would be below Int64.min.
            let complement = try readVarint(&position, limit: limit)
            if complement <= UInt64(Int64.max), let value = I(exactly: ~Int64(complement)) { return value }
            throw Self.corrupt("the integer −1−\(complement) at byte \(start) does not fit in \(I.self)")
        default:
            throw mismatch(I.self, expected: "an integer", at: start)
        }
    }

    func readBool(_ position: inout Int, limit: Int) throws -> Bool {
        let start = position
        switch try readByte(&position, limit: limit) {
        case RowFormat.Tag.true: return true
        case RowFormat.Tag.false: return false
        default: throw mismatch(Bool.self, expected: "a boolean", at: start)
        }
    }

    /// Reads a floating-point number, or an integer that a `Double` holds exactly (a field may
    /// change from an integer type to `Double`).
    func readDouble(_ position: inout Int, limit: Int) throws -> Double {
        let start = position
        let tag = try readByte(&position, limit: limit)
        guard tag == RowFormat.Tag.double else {
            position = start
            guard tag >= RowFormat.Tag.smallInteger || tag == RowFormat.Tag.positive || tag == RowFormat.Tag.negative
            else {
                throw mismatch(Double.self, expected: "a number", at: start)
            }
            let integer = try readInteger(Int64.self, &position, limit: limit)
            if let value = Double(exactly: integer) { return value }
            throw Self.corrupt("the integer \(integer) at byte \(start) has no exact Double")
        }
        guard limit - position >= 8 else { throw truncated(at: start, limit: limit) }
        var bits: UInt64 = 0
        for index in 0..<8 { bits |= UInt64(base[position + index]) &<< (8 * index) }
        position += 8
        return Double(bitPattern: bits)
    }

    /// Reads a number stored as a `Double` that a `Float` holds exactly, as every encoded `Float` is.
    func readFloat(_ position: inout Int, limit: Int) throws -> Float {
        let start = position
        let double = try readDouble(&position, limit: limit)
        let float = Float(double)
        if double.isNaN || Double(float) == double { return float }
        throw Self.corrupt("the number \(double) at byte \(start) does not fit in Float")
    }

    func readString(_ position: inout Int, limit: Int) throws -> String {
        let start = position
        let tag = try readByte(&position, limit: limit)
        let length: Int
        if tag >= RowFormat.Tag.shortString && tag < RowFormat.Tag.smallInteger {
            length = Int(tag &- RowFormat.Tag.shortString)
            guard length <= limit - position else { throw truncated(at: start, limit: limit) }
        } else if tag == RowFormat.Tag.string {
            length = try readLength(&position, limit: limit)
        } else {
            throw mismatch(String.self, expected: "a string", at: start)
        }
        defer { position += length }
        return try utf8(at: position, count: length)
    }

    /// The string of the `count` UTF-8 bytes at `position`, checked.
    func utf8(at position: Int, count: Int) throws -> String {
        let bytes = UnsafeBufferPointer(start: base + position, count: count)
        // Checked here rather than with String(validating:), whose generic call cost more than
        // the check; String(decoding:) then has nothing to repair.
        guard Self.isValidUTF8(bytes) else { throw Self.corrupt("the string at byte \(position) is not valid UTF-8") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes` are well-formed UTF-8 (The Unicode Standard, table 3-7): no overlong
    /// forms, no surrogates, nothing above U+10FFFF, no sequence cut short.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF:
                length = 3
                if lead == 0xE0 { low = 0xA0 } else if lead == 0xED { high = 0x9F }
            case 0xF0...0xF4:
                length = 4
                if lead == 0xF0 { low = 0x90 } else if lead == 0xF4 { high = 0x8F }
            default: return false
            }
            guard count - index >= length, bytes[index + 1] >= low, bytes[index + 1] <= high else { return false }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }

    /// Whether the value at `position` is nil; false past `limit`.
    func isNil(at position: Int, limit: Int) -> Bool {
        position < limit && base[position] == RowFormat.Tag.null
    }

    // MARK: - Composites

    /// Where the payload (the fields) of the object at `position` lies.
    func objectPayload(at position: Int, limit: Int) throws -> Range<Int> {
        var next = position
        guard try readByte(&next, limit: limit) == RowFormat.Tag.object else {
            throw mismatch(Any.self, expected: "an object", at: position)
        }
        let size = try readLength(&next, limit: limit)
        return next..<(next + size)
    }

    /// A keyed container over the object at `position`, which moves past it; the container sits
    /// at `depth`.
    func keyedContainer<Key: CodingKey>(
        _: Key.Type,
        objectAt position: inout Int,
        limit: Int,
        depth: Int
    ) throws -> KeyedDecodingContainer<Key> {
        let payload = try objectPayload(at: position, limit: limit)
        position = payload.upperBound
        return KeyedDecodingContainer(
            RowKeyedDecodingContainer<Key>(
                decoder: self,
                start: payload.lowerBound,
                end: payload.upperBound,
                depth: depth
            )
        )
    }

    /// Where the elements of the array at `position` start, how many there are and where they end.
    func arrayPayload(at position: Int, limit: Int) throws -> (elements: Int, count: Int, end: Int) {
        var next = position
        guard try readByte(&next, limit: limit) == RowFormat.Tag.array else {
            throw mismatch(Any.self, expected: "an array", at: position)
        }
        let size = try readLength(&next, limit: limit)
        let end = next + size
        // Every element takes a byte at least, which bounds what a decoder may reserve.
        let count = try readLength(&next, limit: end)
        return (next, count, end)
    }

    /// The key of the field at `position` in an object ending at `limit`: where its bytes are and
    /// where the field's value starts.
    func fieldKey(at position: Int, limit: Int) throws -> (key: Int, count: Int, value: Int) {
        var next = position
        let count = try readLength(&next, limit: limit)
        guard count < limit - next else { throw truncated(at: position, limit: limit) }
        return (next, count, next + count)
    }

    /// Whether the `count` bytes at `position` are the UTF-8 of `name`.
    @inline(__always)
    func bytes(at position: Int, count: Int, equal name: String) -> Bool {
        let utf8 = name.utf8
        guard utf8.count == count else { return false }
        let stored = UnsafeBufferPointer(start: base + position, count: count)
        return utf8.withContiguousStorageIfAvailable { name in
            var index = 0
            while index < count {
                if name[index] != stored[index] { return false }
                index += 1
            }
            return true
        } ?? utf8.elementsEqual(stored)
    }

    /// Where the value at `position` ends, found from its tag and size alone.
    func end(ofValueAt position: Int, limit: Int) throws -> Int {
        var next = position
        let tag = try readByte(&next, limit: limit)
        switch tag {
        case RowFormat.Tag.null, RowFormat.Tag.false, RowFormat.Tag.true, RowFormat.Tag.smallInteger...:
            return next
        case RowFormat.Tag.positive, RowFormat.Tag.negative:
            _ = try readVarint(&next, limit: limit)
            return next
        case RowFormat.Tag.double:
            guard limit - next >= 8 else { throw truncated(at: position, limit: limit) }
            return next + 8
        case RowFormat.Tag.shortString..<RowFormat.Tag.smallInteger:
            let length = Int(tag &- RowFormat.Tag.shortString)
            guard length <= limit - next else { throw truncated(at: position, limit: limit) }
            return next + length
        case RowFormat.Tag.string, RowFormat.Tag.array, RowFormat.Tag.object:
            let length = try readLength(&next, limit: limit)
            return next + length
        default:
            throw Self.corrupt("unknown tag \(Self.hex(tag)) at byte \(position)")
        }
    }

    // MARK: - Bytes

    @inline(__always)
    func readByte(_ position: inout Int, limit: Int) throws -> UInt8 {
        guard position < limit else { throw truncated(at: position, limit: limit) }
        defer { position += 1 }
        return base[position]
    }

    /// Reads a varint that must end by `limit` and fit in 64 bits.
    @inline(__always)
    func readVarint(_ position: inout Int, limit: Int) throws -> UInt64 {
        // Most varints are lengths below 128: one byte.
        if position < limit, base[position] < 0x80 {
            defer { position += 1 }
            return UInt64(base[position])
        }
        return try readLongVarint(&position, limit: limit)
    }

    private func readLongVarint(_ position: inout Int, limit: Int) throws -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < limit else { throw truncated(at: start, limit: limit) }
            let byte = base[position]
            position += 1
            // The tenth byte holds the 64th bit only.
            guard shift < 63 || byte <= 1 else { throw Self.corrupt("the varint at byte \(start) overflows 64 bits") }
            value |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// Reads a byte count, which must not run past `limit`: a corrupt length is refused before
    /// anything is allocated for it.
    func readLength(_ position: inout Int, limit: Int) throws -> Int {
        let start = position
        let length = try readVarint(&position, limit: limit)
        guard length <= UInt64(limit - position) else {
            throw Self.corrupt("the length \(length) at byte \(start) runs past the \(limit - position) bytes left")
        }
        return Int(length)
    }
}
