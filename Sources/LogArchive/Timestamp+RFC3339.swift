import EventStore
import Foundation

/// Appends what `Timestamp.description` says, `2026-11-24T09:30:00.000000001Z`, without
/// `String(format:)`, which cost half of a replay's time.
func appendTime(_ time: Timestamp, to output: inout [UInt8]) {
    let start = output.count
    var seconds = time.nanosecondsSinceEpoch / 1_000_000_000
    var nanos = time.nanosecondsSinceEpoch % 1_000_000_000
    if nanos < 0 {
        nanos += 1_000_000_000
        seconds -= 1
    }
    var days = seconds / 86_400
    var secondOfDay = seconds % 86_400
    if secondOfDay < 0 {
        secondOfDay += 86_400
        days -= 1
    }
    // Howard Hinnant's days-to-civil-date, for the proleptic Gregorian calendar.
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    guard (0...9_999).contains(year) else { return output.append(contentsOf: time.description.utf8) }
    func digits(_ value: Int64, _ count: Int) {
        var divisor: Int64 = 1
        for _ in 1..<count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
    digits(year, 4)
    output.append(UInt8(ascii: "-"))
    digits(month, 2)
    output.append(UInt8(ascii: "-"))
    digits(day, 2)
    output.append(UInt8(ascii: "T"))
    digits(secondOfDay / 3_600, 2)
    output.append(UInt8(ascii: ":"))
    digits(secondOfDay / 60 % 60, 2)
    output.append(UInt8(ascii: ":"))
    digits(secondOfDay % 60, 2)
    output.append(UInt8(ascii: "."))
    digits(nanos, 9)
    output.append(UInt8(ascii: "Z"))
    assert(
        String(decoding: output[start...], as: UTF8.self) == time.description,
        "appendTime disagrees with Timestamp.description"
    )
}

extension Timestamp {
    /// Parses what `description` writes, `2026-11-24T09:30:00.000000001Z`, to the nanosecond;
    /// `nil` for anything else, and for a time a `Timestamp` cannot hold (before 1677-09-21 or
    /// after 2262-04-11).
    init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 30, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            bytes[19] == UInt8(ascii: "."), bytes[29] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), let nanos = number(20..<29)
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = Int64(timegm(&parts))
        // Years before 1678 or after 2262 are past a nanosecond Int64: refused, not trapped on.
        // Before 1970 the nanoseconds are taken from the next second up, so the earliest time
        // a Timestamp holds does not overflow on its way.
        let borrow = seconds < 0 && nanos > 0
        let (whole, overflow) = (borrow ? seconds + 1 : seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (nanoseconds, carry) = whole.addingReportingOverflow(borrow ? Int64(nanos) - 1_000_000_000 : Int64(nanos))
        guard !overflow, !carry else { return nil }
        self.init(nanosecondsSinceEpoch: nanoseconds)
        var canonical: [UInt8] = []
        appendTime(self, to: &canonical)
        guard canonical == bytes else { return nil }
    }
}
