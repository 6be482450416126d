/// Checks of the parameters the customer read models' queries take, so every query refuses a
/// malformed one the same way.
enum CustomerQueryParameters {
    /// The longest id accepted, in bytes (a stream name's limit).
    static let maxIDLength = 200
    /// The most rows one page of a listing or timeline returns.
    static let maxPageSize = 1_000

    /// Refuses an id that is empty, too long, or not made of the characters stream ids use
    /// (letters, digits and `_ . : @ + -`): such an id names nothing and, with a `|`, would
    /// reach into another key's rows.
    static func requireID(_ id: String, _ parameter: String) throws(ReadModelQueryError) {
        guard !id.isEmpty, id.utf8.count <= maxIDLength else {
            throw .invalid(parameter, "\(parameter) must be 1 to \(maxIDLength) bytes long")
        }
        let allowed = id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"),
                UInt8(ascii: "@"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
        guard allowed else {
            throw .invalid(parameter, "\(parameter) \"\(id)\" may hold only letters, digits and _ . : @ + -")
        }
    }

    /// Refuses a page size outside 1...``maxPageSize``.
    static func requireLimit(_ limit: Int) throws(ReadModelQueryError) {
        guard (1...maxPageSize).contains(limit) else {
            throw .invalid("limit", "limit must be between 1 and \(maxPageSize), not \(limit)")
        }
    }

    /// Refuses a negative count of days, or one beyond a century (which no reminder needs and
    /// which would overflow day arithmetic far sooner than it made sense).
    static func requireDays(_ days: Int, _ parameter: String) throws(ReadModelQueryError) {
        guard (0...36_500).contains(days) else {
            throw .invalid(parameter, "\(parameter) must be between 0 and 36500 days, not \(days)")
        }
    }
}
