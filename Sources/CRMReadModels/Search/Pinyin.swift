// Foundation for ICU's Han-Latin transform (`applyingTransform(.toLatin)`), which is what turns
// Han characters into pinyin here.
import Foundation

/// Pinyin of Han names, from ICU's Han → Latin transform with the tones stripped, one
/// character at a time and remembered, so each distinct character costs one ICU call
/// (about 14 µs) per projector.
///
/// Measured on Linux (Swift 6.3, swift-corelibs-foundation's ICU): `杭州西湖茶叶有限公司` →
/// `háng zhōu xī hú chá yè yǒu xiàn gōng sī` → `hang zhou xi hu cha ye you xian gong si`, about
/// 160-225 µs for the whole name. ICU gives each character one reading, its most common one;
/// a whole string is read with little context (`重庆` as `chong qing`, but still `长沙` as
/// `zhang sha` and `厦门` as `sha men`). Reading character by character loses even that and
/// is 15 times cheaper with the memo, so names are read by character and the few characters
/// ICU reads one way where names (places, surnames) read them another get a second reading
/// from ``alternates``. A reading with `ü` also gets its `v` spelling (`lü` → `lu`, `lv`), as
/// pinyin keyboards type it.
///
/// A name has at most two pinyin spellings: every character's first reading, and every
/// character's alternate where it has one, so `重庆长沙` is indexed as `zhongqingzhangsha` and
/// `chongqingchangsha`; mixing them (`chongqingzhangsha`) finds nothing.
struct PinyinReader {
    /// Second readings ICU does not give, for characters whose reading in place names and
    /// surnames differs from the one ICU picks.
    static let alternates: [Unicode.Scalar: String] = [
        "长": "chang", "厦": "xia", "重": "chong", "行": "hang", "乐": "yue", "朝": "zhao", "单": "shan",
        "会": "kuai", "藏": "zang", "曾": "zeng", "解": "xie", "查": "zha", "区": "ou", "都": "du", "仇": "qiu",
        "覃": "qin", "番": "pan", "六": "lu", "铅": "yan", "尉": "yu", "缪": "miao", "柏": "bo", "薄": "bo",
        "秘": "bi", "盛": "cheng", "奇": "ji", "传": "zhuan", "差": "chai",
    ]

    private var memo: [Unicode.Scalar: [String]] = [:]

    init() {}

    /// The readings of one Han character, ICU's first; empty when ICU has none.
    mutating func readings(of scalar: Unicode.Scalar) -> [String] {
        if let known = memo[scalar] { return known }
        var found: [String] = []
        if let latin = String(scalar).applyingTransform(.toLatin, reverse: false) {
            // Tones are combining marks once decomposed: dropping everything but a-z strips them.
            // `u` with a diaeresis is `ü`, typed `v` on pinyin keyboards.
            let decomposed = Array(latin.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars)
            var plain = String.UnicodeScalarView()
            var typed = String.UnicodeScalarView()
            var umlaut = false
            for (index, letter) in decomposed.enumerated() where ("a"..."z").contains(letter) {
                plain.append(letter)
                if letter == "u", index + 1 < decomposed.count, decomposed[index + 1] == "\u{308}" {
                    typed.append("v")
                    umlaut = true
                } else {
                    typed.append(letter)
                }
            }
            // A transform that leaves the character as it was, or gives something longer than one
            // syllable, is no reading.
            if !plain.isEmpty, plain.count <= 6 {
                found.append(String(plain))
                if umlaut { found.append(String(typed)) }
            }
        }
        if let alternate = Self.alternates[scalar], !found.contains(alternate) { found.append(alternate) }
        memo[scalar] = found
        return found
    }

    /// The pinyin spellings of `text`'s Han characters (other characters are skipped), at most
    /// two: each character's first reading, and each character's second where it has one. Each
    /// spelling comes with where its syllables start. Empty when the text has no Han character
    /// ICU can read.
    mutating func spellings(of text: [Unicode.Scalar]) -> [(letters: String, syllableStarts: [Int])] {
        var first = (letters: "", syllableStarts: [Int]())
        var second = (letters: "", syllableStarts: [Int]())
        var differs = false
        for scalar in text where SearchText.isHan(scalar) {
            let options = readings(of: scalar)
            guard let primary = options.first else { continue }
            first.syllableStarts.append(first.letters.utf8.count)
            first.letters += primary
            second.syllableStarts.append(second.letters.utf8.count)
            if options.count > 1 {
                second.letters += options[1]
                differs = true
            } else {
                second.letters += primary
            }
        }
        if first.letters.isEmpty { return [] }
        return differs ? [first, second] : [first]
    }
}
