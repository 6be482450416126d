public import Projections

/// Searches customers, contacts and leads (``SearchProjector``) by name, pinyin, phone, email or
/// credit code, reading the index's postings from the read-model store by key prefix.
///
/// How a query matches (the query and the names are folded alike: full/half width, case and
/// accents ignored, only letters and digits kept, a company's trailing legal form removed, see
/// ``SearchText``):
/// - **Names by characters** (a query with any letter outside ASCII, such as Han): every query
///   character appears in the name in the same order. `杭州茶` finds `杭州西湖茶叶有限公司`
///   (`杭州` then `茶`, with `西湖` between); the whole name is an ``SearchMatch/exact`` match, its
///   beginning a ``SearchMatch/prefix``, a contiguous piece a ``SearchMatch/fragment``, the rest
///   ``SearchMatch/inOrder``.
/// - **Latin names** (an ASCII query): the query starts a word of the name (`robot` finds
///   `Acme Robotics`; `botics` does not); from the first word it is a prefix, or exact for the
///   whole name. With one typo (a letter replaced, added, dropped, or two swapped) in a query
///   of 4 letters or more, the first half of which is typed right: ``SearchMatch/typo``
///   (`acme robtics` finds `Acme Robotics`).
/// - **Pinyin** of Han names (a query of ASCII letters): full pinyin from any syllable
///   (`hangzhou`, `hangzhouxihu`, `xihu`) or the initials from the beginning (`hzxh`);
///   ``SearchMatch/pinyin``. See ``PinyinReader`` for how characters are read.
/// - **Phone**: a query of 4 digits or more (spaces, `+ - ( ) .` ignored) matches the numbers
///   ending in them; the whole number, with or without its country code, is exact.
/// - **Email**: the whole address (exact) or its local part, the text before `@` (prefix).
/// - **Credit code**: an 18-character unified social credit code, in any case (exact).
///
/// Hits rank by how they matched (``SearchMatch``: exact, prefix, fragment, in order, pinyin,
/// typo), a record that matches several ways by its best, then by the order the CRM first saw
/// the records (oldest first), so the same index always answers the same query the same way.
/// Pages are cut by a cursor: each page's ``SearchPage/nextCursor`` names the last hit's rank,
/// and the next page starts after it, so a record added between pages shifts nothing already seen.
public struct SearchQueries: Sendable {
    /// The store the index was built into.
    public let store: ReadModelStore

    /// The longest query, in characters.
    public static let maxQueryLength = 100
    /// The longest query, in UTF-8 bytes, so that a few characters built of many code points
    /// cannot make a query expensive.
    public static let maxQueryBytes = 1_000
    /// The page sizes accepted.
    public static let limits = 1...100
    /// The most postings read for one term of a query: a term more common than this (a single
    /// letter, a syllable many names start with) yields the first ones read, and the page says it
    /// is not ``SearchPage/complete``. The commonest term of a longer query over the default
    /// demo history (the pinyin `chengd…` of 成都, 诚德, 盛德, …) has about 20,000.
    public static let maxPostingsPerTerm = 50_000

    /// Queries over `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    /// The records matching `q`, best first, one page of at most `limit`.
    ///
    /// - Parameters:
    ///   - q: What the user typed: a name or a fragment of one, pinyin, a phone number or its
    ///     last digits, an email address or its local part, a credit code.
    ///   - limit: Hits per page, 1 to 100.
    ///   - after: The ``SearchPage/nextCursor`` of the page before; `nil` for the first page.
    ///   - visibleOwner: Whether the caller may see the records of this owner. A record without
    ///     an owner (in the public pool, an unassigned lead) is visible to everyone; any other
    ///     hit the caller may not see keeps only its kind, id, owner and name.
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a blank query, one longer
    ///   than ``maxQueryLength`` characters or ``maxQueryBytes`` bytes, one with no letter or
    ///   digit, a limit outside ``limits`` or a malformed cursor; ``ProjectionError`` when the
    ///   store cannot be read.
    public func search(
        q: String,
        limit: Int = 20,
        after: String? = nil,
        visibleOwner: (String) -> Bool
    ) throws -> SearchPage {
        guard Self.limits.contains(limit) else {
            throw ReadModelQueryError.invalid(
                "limit",
                "limit must be between \(Self.limits.lowerBound) and \(Self.limits.upperBound), not \(limit)"
            )
        }
        let start = try after.map { cursor throws(ReadModelQueryError) in try SearchCursor(parsing: cursor) }
        let query = try SearchQuery(q)
        var found = SearchCandidates()
        try collect(query, into: &found)

        let ranked = found.best.map { SearchCursor(match: $0.value.match, record: $0.key) }.sorted()
        let remaining = start.map { start in ranked.drop { $0 <= start } } ?? ranked[...]
        var hits: [SearchHit] = []
        for rank in remaining.prefix(limit) {
            guard
                let row = try store.row(
                    SearchRecordRow.self,
                    projector: SearchProjector.name,
                    table: "records",
                    key: SearchKeys.record(rank.record)
                ),
                let how = found.best[rank.record]
            else { continue }
            hits.append(Self.hit(row, how, visibleOwner: visibleOwner))
        }
        let last = remaining.prefix(limit).last
        return SearchPage(
            hits: hits,
            nextCursor: remaining.count > limit ? last?.description : nil,
            total: ranked.count,
            complete: found.complete
        )
    }

    static func hit(_ row: SearchRecordRow, _ how: SearchCandidates.How, visibleOwner: (String) -> Bool) -> SearchHit {
        let visible = row.ownerID.isEmpty || visibleOwner(row.ownerID)
        return SearchHit(
            kind: row.kind,
            id: row.id,
            ownerID: row.ownerID,
            name: row.name,
            details: visible
                ? SearchHitDetails(
                    match: how.match.description,
                    matchedField: how.field.rawValue,
                    phone: row.phone,
                    email: row.email,
                    creditCode: row.creditCode,
                    customerID: row.customerID,
                    customerName: row.customerName,
                    contactName: row.contactName,
                    leadStatus: row.leadStatus
                ) : nil
        )
    }

    // MARK: - Matching

    private func collect(_ query: SearchQuery, into found: inout SearchCandidates) throws {
        let text = query.text.scalars
        if !text.isEmpty, !query.text.isASCII {
            try matchCharacters(text, into: &found)
        }
        if !text.isEmpty, query.text.isASCII {
            try matchWords(text, into: &found)
            if text.allSatisfy({ ("a"..."z").contains($0) }) { try matchPinyin(query.text.string, into: &found) }
        }
        if let digits = query.phoneDigits { try matchPhones(digits, into: &found) }
        if let email = query.email {
            for (key, _) in try postings(.emails, prefix: email + "|", found: &found) {
                if let record = SearchKeys.split(key)?.number { found.add(record, .exact, .email) }
            }
        }
        if let local = query.emailLocalPart {
            for (key, _) in try postings(.emails, prefix: local + "@", found: &found) {
                if let record = SearchKeys.split(key)?.number { found.add(record, .prefix, .email) }
            }
        }
        if let code = query.creditCode {
            for (key, _) in try postings(.codes, prefix: code + "|", found: &found) {
                if let record = SearchKeys.split(key)?.number { found.add(record, .exact, .creditCode) }
            }
        }
    }

    /// Names by their characters: the lines of the query's rarest character outside ASCII, each
    /// checked against the names it holds.
    private func matchCharacters(_ text: [Unicode.Scalar], into found: inout SearchCandidates) throws {
        var rarest: (character: String, count: Int)?
        var seen: Set<Unicode.Scalar> = []
        for scalar in text where !scalar.isASCII && seen.insert(scalar).inserted {
            let character = String(scalar)
            let count =
                try store.row(Int.self, projector: SearchProjector.name, table: "charCounts", key: character) ?? 0
            // A character no name has: nothing can match.
            guard count > 0 else { return }
            if count < rarest?.count ?? .max { rarest = (character, count) }
        }
        guard let rarest else { return }
        let bytes = Array(String(String.UnicodeScalarView(text)).utf8)
        let starts = SearchText.characterStarts(bytes)
        try bytes.withUnsafeBufferPointer { query in
            try lines(.characters, prefix: rarest.character + "|", found: &found) { record, names, found in
                // The names are `name0|name1`: each is checked on its own.
                var field = 0
                var start = 0
                for index in 0...names.count where index == names.count || names[index] == UInt8(ascii: "|") {
                    let name = UnsafeBufferPointer(rebasing: names[start..<index])
                    if field < SearchCandidates.Field.names.count,
                        let match = SearchText.characterMatch(query, characterStarts: starts, in: name)
                    {
                        found.add(record, match, SearchCandidates.Field.names[field])
                    }
                    field += 1
                    start = index + 1
                }
            }
        }
    }

    /// Latin names from a word start; with a typo when the query is long enough.
    private func matchWords(_ text: [Unicode.Scalar], into found: inout SearchCandidates) throws {
        let query = Array(String(String.UnicodeScalarView(text)).utf8)
        // A typo is looked for in queries of 4 or more with a letter (not a phone number's
        // digits), reading every word that starts with the query's first half.
        let typos = query.count >= 4 && query.contains { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
        let scanned = typos ? max(2, query.count / 2) : query.count
        try query.withUnsafeBufferPointer { query in
            try lines(.words, prefix: Self.termPrefix(query.prefix(scanned), .words), found: &found) {
                record,
                payload,
                found in
                guard let (bits, word) = Self.bitsAndText(payload), word.starts(with: query.prefix(scanned)) else {
                    return
                }
                let exactly = word.starts(with: query)
                let typo = !exactly && typos && SearchText.isOneEditFromPrefix(query, of: word)
                guard exactly || typo else { return }
                for field in NameBits.fields {
                    let fromStart = bits & NameBits.start(field) != 0
                    guard fromStart || bits & NameBits.word(field) != 0 else { continue }
                    let match: SearchMatch =
                        typo ? .typo : fromStart ? (word.count == query.count ? .exact : .prefix) : .fragment
                    found.add(record, match, SearchCandidates.Field.names[field])
                }
            }
        }
    }

    /// Pinyin from a syllable, initials from the beginning.
    private func matchPinyin(_ letters: String, into found: inout SearchCandidates) throws {
        let query = Array(letters.utf8)
        for table in [SearchTerm.Table.pinyin, .initials] {
            try lines(table, prefix: Self.termPrefix(query[...], table), found: &found) { record, payload, found in
                guard let (bits, pinyin) = Self.bitsAndText(payload), pinyin.starts(with: query) else { return }
                for field in NameBits.fields where bits & (NameBits.fullPinyin(field) | NameBits.initials(field)) != 0 {
                    found.add(record, .pinyin, SearchCandidates.Field.names[field])
                }
            }
        }
    }

    /// Numbers ending in `digits`; the whole number, or all of it but a country code of up to
    /// three digits, is exact.
    private func matchPhones(_ digits: String, into found: inout SearchCandidates) throws {
        for (key, _) in try postings(.phones, prefix: String(digits.reversed()), found: &found) {
            guard let (term, record) = SearchKeys.split(key) else { continue }
            let whole =
                term.utf8.count == digits.utf8.count
                || (digits.utf8.count >= 7 && term.utf8.count - digits.utf8.count <= 3)
            found.add(record, whole ? .exact : .fragment, .phone)
        }
    }

    // MARK: - Reading postings

    /// Packed rows read per call: a call costs about as much as a few dozen lines.
    static let rowsPerRead = 64

    /// The key prefix of the rows of packed `table` that can hold texts starting with `text`: the
    /// rows of its first ``SearchTerm/Table/prefixLength`` letters, or of every term starting
    /// with a shorter text.
    static func termPrefix(_ text: some Collection<UInt8>, _ table: SearchTerm.Table) -> String {
        text.count >= table.prefixLength
            ? String(decoding: text.prefix(table.prefixLength), as: UTF8.self) + "|"
            : String(decoding: text, as: UTF8.self)
    }

    /// A word or pinyin line's payload, `bits:text`: its ``NameBits`` and its text.
    static func bitsAndText(_ payload: UnsafeBufferPointer<UInt8>) -> (Int, UnsafeBufferPointer<UInt8>)? {
        var bits = 0
        for (index, byte) in payload.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9") where index < 8: bits = bits * 10 + Int(byte - 48)
            case UInt8(ascii: ":") where index > 0:
                return (bits, UnsafeBufferPointer(rebasing: payload[(index + 1)...]))
            default: return nil
            }
        }
        return nil
    }

    /// Calls `body` with each line of the packed rows of `table` whose keys start with `prefix`,
    /// at most ``maxPostingsPerTerm`` lines.
    private func lines(
        _ table: SearchTerm.Table,
        prefix: String,
        found: inout SearchCandidates,
        _ body: (Int, UnsafeBufferPointer<UInt8>, inout SearchCandidates) -> Void
    ) throws {
        var after: String?
        var read = 0
        var truncated = false
        while !truncated {
            let rows = try store.rows(
                String.self,
                projector: SearchProjector.name,
                table: table.tableName,
                prefix: prefix,
                after: after,
                limit: Self.rowsPerRead
            )
            for (_, row) in rows where !truncated {
                PackedPostings.forEach(row) { record, payload in
                    guard read < Self.maxPostingsPerTerm else {
                        truncated = true
                        return
                    }
                    read += 1
                    body(record, payload, &found)
                }
            }
            guard rows.count == Self.rowsPerRead, let last = rows.last else { break }
            after = last.key
        }
        if truncated { found.markIncomplete() }
    }

    /// The rows of a table of one row per posting whose keys start with `prefix`, at most
    /// ``maxPostingsPerTerm``.
    private func postings(
        _ table: SearchTerm.Table,
        prefix: String,
        found: inout SearchCandidates
    ) throws -> ArraySlice<(key: String, row: Int)> {
        let rows = try store.rows(
            Int.self,
            projector: SearchProjector.name,
            table: table.tableName,
            prefix: prefix,
            limit: Self.maxPostingsPerTerm + 1
        )
        if rows.count > Self.maxPostingsPerTerm { found.markIncomplete() }
        return rows.prefix(Self.maxPostingsPerTerm)
    }
}

// MARK: - Query

/// A query checked and folded, with what it can be searched as.
struct SearchQuery {
    /// The query as a name: folded, a trailing legal form removed.
    var text: SearchText
    /// Its digits, when it is a phone number or the end of one (4 digits or more and nothing
    /// but digits, spaces and `+ - ( ) .`).
    var phoneDigits: String?
    /// The whole email address, when it has an `@`.
    var email: String?
    /// An email's local part, when it could be one (ASCII letters, digits and `. _ % + -`).
    var emailLocalPart: String?
    /// An 18-character credit code, upper case.
    var creditCode: String?

    init(_ q: String) throws(ReadModelQueryError) {
        guard q.utf8.count <= SearchQueries.maxQueryBytes else {
            throw .invalid("q", "q must be at most \(SearchQueries.maxQueryBytes) bytes long, not \(q.utf8.count)")
        }
        let scalars = q.unicodeScalars
        guard let first = scalars.firstIndex(where: { !Self.isBlank($0) }),
            let last = scalars.lastIndex(where: { !Self.isBlank($0) })
        else { throw .invalid("q", "q must not be blank") }
        let trimmed = String(scalars[first...last])
        guard trimmed.count <= SearchQueries.maxQueryLength else {
            throw .invalid(
                "q",
                "q must be at most \(SearchQueries.maxQueryLength) characters long, not \(trimmed.count)"
            )
        }
        text = SearchText(query: trimmed)

        let folded = SearchText(folding: trimmed)
        let foldedString = folded.string
        if folded.scalars.count >= 4, folded.scalars.allSatisfy({ ("0"..."9").contains($0) }),
            trimmed.unicodeScalars.allSatisfy({ Self.isPhoneCharacter($0) || ("0"..."9").contains($0) })
        {
            // A whole number typed with the international prefix (0086 …) or a trunk 0 (0571 …)
            // has digits the E.164 form the CRM stores has not. Only a whole number (10 digits
            // or more) loses them: the last 8 digits of a number may well start with 0.
            var digits = Substring(foldedString)
            if digits.utf8.count >= 10, digits.hasPrefix("00") {
                digits = digits.dropFirst(2)
            } else if digits.utf8.count >= 10, digits.hasPrefix("0") {
                digits = digits.dropFirst()
            }
            phoneDigits = String(digits)
        }
        let lower = trimmed.lowercased()
        if lower.contains("@") {
            email = SearchPostings.emailTerm(lower)
        } else if !lower.isEmpty, lower.utf8.count <= 64,
            lower.utf8.allSatisfy({ Self.isLocalPartByte($0) }),
            lower.utf8.contains(where: { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) })
        {
            emailLocalPart = lower
        }
        if folded.scalars.count == 18, folded.isASCII { creditCode = SearchPostings.codeTerm(foldedString) }

        guard !text.isEmpty || phoneDigits != nil || email != nil || emailLocalPart != nil || creditCode != nil
        else { throw .invalid("q", "q must hold a letter or a digit to search for") }
    }

    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
            || scalar.properties.generalCategory == .format
    }

    private static func isPhoneCharacter(_ scalar: Unicode.Scalar) -> Bool {
        " +-().\u{3000}".unicodeScalars.contains(scalar) || scalar.properties.isWhitespace
            || (0xFF10...0xFF19).contains(scalar.value)
    }

    private static func isLocalPartByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}

// MARK: - Candidates

/// The records a query matched so far, each with its best match.
struct SearchCandidates {
    /// Which of a record's values matched.
    enum Field: String, Sendable {
        case name
        case contactName = "contact_name"
        case phone, email
        case creditCode = "credit_code"

        /// A record's names in the order the index keeps them.
        static let names: [Field] = [.name, .contactName]
    }

    struct How {
        var match: SearchMatch
        var field: Field
    }

    private(set) var best: [Int: How] = [:]
    /// False once a term had more postings than were read.
    private(set) var complete = true

    mutating func add(_ record: Int, _ match: SearchMatch, _ field: Field) {
        if let known = best[record], known.match <= match { return }
        best[record] = How(match: match, field: field)
    }

    /// Notes that a term had more postings than were read.
    mutating func markIncomplete() { complete = false }
}

// MARK: - Cursor

/// Where a hit ranks: how it matched, then its record's number. A page's cursor is its last hit's.
struct SearchCursor: Comparable, CustomStringConvertible {
    var match: SearchMatch
    var record: Int

    init(match: SearchMatch, record: Int) {
        self.match = match
        self.record = record
    }

    /// Reads a cursor written by ``description``: `match.record`, the record in base 36.
    init(parsing text: String) throws(ReadModelQueryError) {
        let parts = text.utf8.count <= 20 ? text.split(separator: ".", omittingEmptySubsequences: false) : []
        guard parts.count == 2, let raw = Int(parts[0]), let match = SearchMatch(rawValue: raw),
            parts[1].utf8.allSatisfy({
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
            }),
            let record = SearchKeys.number(parts[1].utf8)
        else {
            throw .invalid("after", "after must be the nextCursor of a search page")
        }
        self.init(match: match, record: record)
    }

    var description: String { "\(match.rawValue).\(SearchKeys.record(record))" }

    static func < (lhs: SearchCursor, rhs: SearchCursor) -> Bool {
        (lhs.match.rawValue, lhs.record) < (rhs.match.rawValue, rhs.record)
    }
}
