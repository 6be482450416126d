import CRMDomain
import Testing

@Suite("dedup keys: email addresses")
struct EmailAddressTests {
    @Test(
        "trimmed and lowercased, nothing else rewritten",
        arguments: [
            ("\tZhang.Wei@Example.COM\n", "zhang.wei@example.com"),
            ("\u{3000}li.na@example.cn\u{3000}", "li.na@example.cn"),  // ideographic spaces
            ("\u{FEFF}Zhang@Example.com\u{200B}", "zhang@example.com"),  // copied from a web page
            ("Zhang+CRM@Example.com", "zhang+crm@example.com"),  // +tags stay: their meaning is the provider's
            ("z.h.a.n.g@gmail.com", "z.h.a.n.g@gmail.com"),
            ("张伟@例子.中国", "张伟@例子.中国"),
            ("a@b.co", "a@b.co"),
            ("Zhang＠Wei@Example.com", "zhang＠wei@example.com"),  // one real @; the full-width one is text
        ]
    )
    func normalized(_ input: String, _ expected: String) throws {
        #expect(try EmailAddress.normalized(input) == expected)
    }

    @Test(
        "malformed addresses are refused",
        arguments: [
            "zhang wei@example.com",  // a space inside
            "zhang@exa mple.com",
            "zhang\t@example.com",
            "zhang\u{200B}wei@example.com",  // an invisible character inside
            "zhang＠example.com",  // full-width ＠
            "@example.com",
            "zhang@example",
            "zhang@.example.com",
            "zhang@example..com",
            "zhang@example.com.",
            "zhang@@example.com",
            "zhang@wei@example.com",
            "",
            "  ",
            String(repeating: "a", count: 65) + "@example.com",
            "a@" + String(repeating: "b", count: 250) + ".com",
        ]
    )
    func refused(_ input: String) {
        let error = #expect(throws: DedupKeyError.self) { try EmailAddress.normalized(input) }
        #expect(error?.code == .invalidEmail)
        #expect(error?.input == input)
    }

    @Test("messages say why")
    func messages() {
        #expect(message("zhang wei@example.com") == #"email "zhang wei@example.com" has a space inside"#)
        #expect(message("no-at-sign") == "email no-at-sign has no @")
        #expect(message("zhang＠example.com") == "email zhang＠example.com has a full-width ＠ instead of @")
        #expect(message("wang@@example.com") == "email wang@@example.com has 2 @ signs; an address has exactly one")
        #expect(message("wang@") == "email wang@ has no domain after the @")
        #expect(message("@example.com") == "email @example.com has nothing before the @")
        #expect(message("wang@example") == "email wang@example has a domain without a dot")
    }

    private func message(_ input: String) -> String? {
        #expect(throws: DedupKeyError.self) { try EmailAddress.normalized(input) }?.message
    }
}
