/// How rows are stored: the binary ``RowFormat``, in which equal rows are equal bytes in any
/// process, so read models can be compared byte for byte.
///
/// A row is any `Codable` value: structs, enums (with raw or associated values), arrays,
/// optionals, integers, `Bool`, `Double`, strings, `Timestamp`, and dictionaries keyed by `String`
/// or `Int` (written in the byte order of their keys). A row must not hold a `Set`: it has no
/// order, so the encoder refuses it (`.unencodableRow`); keep a sorted array instead.
///
/// Fields are found by key when decoding, so a field added to a row type as an optional, or
/// removed, does not make stored rows unreadable.
enum RowCodec {
    /// The stored bytes of `row`.
    ///
    /// - Throws: ``ProjectionError`` with `.unencodableRow` when the row holds something the
    ///   format refuses (a `Set`, a dictionary with other keys) or its `encode(to:)` throws.
    static func encode<Row: Encodable>(_ row: Row, table: String, key: String) throws(ProjectionError) -> [UInt8] {
        do {
            return try RowEncoder.encode(row)
        } catch {
            throw ProjectionError(.unencodableRow, "row \"\(key)\" of table \(table) cannot be encoded: \(error)")
        }
    }

    /// The row stored as `bytes`.
    ///
    /// - Throws: ``ProjectionError`` with `.undecodableRow` when the bytes are not a row of the
    ///   format (truncated, corrupt, or JSON from before it) or do not hold a `Row`.
    static func decode<Row: Decodable>(
        _: Row.Type,
        from bytes: UnsafeRawBufferPointer,
        table: String,
        key: String
    ) throws(ProjectionError) -> Row {
        do {
            return try RowDecoder.decode(Row.self, from: bytes)
        } catch {
            throw ProjectionError(.undecodableRow, "row \"\(key)\" of table \(table) cannot be decoded: \(error)")
        }
    }
}
