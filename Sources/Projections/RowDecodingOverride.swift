/// A type the ``RowDecoder`` reads by hand instead of through its `init(from:)`, because the
/// generic path costs a container per value: arrays, optionals, and dictionaries keyed by
/// `String` or `Int`. Each reads what the matching ``RowEncodingOverride`` wrote.
protocol RowDecodingOverride {
    /// Reads the value from `start` to `end` (checked already to be one whole value).
    static func decodeRow(from decoder: RowDecoder, at start: Int, end: Int) throws -> Self
}

// MARK: - Arrays

extension Array: RowDecodingOverride where Element: Decodable {
    static func decodeRow(from decoder: RowDecoder, at start: Int, end: Int) throws -> [Element] {
        let (elements, count, _) = try decoder.arrayPayload(at: start, limit: end)
        var position = elements
        let result: [Element]
        // Bit casts between identical types, as in RowDecoder.readScalar.
        if Element.self == Int.self {
            result = unsafeBitCast(
                try scalars(count, &position) { try decoder.readInteger(Int.self, &$0, limit: end) },
                to: Self.self
            )
        } else if Element.self == String.self {
            result = unsafeBitCast(
                try scalars(count, &position) { try decoder.readString(&$0, limit: end) },
                to: Self.self
            )
        } else if Element.self == Int64.self {
            result = unsafeBitCast(
                try scalars(count, &position) { try decoder.readInteger(Int64.self, &$0, limit: end) },
                to: Self.self
            )
        } else if Element.self == UInt64.self {
            result = unsafeBitCast(
                try scalars(count, &position) { try decoder.readInteger(UInt64.self, &$0, limit: end) },
                to: Self.self
            )
        } else if Element.self == Double.self {
            result = unsafeBitCast(
                try scalars(count, &position) { try decoder.readDouble(&$0, limit: end) },
                to: Self.self
            )
        } else if Element.self == Int32.self {
            result = unsafeBitCast(
                try scalars(count, &position) { try decoder.readInteger(Int32.self, &$0, limit: end) },
                to: Self.self
            )
        } else if Element.self == Bool.self {
            result = unsafeBitCast(
                try scalars(count, &position) { try decoder.readBool(&$0, limit: end) },
                to: Self.self
            )
        } else if Element.self is any RowDecodingOverride.Type {
            result = try scalars(count, &position) { position in
                let (element, next) = try decoder.decodeValue(Element.self, at: position, limit: end)
                position = next
                return element
            }
        } else {
            // Narrow scalars, then structs and enums through their init(from:), without the cast known
            // to fail.
            if let kind = RowScalar(Element.self) {
                result = try scalars(count, &position) {
                    try decoder.readScalar(kind, as: Element.self, &$0, limit: end)
                }
            } else {
                result = try scalars(count, &position) { position in
                    let next = try decoder.end(ofValueAt: position, limit: end)
                    defer { position = next }
                    return try decoder.decodeComposite(Element.self, at: position, end: next)
                }
            }
        }
        guard position == end else {
            throw RowDecoder.corrupt("\(end - position) bytes follow the last element of the array at byte \(position)")
        }
        return result
    }

    /// Reads `count` elements with `read`, each under its index in errors.
    @inline(__always)
    private static func scalars<S>(_ count: Int, _ position: inout Int, _ read: (inout Int) throws -> S) throws -> [S] {
        var result: [S] = []
        // The count was checked against the bytes left, so this reserves at most one element a byte.
        result.reserveCapacity(count)
        for index in 0..<count {
            do {
                result.append(try read(&position))
            } catch let error as DecodingError {
                throw error.prefixed(by: RowIndexKey(index))
            }
        }
        return result
    }
}

// MARK: - Optionals

extension Optional: RowDecodingOverride where Wrapped: Decodable {
    static func decodeRow(from decoder: RowDecoder, at start: Int, end: Int) throws -> Wrapped? {
        if decoder.isNil(at: start, limit: end) { return nil }
        return try decoder.decodeValue(Wrapped.self, at: start, limit: end).0
    }
}

// MARK: - Dictionaries

extension Dictionary: RowDecodingOverride where Key: Decodable, Value: Decodable {
    static func decodeRow(from decoder: RowDecoder, at start: Int, end: Int) throws -> [Key: Value] {
        if Key.self == String.self {
            return unsafeBitCast(try entries(decoder, start, end) { $0 }, to: Self.self)
        } else if Key.self == Int.self {
            return unsafeBitCast(try entries(decoder, start, end) { Int($0) }, to: Self.self)
        }
        // Other keys (CodingKeyRepresentable) go the standard library's way, by `allKeys`.
        return try decoder.decodeComposite(Self.self, at: start, end: end)
    }

    /// The entries of the object from `start` to `end`, keyed by `key(name)`.
    private static func entries<K: Hashable>(
        _ decoder: RowDecoder,
        _ start: Int,
        _ end: Int,
        key: (String) -> K?
    ) throws -> [K: Value] {
        let payload = try decoder.objectPayload(at: start, limit: end)
        var result: [K: Value] = [:]
        var position = payload.lowerBound
        while position < payload.upperBound {
            let field = try decoder.fieldKey(at: position, limit: payload.upperBound)
            let name = try decoder.utf8(at: field.key, count: field.count)
            guard let key = key(name) else {
                throw RowDecoder.corrupt("the key \"\(name)\" at byte \(field.key) is not a \(K.self)")
            }
            do {
                let (value, next) = try decoder.decodeValue(Value.self, at: field.value, limit: payload.upperBound)
                result[key] = value
                position = next
            } catch let error as DecodingError {
                throw error.prefixed(by: RowIndexKey(stringValue: name))
            }
        }
        return result
    }
}
