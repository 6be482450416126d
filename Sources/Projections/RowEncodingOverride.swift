/// A type the ``RowEncoder`` writes by hand instead of through its `encode(to:)`: dictionaries,
/// whose own encoding follows their random iteration order; sets, which have no order at all;
/// and arrays and optionals, which are written faster without a container per value.
///
/// Found with one dynamic cast per nested value: the conformances are conditional, so a
/// dictionary of non-`Encodable` values, which cannot be in a row, does not match.
protocol RowEncodingOverride {
    func encodeRow(into encoder: RowEncoder) throws
}

// MARK: - Dictionaries

/// Written as an object whose fields are in the byte order of their keys' UTF-8, so that equal
/// dictionaries are equal bytes in any process (Swift seeds its hashing per process, so
/// iteration order differs).
///
/// A key is written as its text: a `String` as itself, an `Int` in decimal, a
/// `CodingKeyRepresentable` as its coding key's `stringValue`, as the standard library's
/// `init(from:)` reads them back. Any other key type is refused: the standard library would
/// write such a dictionary as an unordered list of keys and values.
extension Dictionary: RowEncodingOverride where Key: Encodable, Value: Encodable {
    func encodeRow(into encoder: RowEncoder) throws {
        let names = try Self.names(of: keys)
        let values = Array(self.values)
        // Positions are sorted rather than (key, value) pairs: sorting pairs runs generic code
        // over a tuple of an unknown type, which cost more than writing the whole rest of a row.
        let order = names.indices.sorted { names[$0].utf8.lexicographicallyPrecedes(names[$1].utf8) }
        try encoder.writeObject {
            for position in order {
                encoder.writeKey(names[position])
                do {
                    try encoder.encodeValue(values[position])
                } catch let error as EncodingError {
                    throw error.prefixed(by: RowIndexKey(stringValue: names[position]))
                }
            }
        }
    }

    /// The text of each key, in the order of `keys` (which is that of `values`).
    private static func names(of keys: Keys) throws -> [String] {
        if Key.self == String.self {
            // A bit cast between identical types, as in RowEncoder.writeScalar.
            return keys.map { unsafeBitCast($0, to: String.self) }
        } else if Key.self == Int.self {
            return keys.map { String(unsafeBitCast($0, to: Int.self)) }
        } else if Key.self is any CodingKeyRepresentable.Type {
            // The cast cannot fail: Key was just found to conform.
            return keys.map { ($0 as? any CodingKeyRepresentable)?.codingKey.stringValue ?? "" }
        }
        let message = "a dictionary keyed by \(Key.self) has no deterministic encoding; key it by String or Int"
        throw EncodingError.invalidValue(keys, EncodingError.Context(codingPath: [], debugDescription: message))
    }
}

// MARK: - Sets

/// Refused: a set has no order, so two equal sets could be written differently, and the engine
/// compares read models byte for byte. A row keeps a sorted array instead.
extension Set: RowEncodingOverride where Element: Encodable {
    func encodeRow(into encoder: RowEncoder) throws {
        let message = "a Set<\(Element.self)> has no order, so rows cannot hold one; use a sorted array"
        throw EncodingError.invalidValue(self, EncodingError.Context(codingPath: [], debugDescription: message))
    }
}

// MARK: - Arrays and optionals

/// Written with the element count known in advance, and arrays of scalars without a generic
/// call per element.
extension Array: RowEncodingOverride where Element: Encodable {
    func encodeRow(into encoder: RowEncoder) throws {
        try encoder.writeArray(count: count) {
            // Bit casts between identical types, as in RowEncoder.writeScalar.
            if Element.self == Int.self {
                for value in unsafeBitCast(self, to: [Int].self) { encoder.writeInteger(value) }
            } else if Element.self == String.self {
                for value in unsafeBitCast(self, to: [String].self) { encoder.writeString(value) }
            } else if Element.self == Int64.self {
                for value in unsafeBitCast(self, to: [Int64].self) { encoder.writeInteger(value) }
            } else if Element.self == UInt64.self {
                for value in unsafeBitCast(self, to: [UInt64].self) { encoder.writeInteger(value) }
            } else if Element.self == Double.self {
                for value in unsafeBitCast(self, to: [Double].self) { encoder.writeDouble(value) }
            } else if Element.self == Int32.self {
                for value in unsafeBitCast(self, to: [Int32].self) { encoder.writeInteger(value) }
            } else if Element.self == Bool.self {
                for value in unsafeBitCast(self, to: [Bool].self) { encoder.writeBool(value) }
            } else if Element.self is any RowEncodingOverride.Type || RowScalar(Element.self) != nil {
                for index in indices {
                    try Self.write(self[index], at: index) { try encoder.encodeValue($0) }
                }
            } else {
                // Structs and enums: skip the scalar tests and the cast, known to fail.
                for index in indices {
                    try Self.write(self[index], at: index) { try encoder.encodeComposite($0) }
                }
            }
        }
    }

    /// Writes `element` with `body`; an error it throws names the element's index in its path.
    @inline(__always)
    private static func write(_ element: Element, at index: Int, _ body: (Element) throws -> Void) throws {
        do {
            try body(element)
        } catch let error as EncodingError {
            throw error.prefixed(by: RowIndexKey(index))
        }
    }
}

/// Written as nil or as the wrapped value, without a single value container.
extension Optional: RowEncodingOverride where Wrapped: Encodable {
    func encodeRow(into encoder: RowEncoder) throws {
        if let wrapped = self { try encoder.encodeValue(wrapped) } else { encoder.writeNil() }
    }
}
