import Spreadsheets
import Testing

@Suite("Text encodings of spreadsheet files")
struct TextDecodingTests {
    /// `客户名称,电话` / `北京星河科技有限公司,010-5555` / `"上海""东方""贸易,分公司",021` in GB18030,
    /// as Excel on Chinese Windows saves "CSV (comma delimited)".
    static let chinese: [UInt8] = [
        0xbf, 0xcd, 0xbb, 0xa7, 0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xb5, 0xe7, 0xbb, 0xb0, 0x0d, 0x0a, 0xb1, 0xb1, 0xbe,
        0xa9, 0xd0, 0xc7, 0xba, 0xd3, 0xbf, 0xc6, 0xbc, 0xbc, 0xd3, 0xd0, 0xcf, 0xde, 0xb9, 0xab, 0xcb, 0xbe, 0x2c,
        0x30, 0x31, 0x30, 0x2d, 0x35, 0x35, 0x35, 0x35, 0x0d, 0x0a, 0x22, 0xc9, 0xcf, 0xba, 0xa3, 0x22, 0x22, 0xb6,
        0xab, 0xb7, 0xbd, 0x22, 0x22, 0xc3, 0xb3, 0xd2, 0xd7, 0x2c, 0xb7, 0xd6, 0xb9, 0xab, 0xcb, 0xbe, 0x22, 0x2c,
        0x30, 0x32, 0x31, 0x0d, 0x0a,
    ]
    /// `고객명,전화` / `서울상사 주식회사,02-555` / `부산무역,051` in CP949, as Excel on Korean Windows
    /// saves it.
    static let korean: [UInt8] = [
        0xb0, 0xed, 0xb0, 0xb4, 0xb8, 0xed, 0x2c, 0xc0, 0xfc, 0xc8, 0xad, 0x0d, 0x0a, 0xbc, 0xad, 0xbf, 0xef, 0xbb,
        0xf3, 0xbb, 0xe7, 0x20, 0xc1, 0xd6, 0xbd, 0xc4, 0xc8, 0xb8, 0xbb, 0xe7, 0x2c, 0x30, 0x32, 0x2d, 0x35, 0x35,
        0x35, 0x0d, 0x0a, 0xba, 0xce, 0xbb, 0xea, 0xb9, 0xab, 0xbf, 0xaa, 0x2c, 0x30, 0x35, 0x31, 0x0d, 0x0a,
    ]

    @Test("GB18030 from Chinese Excel is detected and read")
    func chineseExcel() throws {
        let (text, encoding) = try TextDecoding.decode(Self.chinese)
        #expect(encoding == .gb18030)
        #expect(
            try CSVReader().records(of: text).map(\.fields) == [
                ["客户名称", "电话"], ["北京星河科技有限公司", "010-5555"], ["上海\"东方\"贸易,分公司", "021"],
            ]
        )
    }

    @Test("CP949 from Korean Excel is detected and read")
    func koreanExcel() throws {
        let (text, encoding) = try TextDecoding.decode(Self.korean)
        #expect(encoding == .cp949)
        #expect(
            try CSVReader().records(of: text).map(\.fields) == [
                ["고객명", "전화"], ["서울상사 주식회사", "02-555"], ["부산무역", "051"],
            ]
        )
    }

    @Test("A byte-order mark names UTF-8 or UTF-16 and is dropped; plain UTF-8 and ASCII are UTF-8")
    func byteOrderMarks() throws {
        #expect(try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array("名,b".utf8)) == ("名,b", .utf8))
        #expect(try TextDecoding.decode([0xFF, 0xFE, 0x0D, 0x54, 0x2C, 0x00]) == ("名,", .utf16LittleEndian))
        #expect(try TextDecoding.decode([0xFE, 0xFF, 0x54, 0x0D]) == ("名", .utf16BigEndian))
        #expect(try TextDecoding.decode(Array("客户,x".utf8)) == ("客户,x", .utf8))
        #expect(try TextDecoding.decode([]) == ("", .utf8))
    }

    @Test("A named encoding wins over detection; GB18030's four-byte characters read")
    func named() throws {
        #expect(try TextDecoding.decode(Self.korean, as: .cp949).text.hasPrefix("고객명"))
        #expect(try TextDecoding.decode([0x95, 0x32, 0x82, 0x36], as: .gb18030).text == "𠀀")
        #expect(try TextEncoding(named: "GBK") == .gb18030)
        #expect(try TextEncoding(named: "EUC-KR") == .cp949)
        #expect(try TextEncoding(named: "ks_c_5601-1987") == .cp949)
        let unknown = #expect(throws: SpreadsheetError.self) { try TextEncoding(named: "latin-7") }
        #expect(unknown?.code == .unknownEncoding)
    }

    @Test("Bytes that are not text in the named encoding are refused with the line of the first bad byte")
    func undecodable() {
        let badUTF8 = #expect(throws: SpreadsheetError.self) {
            try TextDecoding.decode(Array("a,b\n1,2\n".utf8) + [0xC3, 0x28], as: .utf8)
        }
        #expect(badUTF8?.code == .undecodableText && badUTF8?.line == 3, "\(String(describing: badUTF8))")
        let badGB = #expect(throws: SpreadsheetError.self) {
            try TextDecoding.decode(Array("x\n".utf8) + [0x81, 0x20], as: .gb18030)
        }
        #expect(badGB?.code == .undecodableText && badGB?.line == 2, "\(String(describing: badGB))")
    }
}
