/// Records of a CSV file as people have them: fields separated by `,`, `;` or a tab (found
/// from the header line when not named), quoted with `"` where they hold a separator, a quote
/// (doubled) or line breaks, lines ending in LF, CRLF or CR.
public struct CSVReader: Sendable {
    /// One record: its fields, and the line of the file it starts on (a quoted field may run
    /// over several lines).
    public struct Record: Sendable, Hashable {
        /// The fields, unquoted.
        public var fields: [String]
        /// The 1-based line of the file the record starts on.
        public var line: Int
    }

    /// The separator between fields, as named; `nil` to find it in each text's header line.
    public let separator: Character?
    private let separatorByte: UInt8?

    /// A reader splitting fields at `separator` (`,`, `;` or a tab), or at the one the header
    /// line of each text uses most, outside quotes, when `nil`.
    public init(separator: Character? = nil) throws(SpreadsheetError) {
        self.separator = separator
        guard let separator else {
            separatorByte = nil
            return
        }
        guard let byte = separator.asciiValue, Self.separators.contains(byte) else {
            throw SpreadsheetError(.malformedCSV, "a separator is , ; or a tab, not \"\(separator)\"")
        }
        separatorByte = byte
    }

    static let separators: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// Every record of `text`, blank lines left out.
    ///
    /// - Throws: ``SpreadsheetError`` `malformed_csv` for a quoted field that never closes, or
    ///   text after a closing quote, naming the line.
    public func records(of text: String) throws(SpreadsheetError) -> [Record] {
        var text = text
        // withUTF8 rethrows untyped errors: carry the typed one out in a Result.
        let parsed = text.withUTF8 { bytes -> Result<[Record], SpreadsheetError> in
            do throws(SpreadsheetError) {
                return .success(try parse(bytes))
            } catch {
                return .failure(error)
            }
        }
        return try parsed.get()
    }

    /// The separator the header line (the first line, outside quotes) uses most; `,` when it
    /// has none.
    static func detectSeparator(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var counts = [0, 0, 0]
        var quoted = false
        for byte in bytes {
            if byte == quote {
                quoted.toggle()
            } else if !quoted, byte == lineFeed || byte == carriageReturn {
                break
            } else if !quoted, let index = separators.firstIndex(of: byte) {
                counts[index] += 1
            }
        }
        let most = counts.indices.max { counts[$0] < counts[$1] } ?? 0
        return counts[most] > 0 ? separators[most] : separators[0]
    }

    private func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(SpreadsheetError) -> [Record] {
        let separator = separatorByte ?? Self.detectSeparator(bytes)
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var index = 0
        var quotedFieldEnded = false

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedFieldEnded = false
        }
        func endRecord() {
            let lastQuoted = quotedFieldEnded
            endField()
            // A blank line is one empty field, not a record; `""` alone is a record of one.
            if fields.count > 1 || !fields[0].isEmpty || lastQuoted {
                records.append(Record(fields: fields, line: recordLine))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case Self.quote where field.isEmpty && !quotedFieldEnded:
                // A quoted field: up to the quote not doubled.
                let opened = line
                while true {
                    guard index < bytes.count else {
                        throw SpreadsheetError(.malformedCSV, "the quoted field opened here never closes", line: opened)
                    }
                    let inner = bytes[index]
                    index += 1
                    if inner == Self.quote {
                        guard index < bytes.count, bytes[index] == Self.quote else { break }
                        index += 1
                    } else if inner == Self.lineFeed
                        || (inner == Self.carriageReturn && !(index < bytes.count && bytes[index] == Self.lineFeed))
                    {
                        line += 1
                    }
                    field.append(inner)
                }
                quotedFieldEnded = true
            case separator:
                endField()
            case Self.lineFeed, Self.carriageReturn:
                if byte == Self.carriageReturn, index < bytes.count, bytes[index] == Self.lineFeed { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            default:
                guard !quotedFieldEnded else {
                    throw SpreadsheetError(
                        .malformedCSV,
                        "text follows a closing quote; a quote inside a quoted field is written twice (\"\")",
                        line: line
                    )
                }
                if byte == Self.quote {
                    throw SpreadsheetError(
                        .malformedCSV,
                        "a quote inside an unquoted field; quote the whole field and write the quote twice",
                        line: line
                    )
                }
                field.append(byte)
            }
        }
        if !field.isEmpty || !fields.isEmpty || quotedFieldEnded { endRecord() }
        return records
    }
}
