/// A date, with a time of day when the cell has one, as a spreadsheet cell writes it.
public struct CellDate: Sendable, Hashable, CustomStringConvertible {
    /// The year, 1-9999.
    public var year: Int
    /// The month, 1-12.
    public var month: Int
    /// The day of the month.
    public var day: Int
    /// Seconds since midnight, 0 when the cell gives no time.
    public var secondsOfDay: Int

    /// How a column writes its dates. Day-first and month-first numbers cannot be told apart
    /// in general (`03/05/2024`), so a column that uses them names its format.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// `yyyy-mm-dd` or `yyyy/m/d`, `2024年3月5日`, or an Excel serial number: the forms
        /// that are never ambiguous.
        case automatic = "auto"
        /// `dd-mm-yy`, `dd/mm/yyyy`, `dd.mm.yyyy`.
        case dayMonthYear = "dd-mm-yyyy"
        /// `m/d/yyyy`, `mm-dd-yy`.
        case monthDayYear = "mm-dd-yyyy"
        /// Excel's serial day number (1 is 1900-01-01, with Excel's fictitious 1900-02-29 as
        /// 60); a fraction is the time of day.
        case excelSerial = "excel"
    }

    /// The date written in `text` in `format`, with an optional time `HH:mm` or `HH:mm:ss`
    /// after a space (or a `T`).
    ///
    /// - Throws: ``SpreadsheetError`` `invalid_date`, saying what was expected.
    public init(parsing text: String, format: Format = .automatic) throws(SpreadsheetError) {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { throw Self.invalid(text, "the cell is empty") }
        let looksSerial =
            trimmed.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") } && trimmed.count { $0 == "." } <= 1
        if format == .excelSerial || format == .automatic && looksSerial {
            self = try Self.excelSerial(trimmed, text: text)
            return
        }
        var (datePart, timePart) = (Substring(trimmed), Substring?.none)
        if let split = trimmed.firstIndex(where: { $0 == " " || $0 == "T" }) {
            (datePart, timePart) = (trimmed[..<split], trimmed[trimmed.index(after: split)...].drop { $0 == " " })
        }
        let numbers: [Int]
        let yearFirst: Bool
        if datePart.contains("年") {
            numbers = try Self.numbers(
                datePart,
                separators: ["年", "月", "日"],
                text: text,
                dropLast: datePart.hasSuffix("日")
            )
            yearFirst = true
        } else {
            numbers = try Self.numbers(datePart, separators: ["-", "/", "."], text: text)
            yearFirst = numbers.count == 3 && datePart.prefix { $0.isNumber }.count == 4
        }
        guard numbers.count == 3 else { throw Self.invalid(text, "a date has a year, a month and a day") }
        var (year, month, day): (Int, Int, Int)
        if yearFirst {
            (year, month, day) = (numbers[0], numbers[1], numbers[2])
        } else {
            switch format {
            case .dayMonthYear: (day, month, year) = (numbers[0], numbers[1], numbers[2])
            case .monthDayYear: (month, day, year) = (numbers[0], numbers[1], numbers[2])
            case .automatic, .excelSerial:
                throw Self.invalid(
                    text,
                    "day-first and month-first dates look alike; name the column's format (dd-mm-yyyy or mm-dd-yyyy)"
                )
            }
            let yearDigits = datePart.split { !$0.isNumber }.last?.count ?? 0
            guard yearDigits == 2 || yearDigits == 4 else { throw Self.invalid(text, "a year has 2 or 4 digits") }
            if yearDigits == 2 { year += year < 30 ? 2000 : 1900 }  // Excel's cut-off
        }
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= Self.days(in: month, of: year)
        else { throw Self.invalid(text, "there is no such day") }
        (self.year, self.month, self.day) = (year, month, day)
        if let timePart {
            secondsOfDay = try Self.seconds(timePart, text: text)
        } else {
            secondsOfDay = 0
        }
    }

    /// `yyyy-mm-dd`, with ` HH:mm:ss` when the cell gave a time.
    public var description: String {
        func padded(_ value: Int, _ width: Int) -> String {
            String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
        }
        let date = "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
        guard secondsOfDay > 0 else { return date }
        return date
            + " \(padded(secondsOfDay / 3_600, 2)):\(padded(secondsOfDay / 60 % 60, 2)):\(padded(secondsOfDay % 60, 2))"
    }

    /// Seconds since 1970-01-01 00:00 UTC of this date and time in a zone `utcOffsetSeconds`
    /// east of UTC.
    public func secondsSince1970(utcOffsetSeconds: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = Int64(era * 146_097 + dayOfEra - 719_468)
        return days * 86_400 + Int64(secondsOfDay) - Int64(utcOffsetSeconds)
    }

    // MARK: - Parts

    private init(year: Int, month: Int, day: Int, secondsOfDay: Int) {
        (self.year, self.month, self.day, self.secondsOfDay) = (year, month, day, secondsOfDay)
    }

    private static func excelSerial(_ trimmed: String, text: String) throws(SpreadsheetError) -> CellDate {
        guard trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let serial = Double(trimmed),
            serial >= 1, serial < 2_958_466
        else {
            throw invalid(text, "an Excel date is a serial number from 1 (1900-01-01) to 2958465 (9999-12-31)")
        }
        let whole = Int(serial)  // in range: checked above
        guard whole != 60 else { throw invalid(text, "Excel's day 60 is 1900-02-29, a day that never was") }
        // Excel counts 1900 as a leap year: from day 61 on, its serials are one ahead.
        let daysSince1970 = whole - (whole < 60 ? 25_568 : 25_569)
        let seconds = Int(((serial - Double(whole)) * 86_400).rounded())
        var date = CellDate(year: 1970, month: 1, day: 1, secondsOfDay: min(seconds, 86_399))
        (date.year, date.month, date.day) = civil(daysSince1970)
        return date
    }

    private static func civil(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The numbers between `separators` (one kind of separator throughout), each 1-4 digits.
    private static func numbers(
        _ part: Substring,
        separators: [Character],
        text: String,
        dropLast: Bool = false
    ) throws(SpreadsheetError) -> [Int] {
        let pieces = part.split(omittingEmptySubsequences: false) { separators.contains($0) }
        let used = Set(part.filter { separators.contains($0) })
        let chinese = separators.contains("年")
        let order = String(part.filter { separators.contains($0) })
        guard chinese ? order == "年月" || order == "年月日" : used.count == 1 else {
            throw invalid(
                text,
                chinese ? "a date is written 年, 月 and 日 in that order" : "a date uses one separator throughout"
            )
        }
        var numbers: [Int] = []
        for (index, piece) in pieces.enumerated() {
            if dropLast, index == pieces.count - 1, piece.isEmpty { continue }
            guard (1...4).contains(piece.count), piece.allSatisfy({ $0.isASCII && $0.isNumber }),
                let number = Int(piece)
            else { throw invalid(text, "expected numbers of 1 to 4 digits between the separators") }
            numbers.append(number)
        }
        return numbers
    }

    private static func seconds(_ time: Substring, text: String) throws(SpreadsheetError) -> Int {
        let parts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count),
            parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            case let values = parts.compactMap({ Int($0) }), values[0] < 24, values[1] < 60,
            values.count < 3 || values[2] < 60
        else { throw invalid(text, "a time is HH:mm or HH:mm:ss") }
        return values[0] * 3_600 + values[1] * 60 + (values.count == 3 ? values[2] : 0)
    }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func invalid(_ text: String, _ why: String) -> SpreadsheetError {
        SpreadsheetError(.invalidDate, "\"\(text)\" is not a date: \(why)")
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and no-break or ideographic spaces.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" || $0 == "\u{3000}" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
