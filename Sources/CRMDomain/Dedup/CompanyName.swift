// Foundation only for NFKC (`precomposedStringWithCompatibilityMapping`), which the standard
// library does not offer; the import stays internal.
import Foundation

/// Company names as dedup keys: `北京星辰科技（集团）股份有限公司` → `北京星辰科技集团`.
///
/// Normalization, in order:
/// 1. NFKC, so full-width `ＡＢＣ（集团）` reads as `ABC(集团)` and compatibility ideographs as
///    their unified forms;
/// 2. Latin (and any other cased script) lowercased;
/// 3. whitespace, punctuation and invisible control/format characters removed (symbols such as
///    `+` stay: they are part of some names);
/// 4. one trailing legal form removed — Chinese (`有限公司`, `股份有限公司`, `有限责任公司`,
///    `（有限合伙）`, …) or English (`Co., Ltd.`, `Company Limited`, `Inc.`, `LLC`, …).
///
/// Only a *trailing* legal form goes: a branch, `…有限公司深圳分公司`, is its own entity and keeps
/// its parent's name whole. Bare `公司` is not a legal form here, since stripping it would cut
/// `分公司` and `总公司` in half. `集团` (group) is part of the name.
///
/// English legal forms match whole words, found before whitespace and punctuation are removed:
/// `Blue Ocean Inc.` loses `inc`, `Zinc Mining` does not. A change between ideographs and other
/// characters also ends a word, so `星辰科技Co.,Ltd` loses `Co.,Ltd`.
///
/// Normalizing a key again gives it back, except when a name with its legal form removed still
/// ends in one, since only one is removed per pass: `星辰有限公司有限公司` → `星辰有限公司`, and
/// `星辰 Co. Inc.` → `星辰co`, where `co` is a word again because it follows ideographs.
public enum CompanyName {
    /// The longest key, in UTF-8 bytes, so `company:` + key fits the log's 400-byte unique key.
    public static let maxKeyLength = 300

    /// Normalizes a company name into its dedup key.
    ///
    /// - Parameter name: The name as typed or imported, in any width or case.
    /// - Returns: The key, such as `北京星辰科技` or `shanghaiblueoceantrading`.
    /// - Throws: ``DedupKeyError`` with ``DedupKeyError/Code/invalidCompanyName`` when the name is
    ///   blank, has no letters or digits, is only a legal form, or is longer than ``maxKeyLength``.
    public static func normalized(_ name: String) throws(DedupKeyError) -> String {
        let (key, wordStarts) = words(of: compatibilityFolded(name))
        guard !key.isEmpty else {
            let blank = name.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
            throw failure(name, blank ? "is blank" : "has no letters or digits")
        }
        let end = legalFormStart(key, wordStarts) ?? key.count
        guard end > 0 else {
            throw failure(name, "is only a legal form; nothing is left to tell the company apart")
        }
        var normalized = String.UnicodeScalarView()
        normalized.append(contentsOf: key[..<end])
        let result = String(normalized)
        guard result.utf8.count <= maxKeyLength else {
            throw failure(name, "is \(result.utf8.count) bytes once normalized; the limit is \(maxKeyLength)")
        }
        return result
    }

    // MARK: - Legal forms

    /// English legal forms as words, longest first so `Co., Ltd.` goes as one form, not as `Ltd.`.
    static let latinLegalForms: [[[Unicode.Scalar]]] = [
        ["l", "l", "c"],
        ["company", "limited"], ["company", "ltd"], ["co", "limited"], ["co", "ltd"],
        ["pte", "ltd"], ["pty", "ltd"],
        ["coltd"], ["limited"], ["ltd"], ["incorporated"], ["inc"], ["corporation"], ["corp"],
        ["company"], ["co"], ["llc"], ["plc"],
    ]
    .sorted { $0.count > $1.count }
    .map { form in form.map { Array($0.unicodeScalars) } }

    /// Chinese legal forms (simplified and traditional), longest first: `股份有限公司` before
    /// `有限公司`, `特殊普通合伙` before `普通合伙`.
    static let chineseLegalForms: [[Unicode.Scalar]] = [
        "股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "股份公司",
        "特殊普通合伙", "普通合夥", "普通合伙", "有限合伙", "有限合夥", "个人独资企业", "個人獨資企業",
    ]
    .map { Array($0.unicodeScalars) }
    .sorted { $0.count > $1.count }

    /// Where a trailing legal form starts in `key`, if it ends in one: an English one as whole
    /// words, else a Chinese one as characters.
    static func legalFormStart(_ key: [Unicode.Scalar], _ wordStarts: [Int]) -> Int? {
        for form in latinLegalForms where wordStarts.count >= form.count {
            let first = wordStarts.count - form.count
            let matches = form.indices.allSatisfy { offset in
                let start = wordStarts[first + offset]
                let end = first + offset + 1 < wordStarts.count ? wordStarts[first + offset + 1] : key.count
                return key[start..<end].elementsEqual(form[offset])
            }
            if matches { return wordStarts[first] }
        }
        for form in chineseLegalForms where key.count >= form.count && key.suffix(form.count).elementsEqual(form) {
            return key.count - form.count
        }
        return nil
    }

    // MARK: - Folding and words

    /// NFKC, skipped when every scalar is ASCII or a CJK unified ideograph (U+4E00–U+9FFF): NFKC
    /// leaves those alone, and they are nearly all names, so most calls avoid Foundation.
    static func compatibilityFolded(_ text: String) -> String {
        let stable = text.unicodeScalars.allSatisfy { $0.isASCII || isUnifiedIdeograph($0) }
        return stable ? text : text.precomposedStringWithCompatibilityMapping
    }

    /// The kept characters, lowercased, and where each word starts among them. Words are runs
    /// between whitespace and punctuation, also split where ideographs meet other characters,
    /// since Chinese names do not put a space before `Co., Ltd.`.
    static func words(of text: String) -> (key: [Unicode.Scalar], wordStarts: [Int]) {
        var key: [Unicode.Scalar] = []
        key.reserveCapacity(text.utf8.count)
        var wordStarts: [Int] = []
        var inWord = false
        var wordIsIdeographic = false
        for scalar in text.unicodeScalars {
            let ideographic: Bool
            if scalar.isASCII {
                guard !droppedASCII[Int(scalar.value)] else {
                    inWord = false
                    continue
                }
                ideographic = false
            } else if isUnifiedIdeograph(scalar) {
                ideographic = true  // the common case, without a property lookup
            } else {
                guard !isDropped(scalar) else {
                    inWord = false
                    continue
                }
                ideographic = scalar.properties.isIdeographic
            }
            if !inWord || ideographic != wordIsIdeographic { wordStarts.append(key.count) }
            inWord = true
            wordIsIdeographic = ideographic
            if scalar.isASCII {
                let value = scalar.value
                key.append((0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value + 0x20)) : scalar)
            } else if !ideographic, scalar.properties.changesWhenLowercased {
                key.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                key.append(scalar)
            }
        }
        return (key, wordStarts)
    }

    private static func isUnifiedIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(scalar.value)
    }

    /// ASCII characters dropped: all but letters, digits and the symbols `$ + < = > ^ ` | ~`,
    /// which Unicode does not count as punctuation.
    private static let droppedASCII: [Bool] = (0..<128).map { value in
        let scalar = Unicode.Scalar(UInt8(value))
        let alphanumeric =
            (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
        return !alphanumeric && !"$+<=>^`|~".unicodeScalars.contains(scalar)
    }

    /// Whitespace, punctuation, and characters nobody sees (controls, zero-width spaces, BOMs).
    static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return droppedASCII[Int(scalar.value)] }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation, .control, .format,
            .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return true
        default:
            return scalar.properties.isWhitespace
        }
    }

    private static func failure(_ name: String, _ why: String) -> DedupKeyError {
        DedupKeyError(
            .invalidCompanyName,
            kind: .company,
            input: name,
            message: "company name \(DedupKeyError.quoted(name)) \(why)"
        )
    }
}
