/// Phone numbers as dedup keys, in E.164: `138-0013-8000` → `+8613800138000`.
///
/// A number with `+` or the `00` international prefix keeps its own country code. One without is
/// Chinese (+86), and must say which kind it is: an 11-digit mobile starting with `13`–`19`, or a
/// landline starting with the trunk `0` and its area code (`010-65521234`, `0755-88886666`). A
/// number starting with `86` and no `+` is read as country code 86, since a Chinese number
/// written without a country code starts with 1 or 0.
///
/// Spaces, dashes, dots, slashes and parentheses are ignored, full-width digits and `＋` read as
/// ASCII, and a Chinese number written with its trunk 0 after the country code
/// (`+86 (0)10 6552 1234`) loses it. An extension (`转801`, `ext. 12`, `x12`, `#12`, up to 6
/// digits) is dropped: the key identifies the line, and two contacts on one switchboard belong
/// to one company. Any other letter or sign makes the number invalid rather than guessed at.
///
/// Foreign numbers are checked for length only (7 to 15 digits with the country code, first
/// digit not 0): their numbering plans are out of scope. Every key matches
/// `^\+[1-9][0-9]{6,14}$`, and normalizing a key gives it back.
public enum PhoneNumber {
    /// The most digits an extension may have; more looks like a second number.
    public static let maxExtensionDigits = 6

    /// Normalizes a phone number into its E.164 dedup key.
    ///
    /// - Parameter number: The number as typed, with or without country code and separators.
    /// - Returns: The E.164 form, such as `+8613800138000` or `+14155550100`.
    /// - Throws: ``DedupKeyError`` with ``DedupKeyError/Code/invalidPhone``, saying what is wrong:
    ///   too few or too many digits, no area code, an unexpected character.
    public static func e164(_ number: String) throws(DedupKeyError) -> String {
        let (plus, digits) = try scan(number)
        let fail = { (why: String) in failure(number, why) }
        guard !digits.isEmpty else {
            throw number.unicodeScalars.allSatisfy(\.properties.isWhitespace) ? fail("is empty") : fail("has no digits")
        }
        if plus {
            return try international(digits[...], prefix: "+", number)
        }
        if digits.starts(with: [0, 0]) {
            return try international(digits.dropFirst(2), prefix: "00", number)
        }
        if digits[0] == 0 {
            return try chinese(digits.dropFirst(), number, after: "its trunk 0")
        }
        if digits.starts(with: [8, 6]) {
            do throws(DedupKeyError) {
                return try chinese(withoutCountryCode: digits.dropFirst(2), number)
            } catch  where (7...8).contains(digits.count) {
                // `86886666` is more likely a local Shenzhen number than +86 with 6 digits.
                throw noAreaCode(number, digits.count)
            }
        }
        if digits[0] == 1 {
            // Without a trunk 0, a number starting with 1 can only be a mobile; `1065521234` is
            // a Beijing landline missing its 0, or a mobile missing a digit, and we cannot tell.
            guard digits.count == 11 else { throw fail("has \(digitCount(digits.count)); a Chinese mobile has 11") }
            return try chinese(digits[...], number, after: "")
        }
        if (7...8).contains(digits.count) { throw noAreaCode(number, digits.count) }
        throw fail(
            "does not start with 1 (a Chinese mobile), 0 (an area code) or + (a country code); "
                + "write a foreign number with + and its country code"
        )
    }

    // MARK: - Kinds of numbers

    /// After `+` or `00`: a country code and a national number.
    private static func international(
        _ digits: ArraySlice<UInt8>,
        prefix: String,
        _ number: String
    )
        throws(DedupKeyError) -> String
    {
        guard let first = digits.first else { throw failure(number, "has no digits after \(prefix)") }
        guard first != 0 else { throw failure(number, "has a country code starting with 0 after \(prefix)") }
        if digits.starts(with: [8, 6]) {
            return try chinese(withoutCountryCode: digits.dropFirst(2), number)
        }
        guard (7...15).contains(digits.count) else {
            throw failure(
                number,
                "has \(digitCount(digits.count)) after \(prefix); "
                    + "an international number has 7 to 15 with its country code"
            )
        }
        return "+" + ascii(digits)
    }

    /// After country code 86, where some write the trunk 0 too: `+86 (0)10 6552 1234`.
    private static func chinese(
        withoutCountryCode digits: ArraySlice<UInt8>,
        _ number: String
    ) throws(DedupKeyError)
        -> String
    {
        digits.first == 0
            ? try chinese(digits.dropFirst(), number, after: "country code 86 and trunk 0")
            : try chinese(digits, number, after: "country code 86")
    }

    /// A Chinese national significant number: a mobile, or an area code and a subscriber number.
    ///
    /// Area codes are 10 (Beijing) and 2X (8-digit numbers), or three digits from 3XX to 9XX
    /// (7- or 8-digit numbers); mobiles are 11 digits from 13 to 19.
    private static func chinese(
        _ digits: ArraySlice<UInt8>,
        _ number: String,
        after part: String
    ) throws(DedupKeyError)
        -> String
    {
        let after = part.isEmpty ? "" : " after \(part)"
        func fail(_ why: String) -> DedupKeyError { failure(number, why) }
        guard let first = digits.first else { throw fail("has no digits\(after)") }
        let count = digits.count
        let second = digits.dropFirst().first
        switch first {
        case 1 where second == 0:
            guard count == 10 else {
                throw fail("has \(digitCount(count - 2)) after area code 010 (Beijing); a Beijing number has 8")
            }
        case 1:
            guard count == 11 else { throw fail("has \(digitCount(count))\(after); a Chinese mobile has 11") }
            guard let second, (3...9).contains(second) else {
                throw fail("starts with 1\(second.map { String($0) } ?? ""), which no Chinese mobile does (13 to 19)")
            }
        case 2...9 where count <= (first == 2 ? 2 : 3):
            throw fail("has \(digitCount(count))\(after); a landline has an area code and then 7 or 8 digits")
        case 2:
            guard count == 10 else {
                let code = ascii(digits.prefix(2))
                throw fail("has \(digitCount(count - 2)) after area code 0\(code); a number there has 8")
            }
        case 3...9:
            guard (10...11).contains(count) else {
                let code = ascii(digits.prefix(3))
                throw fail("has \(digitCount(count - 3)) after area code 0\(code); a number there has 7 or 8")
            }
        default:
            throw fail("has a second 0\(after); an area code starts with a single 0")
        }
        return "+86" + ascii(digits)
    }

    private static func noAreaCode(_ number: String, _ count: Int) -> DedupKeyError {
        failure(
            number,
            "has \(digitCount(count)) and no area code; write a Chinese landline with its area code, as in 010-65521234"
        )
    }

    // MARK: - Reading the input

    /// The digits of `number` and whether it starts with `+`, past any extension.
    private static func scan(_ number: String) throws(DedupKeyError) -> (plus: Bool, digits: [UInt8]) {
        let scalars = number.unicodeScalars.map(folded)
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var plus = false
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if let digit = digitValue(scalar) {
                digits.append(digit)
            } else if scalar == "+" {
                guard digits.isEmpty, !plus else { throw failure(number, "has a + that is not at the start") }
                plus = true
            } else if !isSeparator(scalar) {
                guard !digits.isEmpty, let length = extensionMarkerLength(scalars[index...]) else {
                    throw failure(
                        number,
                        "contains \(describe(scalar)); "
                            + "a phone number has only digits, spaces, dashes, parentheses and a leading +"
                    )
                }
                try checkExtension(scalars[(index + length)...], marker: scalars[index..<(index + length)], number)
                break
            }
            index += 1
        }
        return (plus, digits)
    }

    /// What may follow an extension marker: separators, a colon, more pauses, and 1 to 6 digits.
    private static func checkExtension(
        _ rest: ArraySlice<Unicode.Scalar>,
        marker: ArraySlice<Unicode.Scalar>,
        _ number: String
    ) throws(DedupKeyError) {
        let shownMarker = String(String.UnicodeScalarView(marker))
        var count = 0
        for scalar in rest {
            if digitValue(scalar) != nil {
                count += 1
            } else if !isSeparator(scalar), !":,;".unicodeScalars.contains(scalar) {
                throw failure(
                    number,
                    "has \(describe(scalar)) in the extension after '\(shownMarker)'; an extension is digits only"
                )
            }
        }
        guard count > 0 else { throw failure(number, "has '\(shownMarker)' with no extension digits after it") }
        guard count <= maxExtensionDigits else {
            throw failure(
                number,
                "has \(digitCount(count)) after '\(shownMarker)'; "
                    + "an extension has at most \(maxExtensionDigits), so is that a second number?"
            )
        }
    }

    /// Extension markers, lowercased and half-width; `,` and `;` are dialers' pauses before one.
    private static let extensionMarkers: [[Unicode.Scalar]] = [
        "extension", "ext", "x", "#", ",", ";", "转", "轉", "分机", "分機",
    ]
    .map { Array($0.unicodeScalars) }

    private static func extensionMarkerLength(_ scalars: ArraySlice<Unicode.Scalar>) -> Int? {
        extensionMarkers.first { scalars.starts(with: $0) }?.count
    }

    /// Full-width ASCII as ASCII, upper case as lower, so `＋８６`, `EXT` and `ｘ` need no special cases.
    private static func folded(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        var value = scalar.value
        if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
        if (0x41...0x5A).contains(value) { value += 0x20 }
        return Unicode.Scalar(value) ?? scalar
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> UInt8? {
        if (0x30...0x39).contains(scalar.value) { return UInt8(scalar.value - 0x30) }
        // Other scripts' decimal digits (Arabic-Indic, Devanagari…) mean the same digits.
        guard !scalar.isASCII, scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue
        else {
            return nil
        }
        return UInt8(value)
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "-", ".", "/", "(", ")", "\u{2212}": return true
        default:
            if scalar.isASCII { return scalar.properties.isWhitespace }
            switch scalar.properties.generalCategory {
            case .dashPunctuation, .openPunctuation, .closePunctuation, .spaceSeparator, .format: return true
            default: return scalar.properties.isWhitespace
            }
        }
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
            ? "an invisible character U+\(String(scalar.value, radix: 16, uppercase: true))"
            : "'\(scalar)'"
    }

    private static func digitCount(_ count: Int) -> String {
        count == 1 ? "1 digit" : "\(count) digits"
    }

    private static func ascii(_ digits: some Collection<UInt8>) -> String {
        String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
    }

    private static func failure(_ number: String, _ why: String) -> DedupKeyError {
        DedupKeyError(
            .invalidPhone,
            kind: .phone,
            input: number,
            message: "phone \(DedupKeyError.quoted(number)) \(why)"
        )
    }
}
