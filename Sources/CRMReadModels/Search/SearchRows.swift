/// A customer, contact or lead as the search index keeps it: what a hit shows, and the postings
/// it is indexed under, so that a rename or an update drops the old ones.
struct SearchRecordRow: Codable, Sendable, Hashable {
    /// `customer`, `contact` or `lead`.
    var kind: String
    var id: String
    /// The owning rep: the customer's owner (a contact's is its customer's), the lead's
    /// assignee; empty for a customer in the public pool or an unassigned lead.
    var ownerID = ""
    /// The customer's name, the contact's name, the lead's company name, as entered.
    var name = ""
    /// A lead's contact person.
    var contactName = ""
    var phone = ""
    var email = ""
    var creditCode = ""
    /// A contact's customer; the customer a converted lead became.
    var customerID = ""
    /// A contact's customer's name.
    var customerName = ""
    /// A lead's status: `open`, `qualified`, `disqualified`, `converted`.
    var leadStatus = ""
    /// A customer's contacts, by record number: they follow its owner and name.
    var contacts: [String] = []
    /// The postings of the record, sorted: a table code (``SearchTerm/Table``) then the term.
    var terms: [String] = []

    init(kind: SearchRecordKind, id: String) {
        self.kind = kind.rawValue
        self.id = id
    }

    var recordKind: SearchRecordKind? { SearchRecordKind(rawValue: kind) }
}

/// What a record is.
enum SearchRecordKind: String, Sendable, Hashable, CaseIterable {
    case customer, contact, lead

    /// The letter that keys the record's id in the `ids` table.
    var letter: String {
        switch self {
        case .customer: "c"
        case .contact: "p"
        case .lead: "l"
        }
    }
}

/// Keys of the search index's tables.
///
/// Records are numbered in the order the log first names them (base 36, `0`, `1`, … `z`, `10`):
/// postings carry that number rather than a 36-character id, which keeps posting keys within
/// Swift's 15-byte inline strings and the store's rows small; and hits that match equally well
/// come out in that order, oldest record first.
enum SearchKeys {

    static func record(_ number: Int) -> String { String(number, radix: 36) }

    static func id(_ kind: SearchRecordKind, _ id: String) -> String { kind.letter + "|" + id }

    /// The key of a posting of `table` for `term` and record `number`: `term|record` for a table
    /// of one row per posting, `term|block` for a packed one.
    static func posting(_ table: SearchTerm.Table, _ term: String, _ number: Int) -> String {
        term + "|" + record(table.blockSize.map { number / $0 } ?? number)
    }

    /// The term and number (a record's, or a block's) of a posting key; `nil` for a key not made
    /// by ``posting(_:_:_:)``. Read as bytes: it runs for every posting a query reads.
    static func split(_ key: String) -> (term: Substring, number: Int)? {
        let utf8 = key.utf8
        guard let bar = utf8.lastIndex(of: UInt8(ascii: "|")), let number = number(utf8[utf8.index(after: bar)...])
        else { return nil }
        return (Substring(utf8[..<bar]), number)
    }

    /// A base-36 number of at most 12 digits, `0-9a-z`; `nil` for anything else.
    static func number(_ digits: some Collection<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 12 else { return nil }
        var number = 0
        for byte in digits {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): number = number * 36 + Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): number = number * 36 + Int(byte - UInt8(ascii: "a")) + 10
            default: return nil
            }
        }
        return number
    }
}

/// The row of a packed posting table: the postings of one term for the records of one block
/// of record numbers (``SearchTerm/Table/blockSize``), one line each, `record<TAB>payload`, by
/// record number.
///
/// Terms shared by thousands of records (a city's characters, a common syllable) would
/// otherwise be thousands of rows, and reading a row from the store costs about 1.5 µs against
/// a tenth of that for a line of one; a block keeps a row to a few hundred lines, so a live
/// change rewrites a few kilobytes. Payloads hold neither tab nor newline (they are folded
/// letters and digits, `|` and `:`).
enum PackedPostings {
    /// Adds a line for `record`: after the lines of records numbered up to it, which is the end
    /// of the row while a read model is built in record order.
    static func insert(_ record: Int, _ payload: String, into row: inout String) {
        let line = SearchKeys.record(record) + "\t" + payload
        if row.isEmpty {
            row = line
            return
        }
        if let last = lastRecord(row), last <= record {
            row += "\n" + line
            return
        }
        var lines = row.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let at = lines.firstIndex { (self.record(of: $0) ?? 0) > record } ?? lines.count
        lines.insert(line, at: at)
        row = lines.joined(separator: "\n")
    }

    /// The row without the lines of `record`.
    static func removing(_ record: Int, from row: String) -> String {
        row.split(separator: "\n", omittingEmptySubsequences: true)
            .filter { self.record(of: $0) != record }
            .joined(separator: "\n")
    }

    /// Calls `body` with each line's record number and payload, as bytes of the row: this runs
    /// for every line a query reads, so it works on the row's UTF-8 buffer and allocates nothing.
    static func forEach(_ row: String, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        var row = row
        row.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                var record = 0
                var digits = 0
                var valid = true
                while index < bytes.count, bytes[index] != tab, bytes[index] != newline {
                    switch bytes[index] {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): record = record &* 36 &+ Int(bytes[index] &- 48)
                    case UInt8(ascii: "a")...UInt8(ascii: "z"): record = record &* 36 &+ Int(bytes[index] &- 87)
                    default: valid = false
                    }
                    digits += 1
                    index += 1
                }
                valid = valid && digits > 0 && digits <= 12 && index < bytes.count && bytes[index] == tab
                if index < bytes.count, bytes[index] == tab { index += 1 }
                let start = index
                while index < bytes.count, bytes[index] != newline { index += 1 }
                if valid { body(record, UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                index += 1
            }
        }
    }

    private static let tab = UInt8(ascii: "\t")
    private static let newline = UInt8(ascii: "\n")

    static func record(of line: some StringProtocol) -> Int? {
        guard let tab = line.utf8.firstIndex(of: UInt8(ascii: "\t")) else { return nil }
        return SearchKeys.number(line.utf8[..<tab])
    }

    static func lastRecord(_ row: String) -> Int? {
        let start = row.utf8.lastIndex(of: UInt8(ascii: "\n")).map { row.utf8.index(after: $0) } ?? row.startIndex
        return record(of: row[start...])
    }
}

/// One posting of a record: a table and a term.
struct SearchTerm: Hashable, Sendable, Comparable {
    /// The posting tables, each with a one-letter code for ``SearchRecordRow/terms``.
    enum Table: String, CaseIterable, Sendable {
        /// Packed: a letter other than ASCII (a Han character, mostly) → the record's folded
        /// names, joined by `|`.
        case characters = "h"
        /// Packed: the first 6 letters of a Latin name from one of its word starts →
        /// ``NameBits`` `:` the name from that word.
        case words = "w"
        /// Packed: the first 6 letters of the pinyin of a name from one of its syllables →
        /// ``NameBits`` `:` the pinyin from there.
        case pinyin = "y"
        /// Packed: the first 3 initials of the pinyin of a name → ``NameBits`` `:` all its
        /// initials.
        case initials = "i"
        /// One row per posting: a phone number's digits, last first.
        case phones = "t"
        /// One row per posting: an email address.
        case emails = "e"
        /// One row per posting: a unified social credit code.
        case codes = "u"

        var tableName: String {
            switch self {
            case .characters: "chars"
            case .words: "words"
            case .pinyin: "pinyin"
            case .initials: "initials"
            case .phones: "phones"
            case .emails: "emails"
            case .codes: "codes"
            }
        }

        /// How many records' postings a row of a packed table holds (``PackedPostings``);
        /// `nil` for a table of one row per posting.
        ///
        /// Sized so that a term shared by many records spreads over few rows and a row stays a
        /// few kilobytes: characters and initials are dense (a city's are in one name of 16),
        /// 6-letter texts sparse.
        var blockSize: Int? {
            switch self {
            case .characters, .initials: 1_024
            case .words, .pinyin: 4_096
            case .phones, .emails, .codes: nil
            }
        }

        /// How many letters of a text make its term in a packed table of texts: a query reads the
        /// rows of its first letters (or of all terms starting with a shorter query) and checks
        /// the rest against each line. Six letters are two syllables or so, which few names
        /// share; initials are one letter a character, and dense.
        var prefixLength: Int {
            switch self {
            case .initials: 3
            default: 6
            }
        }
    }

    var table: Table
    var term: String

    /// How the record lists it.
    var encoded: String { table.rawValue + term }

    init(_ table: Table, _ term: String) {
        self.table = table
        self.term = term
    }

    init?(encoded: String) {
        guard let code = encoded.first, let table = Table(rawValue: String(code)) else { return nil }
        self.init(table, String(encoded.dropFirst()))
    }

    /// By table code, then by the term's bytes: a fixed order, cheaper than `String`'s.
    static func < (lhs: SearchTerm, rhs: SearchTerm) -> Bool {
        if lhs.table != rhs.table { return lhs.table.rawValue < rhs.table.rawValue }
        return lhs.term.utf8.lexicographicallyPrecedes(rhs.term.utf8)
    }
}

/// Which of a record's names a word or pinyin posting came from, as bits: a record's postings
/// that share a text share a line, so the bits are or-ed.
///
/// Name 0 is the customer's or contact's name or the lead's company, name 1 the lead's contact.
enum NameBits {
    /// Words: the text starts at the beginning of name `field`.
    static func start(_ field: Int) -> Int { 1 << (field * 4) }
    /// Words: the text starts at a later word of name `field`.
    static func word(_ field: Int) -> Int { 1 << (field * 4 + 1) }
    /// Pinyin: full pinyin of name `field` from one of its syllables.
    static func fullPinyin(_ field: Int) -> Int { 1 << (field * 4 + 2) }
    /// Pinyin: initials of name `field` from its beginning.
    static func initials(_ field: Int) -> Int { 1 << (field * 4 + 3) }
    static let fields = 0..<2
}
