import CRMDomain
// Foundation for NFKC and NFD, which the standard library does not offer.
import Foundation

/// Text as the search index and its queries see it: names folded so that what a person types
/// and what the CRM stores compare letter for letter.
///
/// Folding, in order:
/// 1. NFKC, so full-width `ＡＢＣ１２３` reads as `ABC123` and compatibility ideographs as their
///    unified forms (the dedup normalizer's first step);
/// 2. accents removed (NFD, then combining marks dropped): `Müller` reads as `muller`;
/// 3. lowercased;
/// 4. only letters and digits kept: spaces, punctuation, brackets (`（集团）` → `集团`), symbols,
///    emoji and invisible characters go.
///
/// A company name also loses its trailing legal form through ``CompanyName`` (`杭州西湖茶叶有限公司`
/// → `杭州西湖茶叶`, `Acme Robotics Co., Ltd.` → `acmerobotics`), so the index and the dedup keys
/// agree on what a company is called.
///
/// Folded text keeps at most ``maxScalars`` letters and digits: longer names are indexed on
/// their beginning, and a query is cut to the same length.
struct SearchText: Hashable, Sendable {
    /// The letters and digits kept, lowercased.
    var scalars: [Unicode.Scalar]
    /// Where each word starts in ``scalars``: after a space or punctuation, and where ideographs
    /// meet other characters (`Acme杭州` is two words).
    var wordStarts: [Int]

    /// The most letters and digits kept of one text.
    static let maxScalars = 64
    /// How much of a text is read at all: enough for ``maxScalars`` letters and digits with room
    /// for spaces and punctuation between them, so that a huge value costs no more than this.
    static let maxInputScalars = 1_024

    var isEmpty: Bool { scalars.isEmpty }
    var string: String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
    /// Whether every scalar is an ASCII letter or digit.
    var isASCII: Bool { scalars.allSatisfy(\.isASCII) }

    // MARK: - Folding

    /// `text` folded (see the type's documentation), without removing a legal form.
    init(folding text: String) {
        var input = text
        if input.unicodeScalars.count > Self.maxInputScalars {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: input.unicodeScalars.prefix(Self.maxInputScalars))
            input = String(view)
        }
        // ASCII and the common ideographs are left alone by NFKC and NFD: most names skip Foundation.
        if !input.unicodeScalars.allSatisfy({ $0.isASCII || Self.isUnifiedIdeograph($0) }) {
            input = input.precomposedStringWithCompatibilityMapping.decomposedStringWithCanonicalMapping
        }
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(min(input.utf8.count, Self.maxScalars))
        var wordStarts: [Int] = []
        var inWord = false
        var wordIsIdeographic = false

        func keep(_ scalar: Unicode.Scalar, ideographic: Bool) {
            guard scalars.count < Self.maxScalars else { return }
            if !inWord || ideographic != wordIsIdeographic { wordStarts.append(scalars.count) }
            inWord = true
            wordIsIdeographic = ideographic
            scalars.append(scalar)
        }

        for scalar in input.unicodeScalars {
            guard scalars.count < Self.maxScalars else { break }
            if scalar.isASCII {
                switch scalar.value {
                case 0x30...0x39, 0x61...0x7A: keep(scalar, ideographic: false)
                case 0x41...0x5A: keep(Unicode.Scalar(UInt8(scalar.value + 0x20)), ideographic: false)
                default: inWord = false
                }
                continue
            }
            if Self.isUnifiedIdeograph(scalar) {
                keep(scalar, ideographic: true)
                continue
            }
            let properties = scalar.properties
            switch properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber, .letterNumber, .otherNumber:
                let ideographic = properties.isIdeographic
                if properties.changesWhenLowercased {
                    // A lowercase mapping may bring a combining mark (İ → i̇): marks go, as above.
                    for lower in properties.lowercaseMapping.unicodeScalars where !Self.isMark(lower) {
                        keep(lower, ideographic: ideographic)
                    }
                } else {
                    keep(scalar, ideographic: ideographic)
                }
            case .nonspacingMark, .spacingMark, .enclosingMark:
                // An accent belongs to the letter before it: the word goes on.
                continue
            default:
                inWord = false
            }
        }
        self.scalars = scalars
        self.wordStarts = wordStarts
    }

    /// A company name folded, with its trailing legal form removed as ``CompanyName`` removes it;
    /// folded whole when the dedup normalizer refuses it (a name that is only a legal form).
    init(company name: String) {
        self.init(folding: name)
        guard let normalized = try? CompanyName.normalized(name) else { return }
        let key = SearchText(folding: normalized)
        // The dedup key is the folded name less a trailing part; anything else (a name cut at
        // maxScalars) keeps the whole fold, which still finds the company.
        guard !key.isEmpty, key.scalars.count < scalars.count, scalars.starts(with: key.scalars) else { return }
        scalars = key.scalars
        wordStarts = wordStarts.filter { $0 < key.scalars.count }
    }

    /// A query folded like a company name, so that `杭州西湖茶叶有限公司` finds what the index
    /// holds as `杭州西湖茶叶`; a query that is only a legal form is searched for as it is.
    init(query: String) {
        self.init(company: query)
    }

    static func isUnifiedIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(scalar.value)
    }

    /// Whether the scalar is read as a Han character for pinyin.
    static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        isUnifiedIdeograph(scalar) || (!scalar.isASCII && scalar.properties.isUnifiedIdeograph)
    }

    static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    // MARK: - Matching

    /// How `query` matches `text` by characters, the best way it does: the whole text, its
    /// beginning, a contiguous fragment, or every query character in order with others between
    /// (`杭州茶` in `杭州西湖茶叶`); `nil` when some query character is missing or out of order.
    ///
    /// Both are UTF-8. Whole, beginning and fragment compare bytes: UTF-8 is self-synchronizing,
    /// so the bytes of whole characters match only at character boundaries. In order compares
    /// characters, `query`'s given as where each starts (`characterStarts`, with `query.count`
    /// last). Nothing is allocated: this runs for every candidate a query reads.
    static func characterMatch(
        _ query: UnsafeBufferPointer<UInt8>,
        characterStarts: [Int],
        in text: UnsafeBufferPointer<UInt8>
    ) -> SearchMatch? {
        guard !query.isEmpty, query.count <= text.count else { return nil }
        // Most candidates do not match at all: one pass finds out, the closer looks come after.
        var next = 0
        var start = characterStarts[0]
        var length = characterStarts[1] - start
        var index = 0
        while index < text.count {
            let here = utf8Length(text[index])
            if here == length, text[index] == query[start], index + here <= text.count {
                var same = true
                var offset = 1
                while offset < here {
                    if text[index + offset] != query[start + offset] {
                        same = false
                        break
                    }
                    offset += 1
                }
                if same {
                    next += 1
                    if next + 1 == characterStarts.count { break }
                    start = characterStarts[next]
                    length = characterStarts[next + 1] - start
                }
            }
            index += here
        }
        guard next + 1 == characterStarts.count else { return nil }
        return contiguousMatch(query, in: text) ?? .inOrder
    }

    /// Where each character of `text` starts in its UTF-8, and its length last.
    static func characterStarts(_ text: [UInt8]) -> [Int] {
        var starts: [Int] = []
        var index = 0
        while index < text.count {
            starts.append(index)
            index += utf8Length(text[index])
        }
        starts.append(text.count)
        return starts
    }

    /// The length of the UTF-8 sequence `lead` starts (1 for a stray continuation byte).
    @inline(__always)
    static func utf8Length(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }

    /// The whole text, its beginning or a fragment, in bytes; `nil` for none of them.
    private static func contiguousMatch(
        _ query: UnsafeBufferPointer<UInt8>,
        in text: UnsafeBufferPointer<UInt8>
    )
        -> SearchMatch?
    {
        guard query.count <= text.count, let first = query.first else { return nil }
        var start = 0
        while start + query.count <= text.count {
            if text[start] == first, (1..<query.count).allSatisfy({ text[start + $0] == query[$0] }) {
                if start > 0 { return .fragment }
                return text.count == query.count ? .exact : .prefix
            }
            start += 1
        }
        return nil
    }

    /// Whether `query` is within one edit (a letter replaced, added, dropped, or two neighbours
    /// swapped) of some beginning of `text`: `acmerobtics` of `acmerobotics…`.
    static func isOneEditFromPrefix(_ query: UnsafeBufferPointer<UInt8>, of text: UnsafeBufferPointer<UInt8>) -> Bool {
        var mismatch = 0
        while mismatch < query.count, mismatch < text.count, query[mismatch] == text[mismatch] { mismatch += 1 }
        // The whole query is a beginning of the text: no edit at all.
        if mismatch == query.count { return true }
        // The text ended first: the query's one extra letter may be its last.
        if mismatch == text.count { return query.count - mismatch == 1 }

        /// Whether the query from `q` is a beginning of the text from `t`.
        func rest(_ q: Int, _ t: Int) -> Bool {
            guard q <= query.count else { return true }
            guard t <= text.count, query.count - q <= text.count - t else { return false }
            return query[q...].elementsEqual(text[t..<t + (query.count - q)])
        }
        if rest(mismatch + 1, mismatch + 1) { return true }  // replaced
        if rest(mismatch + 1, mismatch) { return true }  // the query has a letter too many
        if rest(mismatch, mismatch + 1) { return true }  // the query lacks a letter
        if mismatch + 1 < query.count, mismatch + 1 < text.count, query[mismatch] == text[mismatch + 1],
            query[mismatch + 1] == text[mismatch], rest(mismatch + 2, mismatch + 2)
        {
            return true  // swapped
        }
        return false
    }
}

/// How a hit matched its query, best first: hits rank by it, then by the order the CRM first
/// saw their records.
public enum SearchMatch: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// The whole name, phone number, email address or credit code.
    case exact = 0
    /// The beginning of a name (after its legal form is removed), or an email's local part.
    case prefix = 1
    /// A contiguous fragment of a name, a Latin word inside it, or a phone number's last digits.
    case fragment = 2
    /// Every query character in the name in order, with others between (`杭州茶` in `杭州西湖茶叶`).
    case inOrder = 3
    /// The pinyin of a Han name, full (`hangzhouxihu`, from any syllable) or its initials from
    /// the beginning (`hzxh`).
    case pinyin = 4
    /// A Latin name with one typo (`acme robtics` for `Acme Robotics`).
    case typo = 5

    public static func < (lhs: SearchMatch, rhs: SearchMatch) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The name it goes by in the API: `exact`, `prefix`, `fragment`, `in_order`, `pinyin`, `typo`.
    public var description: String {
        switch self {
        case .exact: "exact"
        case .prefix: "prefix"
        case .fragment: "fragment"
        case .inOrder: "in_order"
        case .pinyin: "pinyin"
        case .typo: "typo"
        }
    }
}
