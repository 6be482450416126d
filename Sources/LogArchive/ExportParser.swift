/// Turns an export's decompressed bytes into items, however the bytes are split.
protocol ExportParser {
    /// Where the parser is: the line or byte offset it reached.
    var location: ImportLocation { get }
    mutating func consume(_ bytes: UnsafeRawBufferPointer, _ emit: (ImportItem) -> Void) throws
    /// The input ended: refuses a partial line or frame.
    mutating func finish() throws
}

/// Looks at the first decompressed byte and hands everything to the right parser.
struct SniffingParser: ExportParser {
    private var inner: (any ExportParser)?

    var location: ImportLocation { inner?.location ?? .byte(0) }

    mutating func consume(_ bytes: UnsafeRawBufferPointer, _ emit: (ImportItem) -> Void) throws {
        if inner == nil, let first = bytes.first {
            if first == UInt8(ascii: "{") {
                inner = NDJSONExportParser()
            } else if first == ExportFormat.binaryMagic[0] {
                inner = BinaryExportParser()
            } else {
                throw ImportError(code: .notAnExport, message: "the decompressed file is neither NDJSON nor RAPPORTX")
            }
        }
        try inner?.consume(bytes, emit)
    }

    mutating func finish() throws {
        guard inner != nil else { throw ImportError(code: .truncatedInput, message: "the file is empty") }
        try inner?.finish()
    }
}
