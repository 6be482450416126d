import Glibc

/// The text encodings spreadsheets arrive in: UTF-8 (with or without a byte-order mark), UTF-16
/// (Excel's "Unicode text"), GB18030 (what Excel on Chinese Windows writes as GBK, a subset)
/// and CP949 (Excel on Korean Windows; EUC-KR is a subset).
public enum TextEncoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// UTF-8, with or without a byte-order mark.
    case utf8 = "utf-8"
    /// UTF-16, low byte first: Excel's "Unicode text".
    case utf16LittleEndian = "utf-16le"
    /// UTF-16, high byte first.
    case utf16BigEndian = "utf-16be"
    /// GB18030, which GBK and GB2312 are subsets of.
    case gb18030
    /// CP949 (Unified Hangul Code), which EUC-KR is a subset of.
    case cp949

    /// The name `--encoding` takes.
    public var description: String { rawValue }

    /// The encoding a user names: `utf-8`, `utf-16le`, `utf-16be`, `gb18030` (or `gbk`,
    /// `gb2312`, its subsets), `cp949` (or `euc-kr`, `uhc`, `ks_c_5601-1987`), in any case.
    ///
    /// - Throws: ``SpreadsheetError`` `unknown_encoding` for any other name.
    public init(named name: String) throws(SpreadsheetError) {
        switch name.lowercased().replacingUnderscoresAndSpaces() {
        case "utf-8", "utf8": self = .utf8
        case "utf-16le", "utf16le", "utf-16", "utf16", "unicode": self = .utf16LittleEndian
        case "utf-16be", "utf16be": self = .utf16BigEndian
        case "gb18030", "gbk", "gb2312", "cp936", "euc-cn": self = .gb18030
        case "cp949", "euc-kr", "euckr", "uhc", "ks-c-5601-1987", "windows-949": self = .cp949
        default:
            throw SpreadsheetError(
                .unknownEncoding,
                "unknown encoding \"\(name)\"; known: utf-8, utf-16le, utf-16be, gb18030 (gbk), cp949 (euc-kr)"
            )
        }
    }

    /// The name glibc's `iconv` knows it by.
    var iconvName: String {
        switch self {
        case .utf8: "UTF-8"
        case .utf16LittleEndian: "UTF-16LE"
        case .utf16BigEndian: "UTF-16BE"
        case .gb18030: "GB18030"
        case .cp949: "CP949"
        }
    }
}

/// Bytes of a file as text: the encoding named, or else the one its byte-order mark or its
/// bytes show.
public enum TextDecoding {
    /// `bytes` decoded from `encoding`, or from the encoding ``detect(_:)`` finds; a byte-order
    /// mark is dropped. Returns the text and the encoding used.
    ///
    /// - Throws: ``SpreadsheetError`` `undecodable_text`, naming the line of the first byte that
    ///   is not text in that encoding.
    public static func decode(
        _ bytes: [UInt8],
        as encoding: TextEncoding? = nil
    ) throws(SpreadsheetError) -> (text: String, encoding: TextEncoding) {
        let (found, markLength) = byteOrderMark(bytes)
        let used = encoding ?? found ?? detect(bytes)
        let body = used == found ? bytes[markLength...] : bytes[...]
        if used == .utf8 {
            guard let text = String(validating: body, as: UTF8.self) else {
                throw undecodable(body, at: firstInvalidUTF8(body), as: used)
            }
            return (text, used)
        }
        return (try convert(body, from: used), used)
    }

    /// The encoding of bytes without a byte-order mark: UTF-8 when they are valid UTF-8 (ASCII
    /// is), else GB18030 or CP949. Chinese and Korean double-byte text overlap, so the two are
    /// told apart by where the characters fall: Hangul syllables in CP949 lead with bytes
    /// 0xB0-0xC8 (and 0x81-0xC6 with a trail byte below 0xA1 for the rest of them), while
    /// everyday Chinese spreads its lead bytes over 0xB0-0xF7 (公司 is B9AB CBBE). Text nine
    /// tenths of whose double-byte characters lead with Hangul bytes (the rest may be Hanja)
    /// is taken for CP949.
    public static func detect(_ bytes: [UInt8]) -> TextEncoding {
        if let found = byteOrderMark(bytes).0 { return found }
        if String(validating: bytes, as: UTF8.self) != nil { return .utf8 }
        var (hangulLeads, otherLeads) = (0, 0)
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            guard lead >= 0x81, index + 1 < bytes.count else {
                index += 1
                continue
            }
            let trail = bytes[index + 1]
            if (0xB0...0xC8).contains(lead) && trail >= 0xA1 || (0x81...0xC6).contains(lead) && trail < 0xA1 {
                hangulLeads += 1
            } else {
                otherLeads += 1
            }
            // GB18030's four-byte sequences have a digit as their second byte.
            index += (0x30...0x39).contains(trail) ? 4 : 2
        }
        return hangulLeads > 0 && hangulLeads >= 9 * otherLeads ? .cp949 : .gb18030
    }

    /// The encoding a byte-order mark at the start names, and the mark's length.
    static func byteOrderMark(_ bytes: [UInt8]) -> (TextEncoding?, Int) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return (.utf16LittleEndian, 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (.utf16BigEndian, 2) }
        return (nil, 0)
    }

    /// `bytes` converted from `encoding` to UTF-8 by glibc's `iconv`, in one pass.
    private static func convert(
        _ bytes: ArraySlice<UInt8>,
        from encoding: TextEncoding
    ) throws(SpreadsheetError)
        -> String
    {
        let converter = iconv_open("UTF-8", encoding.iconvName)
        guard let converter, Int(bitPattern: converter) != -1 else {
            throw SpreadsheetError(.unknownEncoding, "this system cannot convert from \(encoding.iconvName)")
        }
        defer { iconv_close(converter) }
        // Every source byte becomes at most 3 bytes of UTF-8 (a 4-byte GB18030 or UTF-16
        // surrogate pair becomes 4): 3 per byte is always enough.
        var output = [UInt8](repeating: 0, count: bytes.count * 3 + 4)
        var input = Array(bytes)
        let (failed, consumed, produced) = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                var inPointer = source.baseAddress.map {
                    UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self)
                }
                var outPointer = target.baseAddress.map {
                    UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self)
                }
                var inLeft = source.count
                var outLeft = target.count
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return (result == -1, source.count - inLeft, target.count - outLeft)
            }
        }
        guard !failed, consumed == bytes.count else {
            throw undecodable(bytes, at: bytes.startIndex + consumed, as: encoding)
        }
        return String(decoding: output[..<produced], as: UTF8.self)
    }

    /// The offset of the first byte that does not start a valid UTF-8 character.
    private static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = bytes.startIndex
        while case .valid(let character) = parser.parseScalar(from: &iterator) { offset += character.count }
        return offset
    }

    private static func undecodable(
        _ bytes: ArraySlice<UInt8>,
        at offset: Int,
        as encoding: TextEncoding
    )
        -> SpreadsheetError
    {
        let line = 1 + bytes[bytes.startIndex..<min(max(offset, bytes.startIndex), bytes.endIndex)].count { $0 == 0x0A }
        return SpreadsheetError(
            .undecodableText,
            "byte \(offset) is not \(encoding) text; name the file's encoding with --encoding",
            line: line
        )
    }
}

extension String {
    fileprivate func replacingUnderscoresAndSpaces() -> String {
        String(map { $0 == "_" || $0 == " " ? "-" : $0 })
    }
}
