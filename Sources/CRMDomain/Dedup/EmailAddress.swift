/// Email addresses as dedup keys: ` Zhang.Wei@Example.COM ` → `zhang.wei@example.com`.
///
/// Surrounding whitespace is trimmed and the whole address lowercased. The local part is
/// lowercased too: RFC 5321 lets it be case-sensitive, but no mail provider a customer uses
/// treats it so, and a duplicate missed costs more than a false match. Nothing else is
/// rewritten: dots and `+tags` stay, since what they mean depends on the provider.
///
/// A valid address has exactly one `@`, a non-empty local part of at most 64 bytes, and a
/// domain with at least one dot and no empty label, 254 bytes in all (RFC 5321's limits), and no
/// whitespace or invisible characters inside. Normalizing a key gives it back.
public enum EmailAddress {
    /// The longest address, in UTF-8 bytes (RFC 5321).
    public static let maxLength = 254
    /// The longest local part, in UTF-8 bytes (RFC 5321).
    public static let maxLocalPartLength = 64

    /// Normalizes an email address into its dedup key.
    ///
    /// - Parameter address: The address as typed, possibly with surrounding spaces.
    /// - Returns: The trimmed, lowercased address.
    /// - Throws: ``DedupKeyError`` with ``DedupKeyError/Code/invalidEmail``, saying what is wrong:
    ///   no `@` or more than one, an empty local part, a domain without a dot, a space inside.
    public static func normalized(_ address: String) throws(DedupKeyError) -> String {
        func fail(_ why: String) -> DedupKeyError {
            DedupKeyError(
                .invalidEmail,
                kind: .email,
                input: address,
                message: "email \(DedupKeyError.quoted(address)) \(why)"
            )
        }
        let scalars = address.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isTrimmed($0) }),
            let last = scalars.lastIndex(where: { !isTrimmed($0) })
        else { throw fail("is empty") }
        let trimmed = scalars[start...last]

        // One pass gathers what the checks below need, so a valid address is read once.
        var whitespace: Unicode.Scalar?
        var invisible = false
        var ats = 0
        var atOffset = 0
        var fullWidthAt = false
        var ascii = true
        var count = 0
        for scalar in trimmed {
            switch scalar {
            case "@":
                ats += 1
                atOffset = count
            case "\u{FF20}":  // Chinese input methods type a full-width ＠ that looks right on screen.
                fullWidthAt = true
                ascii = false
            default:
                if scalar.isASCII {
                    if scalar == " " || (0x09...0x0D).contains(scalar.value) {
                        whitespace = whitespace ?? scalar
                    } else if scalar.value < 0x20 || scalar.value == 0x7F {
                        invisible = true
                    }
                } else {
                    ascii = false
                    if scalar.properties.isWhitespace {
                        whitespace = whitespace ?? scalar
                    } else if [.control, .format].contains(scalar.properties.generalCategory) {
                        invisible = true
                    }
                }
            }
            count += 1
        }
        if let whitespace { throw fail(whitespace == " " ? "has a space inside" : "has whitespace inside") }
        if invisible { throw fail("has an invisible control character inside") }
        guard ats == 1 else {
            if ats == 0 { throw fail(fullWidthAt ? "has a full-width ＠ instead of @" : "has no @") }
            throw fail("has \(ats) @ signs; an address has exactly one")
        }
        let normalized =
            ascii ? lowercasedASCII(trimmed, count: count) : String(String.UnicodeScalarView(trimmed)).lowercased()
        let utf8 = normalized.utf8
        guard let at = utf8.firstIndex(of: UInt8(ascii: "@")) else { throw fail("has no @") }  // lowercasing keeps @
        let local = utf8[..<at]
        let domain = utf8[utf8.index(after: at)...]
        guard atOffset > 0 else { throw fail("has nothing before the @") }
        guard !domain.isEmpty else { throw fail("has no domain after the @") }
        guard domain.contains(UInt8(ascii: ".")) else { throw fail("has a domain without a dot") }
        guard !domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).contains(where: \.isEmpty)
        else {
            throw fail("has a domain with an empty label (a leading, trailing or doubled dot)")
        }
        guard local.count <= maxLocalPartLength else {
            throw fail("has a local part longer than \(maxLocalPartLength) bytes")
        }
        guard utf8.count <= maxLength else { throw fail("is longer than \(maxLength) bytes") }
        return normalized
    }

    /// `scalars` lowercased, when every one is ASCII; `count` is how many there are.
    private static func lowercasedASCII(_ scalars: Substring.UnicodeScalarView, count: Int) -> String {
        String(unsafeUninitializedCapacity: count) { buffer in
            for (offset, scalar) in scalars.enumerated() {
                let value = UInt8(truncatingIfNeeded: scalar.value)
                buffer[offset] = (0x41...0x5A).contains(value) ? value + 0x20 : value
            }
            return count
        }
    }

    /// Trimmed at either end: whitespace, and zero-width spaces and byte-order marks that come
    /// along when an address is copied from a web page or a spreadsheet.
    private static func isTrimmed(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar == " " || (0x09...0x0D).contains(scalar.value) }
        return scalar.properties.isWhitespace || scalar.properties.generalCategory == .format
    }
}
