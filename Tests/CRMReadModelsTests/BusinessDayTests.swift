import CRMReadModels
import EventStore
import Testing

@Suite("Business days")
struct BusinessDayTests {
    @Test("A time falls on its day in China time, not the UTC day")
    func chinaTime() {
        // 2026-03-01T23:30:00Z is 07:30 on 2 March in Shanghai.
        let day = BusinessDay(Timestamp(nanosecondsSinceEpoch: 1_772_407_800 * 1_000_000_000))
        #expect(day.description == "2026-03-02")
        #expect(day.start == Timestamp(nanosecondsSinceEpoch: 1_772_380_800 * 1_000_000_000))
    }

    @Test("A day a query may name but a timestamp cannot hold starts at the nearest one it can, without trapping")
    func farDays() throws {
        func start(_ text: String) throws -> Timestamp { try #require(BusinessDay(text)).start }
        let (last, first) = (try start("9999-12-31"), try start("0001-01-01"))
        #expect(try last > start("2259-01-01") && last.nanosecondsSinceEpoch > 0)
        #expect(try first < start("1681-01-01") && first.nanosecondsSinceEpoch < 0)
        #expect(try start("2200-06-01") > start("2200-05-31"), "days a timestamp holds keep their own start")
    }

    @Test(
        "Dates round-trip through day numbers, with leap days",
        arguments: ["1970-01-01", "2024-02-29", "2026-12-31", "1969-12-31"]
    )
    func roundTrip(_ text: String) throws {
        let day = try #require(BusinessDay(text))
        #expect(day.description == text)
    }

    @Test(
        "Impossible or malformed dates are refused",
        arguments: ["2025-02-29", "2026-13-01", "2026-1-01", "2026-01-0x", ""]
    )
    func refused(_ text: String) {
        #expect(BusinessDay(text) == nil)
    }

    @Test("Months, quarters and ISO weeks")
    func periods() throws {
        let day = try #require(BusinessDay("2026-11-24"))
        #expect(day.month == "2026-11" && day.quarter == "2026-Q4" && day.year == "2026")
        #expect(day.isoWeek == "2026-W48")
        // 2027-01-01 is a Friday: it belongs to the last ISO week of 2026.
        #expect(BusinessDay("2027-01-01")?.isoWeek == "2026-W53")
        #expect(BusinessDay("2024-12-30")?.isoWeek == "2025-W01")
    }
}
