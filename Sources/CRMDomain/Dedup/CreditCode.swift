/// Unified social credit codes (统一社会信用代码, GB 32100-2015) as dedup keys.
///
/// A code is 18 characters from `0`–`9` and `A`–`Y` without `I`, `O`, `S`, `V`, `Z` (31 in
/// all); the last is a check character over the first 17. Spaces and dashes are ignored,
/// full-width characters read as ASCII, and lower case is accepted and upper-cased:
/// `9150 0000 ma60 272h dl` → `91500000MA60272HDL`.
///
/// Only the alphabet and the check character are checked, not what positions 1–8 encode
/// (registering authority, entity type, region): those lists change, and the check character
/// already catches every single mistyped character and every swap of neighbours.
public enum CreditCode {
    /// The characters of a code, in the order of their values 0…30.
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    /// Checks a unified social credit code and returns it in canonical form.
    ///
    /// - Parameter code: The code as typed, in any case, possibly with spaces or dashes.
    /// - Returns: The 18 upper-case characters.
    /// - Throws: ``DedupKeyError`` with ``DedupKeyError/Code/invalidCreditCode`` when the code has
    ///   the wrong length, a character outside the alphabet, or a check character that does not
    ///   match the first 17.
    public static func validated(_ code: String) throws(DedupKeyError) -> String {
        let values = try values(of: code, length: 18)
        let expected = checkValue(values.prefix(17))
        guard values[17] == expected else {
            // The expected character is not in the message: a code that fails its check has a
            // typo somewhere, and "fixing" the last character would hide it.
            throw failure(
                code,
                "has check character \(alphabet[Int(values[17])]), which does not match its first 17 characters; "
                    + "one of them is mistyped"
            )
        }
        return string(values)
    }

    /// The check character for the first 17 characters of a code.
    ///
    /// - Parameter base: 17 characters from the alphabet, in any case, possibly with spaces.
    /// - Returns: The 18th character that makes `base` a valid code.
    /// - Throws: ``DedupKeyError`` with ``DedupKeyError/Code/invalidCreditCode`` when `base` is not
    ///   17 characters from the alphabet.
    public static func checkCharacter(for base: String) throws(DedupKeyError) -> Character {
        alphabet[Int(checkValue(try values(of: base, length: 17)[...]))]
    }

    // MARK: - The check

    /// Weight of position i (from 0) is 3^i mod 31.
    private static let weights: [Int] = (0..<17).reduce(into: []) { weights, index in
        weights.append(index == 0 ? 1 : weights[index - 1] * 3 % 31)
    }

    /// GB 32100-2015: the check value c makes the weighted sum plus c divisible by 31.
    private static func checkValue(_ values: ArraySlice<UInt8>) -> UInt8 {
        let sum = zip(values, weights).reduce(0) { $0 + Int($1.0) * $1.1 }
        return UInt8((31 - sum % 31) % 31)
    }

    // MARK: - Reading the input

    /// Value of each ASCII byte in the alphabet, or -1.
    private static let valueOfByte: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (value, character) in alphabet.enumerated() {
            table[Int(character.asciiValue!)] = Int8(value)
        }
        return table
    }()

    /// The values of a code's characters: separators dropped, then length, then alphabet checked.
    private static func values(of code: String, length: Int) throws(DedupKeyError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length)
        for scalar in code.unicodeScalars {
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }  // full-width ASCII
            if (0x61...0x7A).contains(value) { value -= 0x20 }  // lower case
            if value < 0x80 {
                if value == 0x2D || value == 0x20 || (0x09...0x0D).contains(value) { continue }
            } else if scalar.properties.isWhitespace || scalar.properties.generalCategory == .format {
                continue
            }
            guard (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) else {
                throw failure(code, "contains '\(scalar)', which is not a letter or digit")
            }
            bytes.append(UInt8(value))
        }
        guard !bytes.isEmpty else { throw failure(code, "is empty") }
        guard bytes.count == length else {
            let what =
                length == 18 ? "a unified social credit code has 18" : "the part before the check character has 17"
            throw failure(code, "has \(bytes.count) character\(bytes.count == 1 ? "" : "s"); \(what)")
        }
        var values: [UInt8] = []
        values.reserveCapacity(length)
        for (index, byte) in bytes.enumerated() {
            let value = valueOfByte[Int(byte)]
            guard value >= 0 else {
                throw failure(
                    code,
                    "has \(Character(Unicode.Scalar(byte))) at position \(index + 1); a code never uses I, O, S, V or Z"
                )
            }
            values.append(UInt8(value))
        }
        return values
    }

    private static func string(_ values: [UInt8]) -> String {
        String(decoding: values.map { alphabetBytes[Int($0)] }, as: UTF8.self)
    }

    private static let alphabetBytes: [UInt8] = alphabet.map { $0.asciiValue! }

    private static func failure(_ code: String, _ why: String) -> DedupKeyError {
        DedupKeyError(
            .invalidCreditCode,
            kind: .creditCode,
            input: code,
            message: "credit code \(DedupKeyError.quoted(code)) \(why)"
        )
    }
}
