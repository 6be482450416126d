import CRMDomain
import PropertyBased
import Testing

@Suite("dedup keys: the unique key and errors")
struct DedupKeyTests {
    @Test("unique keys carry their kind as a prefix")
    func uniqueKeys() throws {
        #expect(try DedupKey(.phone, normalizing: "138-0013-8000").uniqueKey == "phone:+8613800138000")
        #expect(try DedupKey(.company, normalizing: "北京星辰科技有限公司").uniqueKey == "company:北京星辰科技")
        #expect(try DedupKey(.creditCode, normalizing: "91110108ma01ay4cl4").uniqueKey == "uscc:91110108MA01AY4CL4")
        #expect(try DedupKey(.email, normalizing: " Zhang.Wei@Example.COM").uniqueKey == "email:zhang.wei@example.com")
        #expect(try DedupKey(.phone, normalizing: "13800138000").description == "phone:+8613800138000")
    }

    @Test("one input may be a valid key of one kind and not of another")
    func kindsApart() throws {
        let company = try DedupKey(.company, normalizing: "13800138000")
        let phone = try DedupKey(.phone, normalizing: "13800138000")
        #expect(company != phone)
        #expect(company.uniqueKey != phone.uniqueKey)
    }

    @Test("each kind refuses with its own code", arguments: DedupKey.Kind.allCases)
    func codes(_ kind: DedupKey.Kind) {
        let error = #expect(throws: DedupKeyError.self) { try DedupKey(kind, normalizing: "") }
        #expect(error?.code == expectedCode(for: kind))
        #expect(error?.description.hasPrefix("\(expectedCode(for: kind).rawValue): ") == true)
    }

    @Test("codes are stable strings")
    func codeStrings() {
        #expect(DedupKeyError.Code.invalidCompanyName.rawValue == "invalid_company_name")
        #expect(DedupKeyError.Code.invalidCreditCode.rawValue == "invalid_credit_code")
        #expect(DedupKeyError.Code.invalidPhone.rawValue == "invalid_phone")
        #expect(DedupKeyError.Code.invalidEmail.rawValue == "invalid_email")
    }

    @Test("the longest keys of every kind fit the log's 400-byte unique key")
    func fitTheLog() throws {
        let longestName = String(repeating: "星", count: CompanyName.maxKeyLength / 3)
        let longestEmail = String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 185) + ".com"
        let keys = [
            try DedupKey(.company, normalizing: longestName + "有限公司"),
            try DedupKey(.email, normalizing: longestEmail),
            try DedupKey(.phone, normalizing: "+123456789012345"),
            try DedupKey(.creditCode, normalizing: "91110108MA01AY4CL4"),
        ]
        for key in keys {
            #expect(key.uniqueKey.utf8.count <= 400, "\(key.kind) key is \(key.uniqueKey.utf8.count) bytes")
        }
        #expect(throws: DedupKeyError.self) { try CompanyName.normalized(longestName + "星") }
    }

    @Test("messages quote long input only in part")
    func longInput() {
        let pasted = String(repeating: "x", count: 10_000)
        let error = #expect(throws: DedupKeyError.self) { try PhoneNumber.e164(pasted) }
        #expect(error?.input == pasted)
        #expect((error?.message.count ?? .max) < 300)
    }

    @Test("random text of every kind: no trap, the kind's code on refusal, and keys are fixed points")
    func randomText() async {
        await propertyCheck(count: 3_000, input: Self.anyText) { input in
            for kind in DedupKey.Kind.allCases {
                do throws(DedupKeyError) {
                    let key = try DedupKey(kind, normalizing: input)
                    #expect(!key.value.isEmpty)
                    #expect(key.uniqueKey.utf8.count <= 400)
                    #expect(try DedupKey(kind, normalizing: key.value) == key, "\(kind) \(input.debugDescription)")
                } catch {
                    #expect(error.code == expectedCode(for: kind))
                    #expect(error.kind == kind)
                    #expect(error.input == input)
                }
            }
        }
    }

    // MARK: - Generators

    /// Up to 24 characters drawn from pools that reach the interesting paths, and half the
    /// time a legal form, domain, country code or credit code after them.
    private static let anyText = zip(
        zip(Gen.int(in: scalarPools.indices), Gen.uint32()).array(of: 0...24),
        Gen.bool,
        Gen.int(in: legalForms.indices)
    )
    .map { scalars, withForm, form in
        var text = String.UnicodeScalarView()
        for (pool, offset) in scalars {
            let range = scalarPools[pool]
            text.append(Unicode.Scalar(range.lowerBound + offset % UInt32(range.count))!)
        }
        return String(text) + (withForm ? legalForms[form] : "")
    }

    /// ASCII, full-width forms, ideographs, CJK punctuation, combining marks, invisible
    /// characters, emoji, other scripts' digits.
    private static let scalarPools: [ClosedRange<UInt32>] = [
        0x20...0x7E, 0x20...0x7E, 0x30...0x39, 0xFF01...0xFF5E, 0x4E00...0x4E2F, 0x3000...0x3011,
        0x0300...0x0310, 0x200B...0x200F, 0x1F600...0x1F60F, 0x0660...0x0669, 0x00C0...0x00FF,
    ]
    private static let legalForms = ["有限公司", " Co., Ltd.", "@example.com", "+86 ", "138", "91110108MA01AY4CL4"]
}
