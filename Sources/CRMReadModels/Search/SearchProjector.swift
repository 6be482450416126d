import CRMSchema
import EventStore
public import Projections

/// The search index over customers, contacts and leads, kept live from their events; read by
/// ``SearchQueries``.
///
/// Each record gets a number in the order the log first names it and is indexed under terms:
/// its names' characters, the beginnings of its Latin words and of its pinyin, its phone,
/// email and credit code. A query reads the rows of its terms by key prefix, never every
/// record. A record lists its terms, so a rename or a changed phone drops the old postings and
/// the index holds exactly what the records say now.
///
/// Terms many records share (a city's characters, a common syllable) are packed: one row per
/// term and block of record numbers, a line per posting (``PackedPostings``), because a row
/// read from the store costs far more than a line of one. Terms of one record or a few
/// (phones, emails, credit codes) have a row per posting.
///
/// Tables:
/// - `records`: record number → ``SearchRecordRow``: kind, id, owner, name, details, terms;
/// - `ids`: `kind letter|id` (`c`, `p`, `l`) → record number;
/// - `counters`: `records` → how many records have been numbered;
/// - `chars`: `character|block` → lines `record<TAB>folded names joined by |`, one per record
///   having that letter other than ASCII (a Han character, mostly): a query checks a candidate
///   from its line, without reading the record;
/// - `charCounts`: character → how many records have it, so a query reads its rarest
///   character's rows;
/// - `words`: `first 6 letters|block` → lines `record<TAB>bits:Latin text from a word start`
///   (``NameBits``);
/// - `pinyin`: `first 6 letters|block` → lines `record<TAB>bits:pinyin from a syllable`;
/// - `initials`: `first 3 initials|block` → lines `record<TAB>bits:the initials`;
/// - `phones`: `digits, last first|record` → 0;
/// - `emails`: `address|record` → 0;
/// - `codes`: `credit code, upper case|record` → 0.
///
/// Texts are cut at ``maxTermBytes`` (names already at ``SearchText/maxScalars`` letters).
public final class SearchProjector: Projector {
    /// The read model's name, which its rows and checkpoint are stored under.
    public static let name = "search"
    /// The projection logic's version: changing it rebuilds the read model.
    public static let version: UInt32 = 3
    /// The events the read model reads.
    public static let eventTypes: Set<String> = [
        CRMCustomerCreated.protoMessageName, CRMCustomerProfileUpdated.protoMessageName,
        CRMCustomerOwnershipChanged.protoMessageName, CRMContactAdded.protoMessageName,
        CRMContactUpdated.protoMessageName, CRMLeadCreated.protoMessageName, CRMLeadAssigned.protoMessageName,
        CRMLeadQualified.protoMessageName, CRMLeadDisqualified.protoMessageName, CRMLeadConverted.protoMessageName,
    ]

    /// The longest term of a posting, in UTF-8 bytes: longer than any query's folded text
    /// (``SearchQueries/maxQueryLength`` ASCII letters), well within LMDB's 511-byte keys.
    static let maxTermBytes = 128

    let records = ReadModelTable<SearchRecordRow>("records")
    let ids = ReadModelTable<String>("ids")
    let counters = ReadModelTable<Int>("counters")
    /// The key in `counters` of how many records have been numbered.
    static let recordCounter = "records"
    let characters = ReadModelTable<String>("chars")
    let characterCounts = ReadModelTable<Int>("charCounts")
    let words = ReadModelTable<String>("words")
    let pinyin = ReadModelTable<String>("pinyin")
    let initials = ReadModelTable<String>("initials")
    let phones = ReadModelTable<Int>("phones")
    let emails = ReadModelTable<Int>("emails")
    let codes = ReadModelTable<Int>("codes")

    /// Pinyin readings met so far: each Han character costs one ICU call per projector.
    private var reader = PinyinReader()

    /// An empty index.
    public init() {}

    /// The tables holding the read model's state.
    public var tables: [any ReadModelTableProtocol] {
        [records, ids, counters, characters, characterCounts, words, pinyin, initials, phones, emails, codes]
    }

    /// Applies one event to the tables.
    public func apply(_ event: CRMEvent) throws {
        // The most frequent events first: each case tried is a dynamic cast.
        switch event.payload {
        case let change as CRMCustomerOwnershipChanged:
            changeOwner(of: change.customerID, to: change.toOwnerID)
        case let created as CRMLeadCreated:
            upsert(.lead, created.leadID) { row in
                (row.name, row.contactName, row.ownerID) = (created.companyName, created.contactName, created.ownerID)
                (row.phone, row.email, row.creditCode) = (created.phone, created.email, created.creditCode)
                row.leadStatus = "open"
                return true
            }
        case let assigned as CRMLeadAssigned:
            update(.lead, assigned.leadID) { row in
                row.ownerID = assigned.toOwnerID
                return false
            }
        case let created as CRMCustomerCreated:
            upsert(.customer, created.customerID) { row in
                (row.name, row.ownerID) = (created.name, created.ownerID)
                (row.phone, row.email, row.creditCode) = (created.phone, created.email, created.creditCode)
                return true
            }
        case let qualified as CRMLeadQualified:
            update(.lead, qualified.leadID) { row in
                row.leadStatus = "qualified"
                return false
            }
        case let added as CRMContactAdded:
            apply(added)
        case let converted as CRMLeadConverted:
            // The lead stays findable, saying what it became.
            update(.lead, converted.leadID) { row in
                (row.leadStatus, row.customerID) = ("converted", converted.customerID)
                return false
            }
        case let updated as CRMCustomerProfileUpdated where updated.changedFields.contains("name"):
            rename(updated.customerID, to: updated.name)
        case let disqualified as CRMLeadDisqualified:
            update(.lead, disqualified.leadID) { row in
                row.leadStatus = "disqualified"
                return false
            }
        case let updated as CRMContactUpdated:
            update(.contact, updated.contactID) { row in
                var changed = false
                for field in updated.changedFields {
                    switch field {
                    case "name": (row.name, changed) = (updated.name, true)
                    case "phone": (row.phone, changed) = (updated.phone, true)
                    case "email": (row.email, changed) = (updated.email, true)
                    default: break
                    }
                }
                return changed
            }
        default:
            break
        }
    }

    // MARK: - Records

    /// Changes the record `id` of `kind`, numbering it when the log names it for the first time;
    /// `change` says whether what it is found by changed.
    private func upsert(_ kind: SearchRecordKind, _ id: String, _ change: (inout SearchRecordRow) -> Bool) {
        guard !id.isEmpty else { return }
        let idKey = SearchKeys.id(kind, id)
        let number: String
        if let known = ids[idKey] {
            number = known
        } else {
            // Numbers are never reused: records are never removed.
            let next = counters[Self.recordCounter] ?? 0
            counters[Self.recordCounter] = next + 1
            number = SearchKeys.record(next)
            ids[idKey] = number
        }
        var row = records[number] ?? SearchRecordRow(kind: kind, id: id)
        if change(&row) { reindex(number, &row) }
        records[number] = row
    }

    /// Changes a record the index has; an event about one it has not (an as-of build that cut
    /// its creation off) changes nothing.
    private func update(_ kind: SearchRecordKind, _ id: String, _ change: (inout SearchRecordRow) -> Bool) {
        guard let number = ids[SearchKeys.id(kind, id)], var row = records[number] else { return }
        if change(&row) { reindex(number, &row) }
        records[number] = row
    }

    private func changeOwner(of customerID: String, to owner: String) {
        guard let number = ids[SearchKeys.id(.customer, customerID)], var row = records[number] else { return }
        row.ownerID = owner
        records[number] = row
        // A contact is its customer's: whoever holds the customer sees its people.
        for contact in row.contacts { records.updateIfPresent(contact) { $0.ownerID = owner } }
    }

    private func rename(_ customerID: String, to name: String) {
        guard let number = ids[SearchKeys.id(.customer, customerID)], var row = records[number] else { return }
        row.name = name
        reindex(number, &row)
        records[number] = row
        for contact in row.contacts { records.updateIfPresent(contact) { $0.customerName = name } }
    }

    private func apply(_ added: CRMContactAdded) {
        let customerNumber = ids[SearchKeys.id(.customer, added.customerID)]
        let customer = customerNumber.flatMap { records[$0] }
        upsert(.contact, added.contactID) { row in
            (row.name, row.phone, row.email, row.customerID) = (added.name, added.phone, added.email, added.customerID)
            (row.ownerID, row.customerName) = (customer?.ownerID ?? "", customer?.name ?? "")
            return true
        }
        guard let customerNumber, let contact = ids[SearchKeys.id(.contact, added.contactID)] else { return }
        records.updateIfPresent(customerNumber) { row in
            if !row.contacts.contains(contact) { row.contacts.append(contact) }
        }
    }

    // MARK: - Postings

    /// Replaces the postings of record `number` by those of what `row` says now.
    private func reindex(_ number: String, _ row: inout SearchRecordRow) {
        guard let record = SearchKeys.number(number.utf8) else { return }
        let postings = SearchPostings(of: row, reader: &reader)
        let old = Set(row.terms.compactMap(SearchTerm.init(encoded:)))
        let new = postings.terms
        for term in old where !new.contains(term) {
            let key = SearchKeys.posting(term.table, term.term, record)
            if let table = packedTable(term.table) {
                let kept = table[key].map { PackedPostings.removing(record, from: $0) } ?? ""
                table[key] = kept.isEmpty ? nil : kept
                if term.table == .characters { count(term.term, by: -1) }
            } else {
                singleTable(term.table)?[key] = nil
            }
        }
        for term in new.sorted() {
            let key = SearchKeys.posting(term.table, term.term, record)
            if let table = packedTable(term.table) {
                let payloads = postings.packed[term] ?? []
                if old.contains(term) {
                    // A renamed record's lines change in place: the others' stay as they were.
                    var kept = table[key].map { PackedPostings.removing(record, from: $0) } ?? ""
                    for payload in payloads { PackedPostings.insert(record, payload, into: &kept) }
                    table[key] = kept
                } else {
                    table.update(key, default: "") { row in
                        for payload in payloads { PackedPostings.insert(record, payload, into: &row) }
                    }
                    if term.table == .characters { count(term.term, by: 1) }
                }
            } else {
                singleTable(term.table)?[key] = 0
            }
        }
        row.terms = new.sorted().map(\.encoded)
    }

    private func packedTable(_ table: SearchTerm.Table) -> ReadModelTable<String>? {
        switch table {
        case .characters: characters
        case .words: words
        case .pinyin: pinyin
        case .initials: initials
        case .phones, .emails, .codes: nil
        }
    }

    private func singleTable(_ table: SearchTerm.Table) -> ReadModelTable<Int>? {
        switch table {
        case .phones: phones
        case .emails: emails
        case .codes: codes
        case .characters, .words, .pinyin, .initials: nil
        }
    }

    private func count(_ character: String, by change: Int) {
        let total = (characterCounts[character] ?? 0) + change
        characterCounts[character] = total > 0 ? total : nil
    }
}

/// Every posting of one record, computed from what its row says.
struct SearchPostings {
    /// The packed tables' terms, each with the payloads of the record's lines, sorted.
    var packed: [SearchTerm: [String]] = [:]
    /// The terms of tables of one row per posting.
    var single: Set<SearchTerm> = []

    var terms: Set<SearchTerm> { single.union(packed.keys) }

    init(of row: SearchRecordRow, reader: inout PinyinReader) {
        let texts: [SearchText]
        switch row.recordKind {
        case .customer: texts = [SearchText(company: row.name)]
        case .contact: texts = [SearchText(folding: row.name)]
        case .lead: texts = [SearchText(company: row.name), SearchText(folding: row.contactName)]
        case nil: texts = []
        }
        let names = texts.map(\.string).joined(separator: "|")
        var characters: Set<Unicode.Scalar> = []
        var lines: [SearchTerm.Table: [String: Int]] = [:]
        for (field, text) in texts.enumerated() {
            let scalars = text.scalars
            for scalar in scalars where !scalar.isASCII { characters.insert(scalar) }
            for start in text.wordStarts where scalars[start].isASCII {
                let bits = start == 0 ? NameBits.start(field) : NameBits.word(field)
                lines[.words, default: [:]][Self.cut(scalars[start...]), default: 0] |= bits
            }
            for spelling in reader.spellings(of: scalars) {
                let letters = Array(spelling.letters.utf8)
                for start in spelling.syllableStarts {
                    lines[.pinyin, default: [:]][Self.cut(letters[start...]), default: 0] |= NameBits.fullPinyin(field)
                }
                let initials = spelling.syllableStarts.map { letters[$0] }
                lines[.initials, default: [:]][Self.cut(initials[...]), default: 0] |= NameBits.initials(field)
            }
        }
        for character in characters { packed[SearchTerm(.characters, String(character))] = [names] }
        for (table, texts) in lines {
            for (text, bits) in texts.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
            where !text.isEmpty {
                let term = String(String.UnicodeScalarView(text.unicodeScalars.prefix(table.prefixLength)))
                packed[SearchTerm(table, term), default: []].append("\(bits):\(text)")
            }
        }
        let digits = String(String.UnicodeScalarView(row.phone.unicodeScalars.filter { ("0"..."9").contains($0) }))
        if digits.utf8.count >= 4, digits.utf8.count <= 20 {
            single.insert(SearchTerm(.phones, String(digits.reversed())))
        }
        if let email = Self.emailTerm(row.email) { single.insert(SearchTerm(.emails, email)) }
        if let code = Self.codeTerm(row.creditCode) { single.insert(SearchTerm(.codes, code)) }
    }

    /// Scalars as a term, cut at ``SearchProjector/maxTermBytes``.
    static func cut(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        var bytes = 0
        for scalar in scalars {
            bytes += UTF8.width(scalar)
            guard bytes <= SearchProjector.maxTermBytes else { break }
            view.append(scalar)
        }
        return String(view)
    }

    /// ASCII letters as a term, cut at ``SearchProjector/maxTermBytes``.
    static func cut(_ letters: ArraySlice<UInt8>) -> String {
        String(decoding: letters.prefix(SearchProjector.maxTermBytes), as: UTF8.self)
    }

    /// An email address as it is searched: lowercased, without whitespace, invisible
    /// characters or the posting separator; `nil` when that leaves no `@` or is too long.
    static func emailTerm(_ email: String) -> String? {
        if email.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            // The usual address, all printable ASCII: no Unicode properties to look up.
            guard email.utf8.contains(UInt8(ascii: "@")), email.utf8.count <= 254 else { return nil }
            let bytes = email.utf8.compactMap { byte -> UInt8? in
                byte == UInt8(ascii: "|") ? nil : (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let kept = email.lowercased().unicodeScalars.filter { scalar in
            scalar != "|" && !scalar.properties.isWhitespace && scalar.properties.generalCategory != .control
                && scalar.properties.generalCategory != .format
        }
        guard kept.contains("@"), !kept.isEmpty else { return nil }
        let term = String(String.UnicodeScalarView(kept))
        return term.utf8.count <= 254 ? term : nil
    }

    /// A credit code as it is searched: its ASCII letters and digits, upper case; `nil` when
    /// there are none or more than 32.
    static func codeTerm(_ code: String) -> String? {
        let kept = code.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
            switch scalar.value {
            case 0x30...0x39, 0x41...0x5A: scalar
            case 0x61...0x7A: Unicode.Scalar(UInt8(scalar.value - 0x20))
            default: nil
            }
        }
        guard !kept.isEmpty, kept.count <= 32 else { return nil }
        return String(String.UnicodeScalarView(kept))
    }
}
