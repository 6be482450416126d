import Foundation

/// How rows are stored: JSON with sorted keys, so equal rows are equal bytes.
enum RowCodec {
    static func encode<Row: Encodable>(_ row: Row, table: String, key: String) throws(ProjectionError) -> [UInt8] {
        do {
            return Array(try encoder.encode(row))
        } catch {
            throw ProjectionError(.unencodableRow, "row \"\(key)\" of table \(table) cannot be encoded: \(error)")
        }
    }

    static func decode<Row: Decodable>(
        _: Row.Type,
        from bytes: UnsafeRawBufferPointer,
        table: String,
        key: String
    ) throws(ProjectionError) -> Row {
        do {
            return try JSONDecoder().decode(Row.self, from: Data(bytes))
        } catch {
            throw ProjectionError(.undecodableRow, "row \"\(key)\" of table \(table) cannot be decoded: \(error)")
        }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
