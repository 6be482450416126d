import PropertyBased
import Spreadsheets
import Testing

@Suite("Dates and amounts in spreadsheet cells")
struct CellValueTests {
    @Test(
        "Every date form of the seeds' files reads as the same day",
        arguments: [
            ("2024-03-05", CellDate.Format.automatic), ("2024/3/5", .automatic), ("2024.03.05", .automatic),
            ("2024年3月5日", .automatic), ("2024年03月05", .automatic), ("45356", .automatic), ("45356", .excelSerial),
            ("05-03-24", .dayMonthYear), ("5/3/2024", .dayMonthYear), ("05.03.2024", .dayMonthYear),
            ("3/5/2024", .monthDayYear), ("03-05-24", .monthDayYear), (" 2024-03-05 ", .automatic),
        ]
    )
    func sameDay(text: String, format: CellDate.Format) throws {
        #expect(try CellDate(parsing: text, format: format).description == "2024-03-05")
    }

    @Test("Times of day, Excel's fractions, two-digit years and the 1900 leap-year quirk")
    func timesAndQuirks() throws {
        #expect(try CellDate(parsing: "2024-03-05 14:30").description == "2024-03-05 14:30:00")
        #expect(try CellDate(parsing: "2024/3/5 9:05:07").secondsOfDay == 9 * 3_600 + 5 * 60 + 7)
        #expect(try CellDate(parsing: "45356.75").description == "2024-03-05 18:00:00")
        #expect(try CellDate(parsing: "1").description == "1900-01-01")
        #expect(try CellDate(parsing: "59").description == "1900-02-28")
        #expect(try CellDate(parsing: "61").description == "1900-03-01", "Excel's serials skip its 1900-02-29")
        #expect(try CellDate(parsing: "25569").description == "1970-01-01")
        #expect(try CellDate(parsing: "31-12-29", format: .dayMonthYear).year == 2029)
        #expect(try CellDate(parsing: "01-01-30", format: .dayMonthYear).year == 1930, "Excel's cut-off")
        let day = try CellDate(parsing: "2024-03-05 08:00")
        #expect(day.secondsSince1970(utcOffsetSeconds: 8 * 3_600) == 1_709_596_800, "08:00 in Shanghai is 00:00 UTC")
    }

    @Test(
        "What is not a date in the column's format is refused, saying why",
        arguments: [
            ("", CellDate.Format.automatic), ("03/05/2024", .automatic), ("2024-02-30", .automatic),
            ("2023-02-29", .automatic), ("2024-13-01", .automatic), ("2024-03/05", .automatic), ("60", .automatic),
            ("0", .excelSerial), ("3000000", .automatic), ("nan", .excelSerial), ("2024-03-05 25:00", .automatic),
            ("2024-03-05 10", .automatic), ("next tuesday", .automatic), ("2024年3月", .automatic),
            ("12345-01-01", .automatic), ("1e5", .excelSerial), ("2024月3年5日", .automatic),
            ("05-03-024", .dayMonthYear), ("3/5/245", .monthDayYear),
        ]
    )
    func refused(text: String, format: CellDate.Format) {
        let error = #expect(throws: SpreadsheetError.self) { try CellDate(parsing: text, format: format) }
        #expect(error?.code == .invalidDate, "\(text)")
    }

    @Test("Any valid day written in each format reads back as that day")
    func dateRoundTrip() async {
        let days = zip(Gen.int(in: 1930...2029), Gen.int(in: 1...12), Gen.int(in: 1...31))
        await propertyCheck(count: 500, input: days) { year, month, day in
            guard day <= 28 || (try? CellDate(parsing: "\(year)-\(month)-\(day)")) != nil else { return }
            let yy = String(year % 100).count == 1 ? "0\(year % 100)" : String(year % 100)
            for (text, format) in [
                ("\(year)/\(month)/\(day)", CellDate.Format.automatic), ("\(year)年\(month)月\(day)日", .automatic),
                ("\(day)-\(month)-\(yy)", .dayMonthYear), ("\(month)/\(day)/\(year)", .monthDayYear),
            ] {
                let read = try CellDate(parsing: text, format: format)
                #expect((read.year, read.month, read.day) == (year, month, day), "\(text)")
            }
        }
    }

    @Test(
        "Amounts with currency signs, thousands separators, parentheses and full-width digits",
        arguments: [
            ("¥1,234.50", 123_450), ("RMB 1,234.5", 123_450), ("1234", 123_400), ("-12.30", -1_230),
            ("(12.30)", -1_230), ("12.30元", 1_230), ("￥１，２３４．５０", 123_450), (" $0.05 ", 5),
            ("-¥1,000", -100_000), ("¥-1,000", -100_000), ("0", 0),
        ] as [(String, Int64)]
    )
    func amounts(text: String, minorUnits: Int64) throws {
        #expect(try CellAmount.minorUnits(text) == minorUnits)
    }

    @Test("Won have no decimals; what is not one amount is refused, never rounded or guessed")
    func refusedAmounts() throws {
        #expect(try CellAmount.minorUnits("₩ 15,000", decimals: 0) == 15_000)
        for text in [
            "", "¥", "12.345", "1,23", "1,2345", "12,", "1.2.3", "abc", "12 34", "--5", "1e5", "99999999999999999999",
            "10000000000000000.00", "(-5)",
        ] {
            let error = #expect(throws: SpreadsheetError.self, "\(text)") { try CellAmount.minorUnits(text) }
            #expect(error?.code == .invalidAmount, "\(text)")
        }
        #expect(throws: SpreadsheetError.self) { try CellAmount.minorUnits("15,000.5", decimals: 0) }
    }

    @Test("Any text is a date, an amount or a SpreadsheetError, never a trap")
    func fuzzed() async {
        let pieces = ["0", "9", "1", "-", "/", ".", ",", "年", "月", "日", " ", ":", "(", ")", "¥", "e", "12", "2024"]
        let text = Gen.int(in: 0...(pieces.count - 1)).map { pieces[$0] }.array(of: 0...14).map { $0.joined() }
        await propertyCheck(count: 3_000, input: text) { text in
            for format in CellDate.Format.allCases {
                do { _ = try CellDate(parsing: text, format: format) } catch { #expect(error is SpreadsheetError) }
            }
            do { _ = try CellAmount.minorUnits(text) } catch { #expect(error is SpreadsheetError) }
        }
    }
}
