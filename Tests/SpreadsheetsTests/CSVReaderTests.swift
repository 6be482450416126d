import PropertyBased
import Spreadsheets
import Testing

@Suite("CSV files as people have them")
struct CSVReaderTests {
    private func read(_ text: String, separator: Character? = nil) throws -> [[String]] {
        try CSVReader(separator: separator).records(of: text).map(\.fields)
    }

    @Test("Quoted fields hold separators, doubled quotes and line breaks; records keep the line they start on")
    func quotedFields() throws {
        let text =
            "name,note,phone\r\n\"Acme, Inc.\",\"said \"\"call back\"\"\",010\r\n\"两行\n备注\",\"a\r\nb\",\r\nlast,,9"
        let records = try CSVReader().records(of: text)
        #expect(
            records.map(\.fields) == [
                ["name", "note", "phone"], ["Acme, Inc.", "said \"call back\"", "010"], ["两行\n备注", "a\r\nb", ""],
                ["last", "", "9"],
            ]
        )
        #expect(records.map(\.line) == [1, 2, 3, 6], "the third record spans lines 3 to 5")
    }

    @Test(
        "The separator is the one the header line uses most, outside quotes: comma, semicolon (European Excel) or tab",
        arguments: [(",", "a,b;c"), (";", "a;\"b,c\";d"), ("\t", "a\t\"b;c\"\t\"d,e\"")]
    )
    func detectedSeparator(separator: String, header: String) throws {
        let fields = try read(header + "\n1" + separator + "2" + separator + "3")
        #expect(fields.count == 2 && fields[1] == ["1", "2", "3"], "\(fields)")
        #expect(fields[0].count == (separator == "," ? 2 : 3))
    }

    @Test("A named separator is used as named; anything but , ; or tab is refused")
    func namedSeparator() throws {
        #expect(try read("a;b,c", separator: ",") == [["a;b", "c"]])
        let refused = #expect(throws: SpreadsheetError.self) { try CSVReader(separator: "|") }
        #expect(refused?.code == .malformedCSV)
    }

    @Test("Blank lines are skipped, lines may end in LF, CRLF or CR, and the last line needs no line break")
    func lineEndings() throws {
        #expect(try read("a,b\n\n1,2\r\n\r\n3,4\r5,6") == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(try read("") == [])
        #expect(try read("\n\r\n") == [])
        #expect(try read("\"\"") == [[""]], "one empty quoted field is a record")
    }

    @Test("Malformed quoting is refused with the line it is on, never guessed at")
    func malformed() {
        for (text, line) in [("a,b\n\"open,2\n3,4", 2), ("a,b\n\"x\"y,2", 2), ("a,b\n1,2\nx\"y,3", 3)] {
            let error = #expect(throws: SpreadsheetError.self, "\(text)") { try read(text) }
            #expect(error?.code == .malformedCSV && error?.line == line, "\(String(describing: error))")
        }
    }

    /// Fields built from the pieces that make CSV hard: separators, quotes, line breaks, spaces,
    /// Chinese and Korean text, empty strings.
    static let field = Gen.int(in: 0...11).map {
        [",", ";", "\t", "\"", "\n", "\r\n", " ", "客户", "회사", "a", "0", ""][$0]
    }
    .array(of: 0...6).map { $0.joined() }

    @Test("Any table written with quotes where needed reads back as it was")
    func roundTrip() async {
        let table = Self.field.array(of: 1...5).array(of: 1...8)
        await propertyCheck(count: 400, input: table, Gen.int(in: 0...2)) { rows, which in
            let separator = [",", ";", "\t"][which]
            let text = rows.map { row in
                row.map { field in
                    field.unicodeScalars.contains(where: { ",;\t\"\n\r".unicodeScalars.contains($0) }) || field.isEmpty
                        ? "\"" + field.replacing("\"", with: "\"\"") + "\"" : field
                }.joined(separator: separator)
            }.joined(separator: "\r\n")
            let read = try CSVReader(separator: Character(separator)).records(of: text).map(\.fields)
            #expect(read == rows, "\(text.debugDescription)")
        }
    }

    @Test("Any bytes decode and parse to records or a SpreadsheetError, never a trap")
    func fuzzedBytes() async {
        let bytes = Gen.uint8().array(of: 0...300)
        await propertyCheck(count: 2_000, input: bytes) { bytes in
            do {
                let (text, _) = try TextDecoding.decode(bytes)
                _ = try CSVReader().records(of: text)
            } catch {
                #expect(error is SpreadsheetError)
            }
        }
    }
}
