/// The month and day keys of the sales read models, built for speed.
///
/// Every event a sales projector applies is bucketed by its business day or month, so the key
/// is formatted once per event: here straight into a small string's bytes, without the
/// interpolation and padding of ``BusinessDay/description``.
enum SalesCalendar {
    /// `yyyy-mm` of `day`.
    static func month(_ day: BusinessDay) -> String {
        let (year, month, _) = day.date
        return format(year, month, nil) ?? day.month
    }

    /// `yyyy-mm-dd` of `day`.
    static func day(_ day: BusinessDay) -> String {
        let (year, month, dayOfMonth) = day.date
        return format(year, month, dayOfMonth) ?? day.description
    }

    /// The digits of a date with a four-digit year; `nil` for a year outside 0-9999, which the
    /// callers format the slow way.
    private static func format(_ year: Int, _ month: Int, _ day: Int?) -> String? {
        guard (0...9_999).contains(year) else { return nil }
        let count = day == nil ? 7 : 10
        return String(unsafeUninitializedCapacity: count) { bytes in
            let zero = UInt8(ascii: "0")
            let dash = UInt8(ascii: "-")
            bytes[0] = zero + UInt8(year / 1_000)
            bytes[1] = zero + UInt8(year / 100 % 10)
            bytes[2] = zero + UInt8(year / 10 % 10)
            bytes[3] = zero + UInt8(year % 10)
            bytes[4] = dash
            bytes[5] = zero + UInt8(month / 10)
            bytes[6] = zero + UInt8(month % 10)
            if let day {
                bytes[7] = dash
                bytes[8] = zero + UInt8(day / 10)
                bytes[9] = zero + UInt8(day % 10)
            }
            return count
        }
    }

    /// The months from `first` to `last` (`yyyy-mm`, both included), in order.
    static func months(from first: (year: Int, month: Int), through last: (year: Int, month: Int)) -> [String] {
        var months: [String] = []
        var (year, month) = first
        while (year, month) <= last {
            months.append(format(year, month, nil) ?? "")
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return months
    }
}
