import CRMDomain
import PropertyBased
import Testing

@Suite("dedup keys: phone numbers")
struct PhoneNumberTests {
    @Test(
        "Chinese numbers in the shapes people type them",
        arguments: [
            ("+86 (0)10 6552 1234", "+861065521234"),
            ("86 10 6552 1234", "+861065521234"),
            ("010.6552.1234", "+861065521234"),
            ("013800138000", "+8613800138000"),  // 0 dialled before a mobile from another city
            ("＋８６ １３８ ００１３ ８０００", "+8613800138000"),
            ("（０１０）６５５２－１２３４", "+861065521234"),
            ("+86-21-6888-8888", "+862168888888"),
            ("0571 8765 432", "+865718765432"),  // a 7-digit number behind a 3-digit area code
            ("\u{FEFF}13800138000\u{200B}", "+8613800138000"),
        ]
    )
    func chinese(_ input: String, _ expected: String) throws {
        #expect(try PhoneNumber.e164(input) == expected)
    }

    @Test(
        "extensions are dropped: the key is the line",
        arguments: [
            ("0755-88886666转801", "+8675588886666"),
            ("0755-8888 6666 分机 801", "+8675588886666"),
            ("010-65521234 ext. 8001", "+861065521234"),
            ("010-65521234 EXT:8001", "+861065521234"),
            ("010-65521234 extension 8001", "+861065521234"),
            ("+1 (415) 555-0100 x12", "+14155550100"),
            ("13800138000#123", "+8613800138000"),
            ("13800138000,,12", "+8613800138000"),
        ]
    )
    func extensions(_ input: String, _ expected: String) throws {
        #expect(try PhoneNumber.e164(input) == expected)
    }

    @Test(
        "foreign numbers keep their own country code",
        arguments: [
            ("+44 20 7946 0958", "+442079460958"),
            ("00852 2345 6789", "+85223456789"),
            ("+886 2 2345 6789", "+886223456789"),
            ("+1-415-555-0100", "+14155550100"),
        ]
    )
    func foreign(_ input: String, _ expected: String) throws {
        #expect(try PhoneNumber.e164(input) == expected)
    }

    @Test(
        "junk is refused, not guessed at",
        arguments: [
            "13800138000 张经理",  // a note after the number
            "13800138000, 13900139000",  // two numbers
            "13800138000 ext",  // a marker with no extension
            "13800138000 x12a",
            "1-800-FLOWERS",
            "138OO138000",  // letter O for zero
            "13800138000+1",
            "++8613800138000",
            "+",
            "+0 123 4567",
            "+86",
            "+86 12345678901",  // 12 is no mobile prefix
            "12345678901",
            "010-6552123",  // Beijing numbers have 8 digits
            "021-688888888",
            "0755-888866",
            "65521234",  // a local number with no area code
            "+12345",
            "+1234567890123456",
            "x12",
            "-",
        ]
    )
    func junk(_ input: String) {
        let error = #expect(throws: DedupKeyError.self) { try PhoneNumber.e164(input) }
        #expect(error?.code == .invalidPhone)
        #expect(error?.kind == .phone)
        #expect(error?.input == input)
    }

    @Test("messages say what is wrong, with the numbers")
    func messages() {
        #expect(message("12345") == "phone 12345 has 5 digits; a Chinese mobile has 11")
        #expect(message("1380013800") == "phone 1380013800 has 10 digits; a Chinese mobile has 11")
        #expect(message("") == #"phone "" is empty"#)
        #expect(message("65521234")?.contains("no area code") == true)
        #expect(
            message("010-6552123")
                == "phone 010-6552123 has 7 digits after area code 010 (Beijing); a Beijing number has 8"
        )
        #expect(
            message("0755")
                == "phone 0755 has 3 digits after its trunk 0; a landline has an area code and then 7 or 8 digits"
        )
        #expect(
            message("0755-888866") == "phone 0755-888866 has 6 digits after area code 0755; a number there has 7 or 8"
        )
        #expect(message("13800138000, 13900139000")?.contains("second number") == true)
        #expect(message("13800138000 张经理")?.contains("'张'") == true)
        #expect(message("23800138000")?.contains("does not start with 1") == true)
    }

    @Test("every key is E.164 and normalizes to itself, for thousands of generated inputs")
    func generated() async {
        let e164 = #/\+[1-9][0-9]{6,14}/#
        var accepted = 0
        await propertyCheck(count: 10_000, input: Self.phoneLike) { input in
            do throws(DedupKeyError) {
                let key = try PhoneNumber.e164(input)
                accepted += 1
                #expect(key.wholeMatch(of: e164) != nil, "\(input.debugDescription) → \(key)")
                #expect(try PhoneNumber.e164(key) == key, "\(input.debugDescription) → \(key)")
            } catch {
                #expect(error.code == .invalidPhone)
                #expect(error.input == input)
            }
        }
        // The generator must reach valid numbers often enough for the property to mean something.
        #expect(accepted > 1_500, "only \(accepted) of 10,000 generated numbers were accepted")
    }

    @Test("valid fixture phones match E.164", arguments: try DedupFixture.validCases().filter { $0.kind == .phone })
    func fixtureE164(_ row: DedupCase) throws {
        #expect(try PhoneNumber.e164(row.input).wholeMatch(of: #/\+[1-9][0-9]{6,14}/#) != nil)
    }

    // MARK: - Helpers

    private func message(_ input: String) -> String? {
        #expect(throws: DedupKeyError.self) { try PhoneNumber.e164(input) }?.message
    }

    /// Phone-like strings: a prefix, digits shaped like a mobile (1 and 9 to 11 more), a
    /// landline (0 and 8 to 11 more) or anything (0 to 17), one in five full-width, each
    /// followed by a separator, and maybe an extension. Shrinks towards `1000000000`.
    private static let phoneLike = zip(
        Gen.int(in: prefixes.indices),
        Gen.int(in: 0...3),
        Gen.int(in: 0...17),
        zip(Gen.int(in: 0...9), Gen.bool(0.2), Gen.int(in: separators.indices)).array(of: 18),
        Gen.int(in: extensions.indices)
    )
    .map { prefix, shape, length, cells, suffix in
        let (lead, count): (Int?, Int) =
            switch shape {
            case 0: (1, 1 + [9, 10, 10, 10, 11][length % 5])  // a mobile, or something close
            case 1: (0, 1 + [8, 9, 9, 10, 10, 11][length % 6])  // a landline, or something close
            default: (nil, length)
            }
        var digits = Array(cells.prefix(count))
        if let lead { digits[0].0 = lead }
        var text = prefixes[prefix]
        for (digit, fullWidth, separator) in digits {
            text.unicodeScalars.append(Unicode.Scalar(UInt32(fullWidth ? 0xFF10 : 0x30) + UInt32(digit))!)
            text += separators[separator]
        }
        return text + extensions[suffix]
    }

    private static let prefixes = ["", "", "+", "00", "+86", "0086", "86", "0", "(0", "+86 (0)", "＋", "++", "+0"]
    private static let separators = ["", "", "", " ", "-", ".", "(", ")", "　", "－", "/"]
    private static let extensions = ["", "", "", "", " ext. 12", "转801", "#9", " x1234567", " 张", "a"]
}
